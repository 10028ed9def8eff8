import { Module } from '@nestjs/common';
import { GrafanaPublisher } from '@burnrate/dashboards';

import { SERVER_CONFIG } from '../config/server-config.module.js';
import type { ServerConfig } from '../config/server-config.js';
import { AdminTokenGuard } from './admin-token.guard.js';
import { DashboardPublishService } from './dashboard-publish.service.js';
import { PublishController } from './publish.controller.js';
import { RulesPublishService } from './rules-publish.service.js';

/** Publishing generated artifacts; the Grafana adapter exists only when Grafana is configured. */
@Module({
  controllers: [PublishController],
  providers: [
    AdminTokenGuard,
    DashboardPublishService,
    RulesPublishService,
    {
      provide: GrafanaPublisher,
      inject: [SERVER_CONFIG],
      useFactory: (config: ServerConfig): GrafanaPublisher | null =>
        config.grafana.url && config.grafana.apiToken
          ? new GrafanaPublisher(config.grafana.url.href, config.grafana.apiToken.reveal(), (url, init) =>
              fetch(url, init),
            )
          : null,
    },
  ],
})
export class PublishModule {}
