import { Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { PrometheusClient, StatusStore } from '@burnrate/status';

import { ReadTokenGuard } from '../auth/read-token.guard.js';
import { SERVER_CONFIG } from '../config/server-config.module.js';
import type { ServerConfig } from '../config/server-config.js';
import { AdminTokenGuard } from '../publish/admin-token.guard.js';
import { StatusController } from './status.controller.js';
import { StatusRefreshService } from './status-refresh.service.js';

/** SLO status: the refresh job (with PROMETHEUS_URL), the store, and the read API. */
@Module({
  controllers: [StatusController],
  providers: [
    ReadTokenGuard,
    AdminTokenGuard,
    StatusRefreshService,
    {
      provide: StatusStore,
      inject: [DataSource],
      useFactory: (dataSource: DataSource) => new StatusStore(dataSource),
    },
    {
      provide: PrometheusClient,
      inject: [SERVER_CONFIG],
      useFactory: (config: ServerConfig): PrometheusClient | null =>
        config.prometheusUrl
          ? new PrometheusClient({
              baseUrl: config.prometheusUrl.href,
              headers: Object.fromEntries(
                [...config.prometheus.headers].map(([name, value]) => [name, value.reveal()]),
              ),
              fetch: (url, init) => fetch(url, init),
              timeoutMs: config.prometheus.timeoutMs,
            })
          : null,
    },
  ],
  exports: [StatusStore],
})
export class StatusModule {}
