import { describe, expect, it } from 'vitest';

import { HealthService } from './health.service.js';

describe(HealthService.name, () => {
  it('is ready when every check passes', async () => {
    const health = new HealthService();
    health.register('database', () => Promise.resolve());

    const report = await health.readiness();

    expect(report.status).toBe('ready');
    expect(report.checks['database']?.status).toBe('up');
  });

  it('is not ready when one check fails, and says which and why', async () => {
    const health = new HealthService();
    health.register('database', () => Promise.reject(new Error('connection refused')));
    health.register('queue', () => Promise.resolve());

    const report = await health.readiness();

    expect(report.status).toBe('not_ready');
    expect(report.checks['database']).toMatchObject({ status: 'down', error: 'connection refused' });
    expect(report.checks['queue']?.status).toBe('up');
  });

  it('reports a check that does not answer in time as down instead of waiting for it', async () => {
    const health = new HealthService();
    health.register('database', () => new Promise(() => undefined));

    const report = await health.readiness(20);

    expect(report.checks['database']).toMatchObject({ status: 'down', error: 'no answer within 20 ms' });
  });
});
