import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import {
  Counter,
  Gauge,
  Histogram,
  Registry,
  collectDefaultMetrics,
  type CounterConfiguration,
  type GaugeConfiguration,
  type HistogramConfiguration,
} from 'prom-client';

import { TELEMETRY_OPTIONS, type TelemetryOptions } from './telemetry.constants.js';

type Definition<C> = Omit<C, 'registers'>;

/**
 * The one owner of Prometheus metrics. It keeps its own registry rather than prom-client's global
 * one, so two servers in one process (tests, the CLI) never clash over metric names.
 */
@Injectable()
export class MetricsService implements OnModuleDestroy {
  readonly registry = new Registry();

  constructor(@Inject(TELEMETRY_OPTIONS) options: TelemetryOptions) {
    if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: this.registry });
    this.gauge({
      name: 'burnrate_build_info',
      help: 'Always 1; labels say which Burnrate build is running.',
      labelNames: ['service', 'version'],
    }).set({ service: options.serviceName, version: options.version }, 1);
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  /** The exposition text for GET /metrics. */
  render(): Promise<string> {
    return this.registry.metrics();
  }

  // Get-or-create: a metric is defined where it is used, and defining it twice is harmless.
  counter<L extends string>(definition: Definition<CounterConfiguration<L>>): Counter<L> {
    return (
      this.existing<Counter<L>>(definition.name) ?? new Counter({ ...definition, registers: [this.registry] })
    );
  }

  gauge<L extends string>(definition: Definition<GaugeConfiguration<L>>): Gauge<L> {
    return (
      this.existing<Gauge<L>>(definition.name) ?? new Gauge({ ...definition, registers: [this.registry] })
    );
  }

  histogram<L extends string>(definition: Definition<HistogramConfiguration<L>>): Histogram<L> {
    return (
      this.existing<Histogram<L>>(definition.name) ??
      new Histogram({ ...definition, registers: [this.registry] })
    );
  }

  onModuleDestroy(): void {
    this.registry.clear();
  }

  private existing<M>(name: string): M | undefined {
    return this.registry.getSingleMetric(name) as M | undefined;
  }
}
