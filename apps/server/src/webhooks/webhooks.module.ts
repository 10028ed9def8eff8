import { Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DeliveryStore, OutboxStore, SlackBot, SlackMessageStore } from '@burnrate/notify';

import { ReadTokenGuard } from '../auth/read-token.guard.js';
import { SERVER_CONFIG } from '../config/server-config.module.js';
import type { ServerConfig } from '../config/server-config.js';
import { StatusModule } from '../status/status.module.js';
import { AdminTokenGuard } from '../publish/admin-token.guard.js';
import { AlertmanagerWebhookController } from './alertmanager-webhook.controller.js';
import { DeliveriesController } from './deliveries.controller.js';
import { DeliverySenderService } from './delivery-sender.service.js';
import { WebhookTokenGuard } from './webhook-token.guard.js';

/** Alerts to chat: notifications in, deliveries committed to the outbox, the sender draining it. */
@Module({
  imports: [StatusModule],
  controllers: [AlertmanagerWebhookController, DeliveriesController],
  providers: [
    WebhookTokenGuard,
    ReadTokenGuard,
    DeliverySenderService,
    {
      provide: SlackBot,
      inject: [DataSource, SERVER_CONFIG],
      useFactory: (dataSource: DataSource, config: ServerConfig) =>
        new SlackBot(
          config.delivery.slackApiUrl.href,
          new SlackMessageStore(dataSource),
          config.delivery.timeoutMs,
        ),
    },
    AdminTokenGuard,
    {
      provide: DeliveryStore,
      inject: [DataSource],
      useFactory: (dataSource: DataSource) => new DeliveryStore(dataSource),
    },
    {
      provide: OutboxStore,
      inject: [DataSource],
      useFactory: (dataSource: DataSource) => new OutboxStore(dataSource),
    },
  ],
})
export class WebhooksModule {}
