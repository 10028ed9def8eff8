import { Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DeliveryStore, OutboxStore } from '@burnrate/notify';

import { ReadTokenGuard } from '../auth/read-token.guard.js';
import { AdminTokenGuard } from '../publish/admin-token.guard.js';
import { AlertmanagerWebhookController } from './alertmanager-webhook.controller.js';
import { DeliveriesController } from './deliveries.controller.js';
import { WebhookTokenGuard } from './webhook-token.guard.js';

/** The alert receiver: notifications in, deliveries committed to the outbox. */
@Module({
  controllers: [AlertmanagerWebhookController, DeliveriesController],
  providers: [
    WebhookTokenGuard,
    ReadTokenGuard,
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
