import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER, APP_INTERCEPTOR } from '@nestjs/core';
import { ScheduleModule } from '@nestjs/schedule';

import { PersistenceModule } from '@burnrate/persistence';
import { HttpMetricsInterceptor, TelemetryModule } from '@burnrate/telemetry';

import { burnrateVersion } from './build-info.js';
import { SERVER_CONFIG, ServerConfigModule } from './config/server-config.module.js';
import type { ServerConfig } from './config/server-config.js';
import { HealthController } from './health/health.controller.js';
import { ReadinessChecks } from './health/readiness-checks.provider.js';
import { MetricsController } from './metrics/metrics.controller.js';
import { CatalogModule } from './catalog/catalog.module.js';
import { CostModule } from './costs/cost.module.js';
import { ProblemDetailsFilter } from './errors/problem-details.filter.js';
import { PublishModule } from './publish/publish.module.js';
import { StatusModule } from './status/status.module.js';
import { WebhooksModule } from './webhooks/webhooks.module.js';

/** The server: configuration, database, telemetry and the scheduler, composed from the libs. */
@Module({})
export class AppModule {
  static forRoot(config: ServerConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ServerConfigModule.forRoot(config),
        PersistenceModule.forRootAsync({
          inject: [SERVER_CONFIG],
          useFactory: (serverConfig: ServerConfig) => serverConfig.database,
        }),
        TelemetryModule.forRoot({ serviceName: 'burnrate', version: burnrateVersion() }),
        ScheduleModule.forRoot(),
        CatalogModule,
        PublishModule,
        StatusModule,
        WebhooksModule,
        CostModule,
      ],
      controllers: [HealthController, MetricsController],
      providers: [
        ReadinessChecks,
        { provide: APP_INTERCEPTOR, useExisting: HttpMetricsInterceptor },
        { provide: APP_FILTER, useClass: ProblemDetailsFilter },
      ],
    };
  }
}
