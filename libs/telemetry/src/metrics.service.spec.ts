import { describe, expect, it } from 'vitest';

import { MetricsService } from './metrics.service.js';

const aMetricsService = (overrides: { defaultMetrics?: boolean } = {}) =>
  new MetricsService({ serviceName: 'burnrate', version: '1.2.3', defaultMetrics: false, ...overrides });

describe(MetricsService.name, () => {
  it('exposes which build is running', async () => {
    const text = await aMetricsService().render();

    expect(text).toContain('burnrate_build_info{service="burnrate",version="1.2.3"} 1');
  });

  it('collects process and Node.js metrics by default', async () => {
    const text = await aMetricsService({ defaultMetrics: true }).render();

    expect(text).toContain('process_cpu_user_seconds_total');
    expect(text).toContain('nodejs_eventloop_lag_seconds');
  });

  it('returns the existing metric when the same name is defined twice', () => {
    const metrics = aMetricsService();
    const definition = { name: 'burnrate_test_total', help: 'test', labelNames: ['team'] as const };

    expect(metrics.counter(definition)).toBe(metrics.counter(definition));
  });

  it('keeps each instance in its own registry, so two servers in one process do not clash', async () => {
    const first = aMetricsService();
    const second = aMetricsService();
    first.counter({ name: 'burnrate_only_first_total', help: 'test' }).inc();

    expect(await first.render()).toContain('burnrate_only_first_total 1');
    expect(await second.render()).not.toContain('burnrate_only_first_total');
  });

  it('answers in the Prometheus text format', () => {
    expect(aMetricsService().contentType).toMatch(/^text\/plain; version=0\.0\.4/);
  });
});
