import { Module } from '@nestjs/common';
import type { FetchLike } from '@burnrate/contracts';
import { GrafanaPublisher, RulerClient } from '@burnrate/publish';

import { SERVER_CONFIG } from '../config/server-config.module.js';
import type { ServerConfig } from '../config/server-config.js';
import { AdminTokenGuard } from './admin-token.guard.js';
import { DashboardPublishService } from './dashboard-publish.service.js';
import { PublishController } from './publish.controller.js';
import { MIMIR_RULER, LOKI_RULER, RulesPublishService } from './rules-publish.service.js';

/** Publishing generated artifacts; each adapter exists only when its upstream is configured. */
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
          ? new GrafanaPublisher(config.grafana.url.href, config.grafana.apiToken.reveal(), globalFetch)
          : null,
    },
    {
      provide: MIMIR_RULER,
      inject: [SERVER_CONFIG],
      useFactory: ({ rulers }: ServerConfig): RulerClient | null =>
        rulers.mimir ? rulerClient(rulers.mimir, rulers.tenant) : null,
    },
    {
      provide: LOKI_RULER,
      inject: [SERVER_CONFIG],
      useFactory: ({ rulers }: ServerConfig): RulerClient | null =>
        rulers.loki ? rulerClient(rulers.loki, rulers.tenant) : null,
    },
  ],
})
export class PublishModule {}

/** The global fetch behind the adapters' seam: where the server reaches the network. */
const globalFetch: FetchLike = (url, init) => fetch(url, init);

const rulerClient = (target: { url: URL; prefix: string }, tenant: string | undefined): RulerClient =>
  new RulerClient({
    baseUrl: target.url.href,
    prefix: target.prefix,
    fetch: globalFetch,
    ...(tenant ? { tenant } : {}),
  });
