/**
 * The status refresh against a real Prometheus serving backfilled recorded series: every figure
 * checked against a hand computation, the calendar month across a month boundary included.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCatalog } from '@burnrate/catalog';
import { PrometheusClient, refreshStatus, trackedSlos, type StatusCycle } from '@burnrate/status';

import { backfill } from '../support/backfill.js';
import { startPrometheus, type PrometheusServer } from '../support/prometheus.js';
import { FIXTURE_CATALOG, NOW, samples } from './status-fixture.js';

let prometheus: PrometheusServer;
let cycle: StatusCycle;

beforeAll(async () => {
  prometheus = await startPrometheus({ dataDir: await backfill(samples()) });
  const { catalog } = await loadCatalog([FIXTURE_CATALOG]);
  const client = new PrometheusClient({ baseUrl: prometheus.url, fetch });
  cycle = await refreshStatus(client, trackedSlos(catalog), new Date(NOW * 1000));
}, 120_000);

afterAll(async () => {
  await prometheus?.stop();
});

const statusOf = (id: string) => {
  const found = cycle.statuses.find((s) => s.slo.id === id);
  if (!found) throw new Error(`no status for ${id}`);
  return found;
};

describe('status refresh from a real Prometheus', () => {
  it('asks a few bulk queries for every SLO, never one per SLO', () => {
    // Ratios, month to date (a calendar SLO exists), events (a guard exists).
    expect(cycle.queries).toBe(3);
    expect(cycle.statuses.map((s) => s.slo.id)).toEqual([
      'cart/availability',
      'cart/monthly',
      'cart/freeform',
      'cart/quiet',
    ]);
  });

  it('computes burn rates, budget and state of a rolling SLO as by hand, from its worst group', () => {
    const status = statusOf('cart/availability');
    expect(status.groups).toBe(2);
    expect(status.state).toBe('burning');
    expect(status.burnRates['5m']).toBeCloseTo(30, 9);
    expect(status.burnRates['1h']).toBeCloseTo(20, 9);
    expect(status.burnRates['3d']).toBeCloseTo(1, 9);
    expect(status.sli).toBeCloseTo(0.9996, 12);
    expect(status.errorBudget.remaining).toBeCloseTo(0.6, 9);
    expect(status.errorBudget.consumed).toBeCloseTo(0.4, 9);
    // 0.6 of 30 days at 20x: 0.9 days.
    expect(status.exhaustsAt?.getTime()).toBeCloseTo((NOW + 0.9 * 86400) * 1000, -1);
  });

  it('spends a calendar month budget from the 5m tiles of the month to date only', () => {
    const status = statusOf('cart/monthly');
    // November's tiles only (the tile ending 00:00 on the 1st is October's): 2% errors.
    expect(status.sli).toBeCloseTo(0.98, 12);
    // 2% over a 0.1% budget, one day of November's 30.
    expect(status.errorBudget.consumed).toBeCloseTo(20 / 30, 9);
    expect(status.errorBudget.remaining).toBeCloseTo(1 - 20 / 30, 9);
    // Pages on 1h/5m at 20x; no guard on this SLO.
    expect(status.state).toBe('burning');
  });

  it('reads a free-form SLI and leaves a window with no traffic out', () => {
    const status = statusOf('cart/freeform');
    expect(status.state).toBe('ok');
    expect(status.burnRates['3d']).toBeNull();
    expect(status.burnRates['1h']).toBeCloseTo(0.1, 9);
    expect(status.errorBudget.remaining).toBeCloseTo(0.8, 9);
  });

  it('says no_data for an SLO Prometheus holds no series of', () => {
    const status = statusOf('cart/quiet');
    expect(status.state).toBe('no_data');
    expect(status.groups).toBe(0);
    expect(status.sli).toBeNull();
  });

  it('keeps a page quiet below the low-traffic guard, as the alert rule does', async () => {
    const { catalog } = await loadCatalog([FIXTURE_CATALOG]);
    const client = new PrometheusClient({ baseUrl: prometheus.url, fetch });
    // The last hour saw 60 minute-samples x 2/s x 60s = 7,200 events: above the fixture's guard
    // of 50 (it pages, above), below a guard of 10,000.
    const slos = trackedSlos(catalog).map((s) =>
      s.id === 'cart/availability' ? { ...s, minEvents: 10_000 } : s,
    );
    const guarded = await refreshStatus(client, slos, new Date(NOW * 1000));
    expect(guarded.statuses.find((s) => s.slo.id === 'cart/availability')?.state).toBe('ok');
  });
});
