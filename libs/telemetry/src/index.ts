export { HealthService, type CheckResult, type HealthCheck, type ReadinessReport } from './health.service.js';
export { HttpMetricsInterceptor } from './http-metrics.interceptor.js';
export { MetricsService } from './metrics.service.js';
export { PROMETHEUS_CONTENT_TYPE, TELEMETRY_OPTIONS, type TelemetryOptions } from './telemetry.constants.js';
export { TelemetryModule } from './telemetry.module.js';
export { burnrateTracer, withSpan } from './tracing.util.js';
export { startTracing, type StopTracing, type TracingEnvironment } from './tracing-sdk.js';
