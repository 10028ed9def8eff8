import { Registry } from 'prom-client';

export const TELEMETRY_OPTIONS = Symbol('TELEMETRY_OPTIONS');

export interface TelemetryOptions {
  /** `service` label on burnrate_build_info and the tracer name. */
  readonly serviceName: string;
  readonly version: string;
  /** Process and Node.js metrics (CPU, memory, event loop, GC); on unless turned off. */
  readonly defaultMetrics?: boolean;
}

/** Content type of the Prometheus text exposition format served at /metrics. */
export const PROMETHEUS_CONTENT_TYPE: string = Registry.PROMETHEUS_CONTENT_TYPE;
