import { Module, type DynamicModule } from '@nestjs/common';

import { HealthService } from './health.service.js';
import { HttpMetricsInterceptor } from './http-metrics.interceptor.js';
import { MetricsService } from './metrics.service.js';
import { TELEMETRY_OPTIONS, type TelemetryOptions } from './telemetry.constants.js';

/** Metrics registry, HTTP metrics and health checks, available to every module of the app. */
@Module({})
export class TelemetryModule {
  static forRoot(options: TelemetryOptions): DynamicModule {
    return {
      module: TelemetryModule,
      global: true,
      providers: [
        { provide: TELEMETRY_OPTIONS, useValue: options },
        MetricsService,
        HealthService,
        HttpMetricsInterceptor,
      ],
      exports: [MetricsService, HealthService, HttpMetricsInterceptor],
    };
  }
}
