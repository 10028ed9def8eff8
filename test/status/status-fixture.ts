/**
 * Recorded series for the status fixture catalog (test/status/fixtures/catalog), as the
 * generated rules would have written them, at one instant: each SLO in a known state whose
 * figures are computed by hand in the tests.
 */
import type { BackfillSample } from '../support/backfill.js';

export const FIXTURE_CATALOG = 'test/status/fixtures/catalog';

/** The refresh instant: one day into November (30 days long). */
export const NOW = Date.UTC(2026, 10, 2) / 1000;
export const MONTH_START = Date.UTC(2026, 10, 1) / 1000;
const FIVE_MINUTES = 300;

const ratio = (
  service: string,
  slo: string,
  window: string,
  value: number,
  extra: Record<string, string> = {},
) => ({
  name: 'slo:sli_error:ratio',
  labels: { service, slo, window, ...extra },
  time: NOW,
  value,
});

export function samples(): BackfillSample[] {
  const out: BackfillSample[] = [];
  // cart/availability: pages on 1h and 5m (threshold 0.0144), a low-traffic guard of 50 events.
  for (const [window, value] of Object.entries({
    '5m': 0.03,
    '30m': 0.01,
    '1h': 0.02,
    '2h': 0.01,
    '6h': 0.004,
    '1d': 0.002,
    '3d': 0.001,
    '30d': 0.0004,
  }))
    out.push(ratio('cart', 'availability', window, value));
  // The same SLO grouped by region: a calm second group; the status shows the worst.
  for (const window of ['5m', '30m', '1h', '2h', '6h', '1d', '3d', '30d'])
    out.push(ratio('cart', 'availability', window, 0, { region: 'eu' }));
  // Two requests a second over the last hour, sampled every minute (the rules' fast interval).
  for (let t = NOW - 3600 + 60; t <= NOW; t += 60)
    out.push({
      name: 'slo:sli_total:rate5m',
      labels: { service: 'cart', slo: 'availability' },
      time: t,
      value: 2,
    });

  // cart/monthly: 1% errors through October, 2% from November 1st, 10 checkouts a second.
  for (let t = MONTH_START - 2 * 86400; t <= NOW; t += FIVE_MINUTES) {
    const errors = t <= MONTH_START ? 0.1 : 0.2;
    const labels = { service: 'cart', slo: 'monthly' };
    out.push({ name: 'slo:sli_errors:rate5m', labels, time: t, value: errors });
    out.push({ name: 'slo:sli_total:rate5m', labels, time: t, value: 10 });
    out.push({
      name: 'slo:objective:ratio',
      labels: { ...labels, team: 'shop', period: 'month', window: '30d' },
      time: t,
      value: 0.999,
    });
  }
  for (const window of ['5m', '30m', '1h', '2h', '6h', '1d', '3d', '30d'])
    out.push(ratio('cart', 'monthly', window, window === '30d' ? 0.011 : 0.02));

  // cart/freeform: a free-form ratio, calm, with a window that had no traffic (NaN).
  for (const [window, value] of Object.entries({
    '5m': 0.001,
    '30m': 0.001,
    '1h': 0.001,
    '2h': 0.001,
    '6h': 0.001,
    '1d': 0.001,
    '3d': Number.NaN,
    '7d': 0.002,
  }))
    out.push(ratio('cart', 'freeform', window, value));
  // cart/quiet: nothing at all.
  return out;
}
