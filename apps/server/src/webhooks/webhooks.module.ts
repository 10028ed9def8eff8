import { Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { OutboxStore } from '@burnrate/notify';

import { AlertmanagerWebhookController } from './alertmanager-webhook.controller.js';
import { WebhookTokenGuard } from './webhook-token.guard.js';

/** The alert receiver: notifications in, deliveries committed to the outbox. */
@Module({
  controllers: [AlertmanagerWebhookController],
  providers: [
    WebhookTokenGuard,
    {
      provide: OutboxStore,
      inject: [DataSource],
      useFactory: (dataSource: DataSource) => new OutboxStore(dataSource),
    },
  ],
})
export class WebhooksModule {}
