import { describe, expect, it } from 'vitest';
import type { BurnTier, SloWindow } from '@burnrate/catalog';

import { alertPolicy } from './alert-policy.util.js';
import { calendarMonthOf, evaluateStatus, type SloObservation, type StatusInput } from './status.util.js';

const WORKBOOK: BurnTier[] = [
  { severity: 'page', longWindow: '1h', shortWindow: '5m', budgetPercent: 2 },
  { severity: 'page', longWindow: '6h', shortWindow: '30m', budgetPercent: 5 },
  { severity: 'ticket', longWindow: '1d', shortWindow: '2h', budgetPercent: 10 },
  { severity: 'ticket', longWindow: '3d', shortWindow: '6h', budgetPercent: 10 },
];
const ROLLING_30D: SloWindow = { kind: 'rolling', duration: '30d', seconds: 30 * 86400 };
const MONTH: SloWindow = { kind: 'calendar', unit: 'month' };
const enabled = { enabled: true, annotations: {} };

function input(
  window: SloWindow,
  observation: SloObservation | undefined,
  extra: Partial<StatusInput> = {},
): StatusInput {
  const slo = {
    objective: 99.9,
    window,
    alerting: { page: enabled, ticket: enabled } as never,
  };
  return {
    window,
    policy: alertPolicy(slo, WORKBOOK),
    guarded: true,
    observation,
    now: new Date('2026-03-10T12:00:00Z'),
    ...extra,
  };
}

/** Every window at one error ratio. */
const flat = (ratio: number, extra: Record<string, number> = {}): Record<string, number> => ({
  '5m': ratio,
  '30m': ratio,
  '1h': ratio,
  '2h': ratio,
  '6h': ratio,
  '1d': ratio,
  '3d': ratio,
  '30d': ratio,
  ...extra,
});

describe('evaluateStatus', () => {
  it('reports no_data, with every figure null, when Prometheus holds no series for the SLO', () => {
    const status = evaluateStatus(input(ROLLING_30D, undefined));
    expect(status).toEqual({
      state: 'no_data',
      sli: null,
      errorBudget: { remaining: null, consumed: null },
      burnRates: { '5m': null, '30m': null, '1h': null, '2h': null, '6h': null, '1d': null, '3d': null },
      exhaustsAt: null,
    });
  });

  it('divides each window by the budget and spends the period ratio over it', () => {
    const status = evaluateStatus(input(ROLLING_30D, { ratios: flat(0.0005, { '1h': 0.002 }) }));
    expect(status.burnRates['1h']).toBeCloseTo(2, 12);
    expect(status.burnRates['5m']).toBeCloseTo(0.5, 12);
    expect(status.sli).toBeCloseTo(0.9995, 12);
    expect(status.errorBudget.remaining).toBeCloseTo(0.5, 12);
    expect(status.errorBudget.consumed).toBeCloseTo(0.5, 12);
    // 0.5 of a 30d budget left at 2x: 7.5 days.
    expect(status.exhaustsAt?.toISOString()).toBe('2026-03-18T00:00:00.000Z');
  });

  it.each([
    ['a page tier holds on both windows', flat(0, { '1h': 0.015, '5m': 0.015 }), 'burning'],
    ['only the long window of a page tier burns', flat(0, { '1h': 0.015 }), 'ok'],
    ['only the short window of a page tier burns', flat(0, { '5m': 0.5 }), 'ok'],
    ['exactly at the threshold (the rules compare with >)', flat(0, { '1h': 0.0144, '5m': 0.0144 }), 'ok'],
    ['a ticket tier holds', flat(0, { '1d': 0.0031, '2h': 0.0031 }), 'warning'],
    ['the budget is spent and nothing burns now', flat(0, { '30d': 0.001 }), 'exhausted'],
    ['the budget is spent and a ticket tier holds', flat(0.0031), 'exhausted'],
    ['the budget is spent and a page tier holds', flat(0.02), 'burning'],
  ])('%s: %s', (_name, ratios, state) => {
    expect(evaluateStatus(input(ROLLING_30D, { ratios })).state).toBe(state);
  });

  it('applies the low-traffic guard to page tiers as the alert rule does', () => {
    const burning = flat(0, { '1h': 0.5, '5m': 0.5 });
    const guarded = { minEvents: 20 };
    expect(evaluateStatus(input(ROLLING_30D, { ratios: burning, events: { '1h': 19 } }, guarded)).state).toBe(
      'ok',
    );
    expect(evaluateStatus(input(ROLLING_30D, { ratios: burning, events: { '1h': 20 } }, guarded)).state).toBe(
      'burning',
    );
    expect(evaluateStatus(input(ROLLING_30D, { ratios: burning }, guarded)).state).toBe('ok');
    // Free-form SLIs have no event counts and their alerts no guard.
    expect(
      evaluateStatus(input(ROLLING_30D, { ratios: burning }, { ...guarded, guarded: false })).state,
    ).toBe('burning');
  });

  it('has no exhaustion time when nothing burns, and now when the budget is already gone', () => {
    expect(evaluateStatus(input(ROLLING_30D, { ratios: flat(0) })).exhaustsAt).toBeNull();
    const spent = evaluateStatus(input(ROLLING_30D, { ratios: flat(0.0001, { '30d': 0.002 }) }));
    expect(spent.errorBudget.remaining).toBeCloseTo(-1, 12);
    expect(spent.exhaustsAt?.toISOString()).toBe('2026-03-10T12:00:00.000Z');
  });
});

describe('calendar-month SLOs', () => {
  it('spend the whole month budget in proportion to the month gone by', () => {
    // 9.5 days into March (31 days), month to date at 2x the allowed error ratio.
    const status = evaluateStatus(input(MONTH, { ratios: flat(0.002), monthToDateRatio: 0.002 }));
    const consumed = 2 * (9.5 / 31);
    expect(status.errorBudget.consumed).toBeCloseTo(consumed, 12);
    expect(status.errorBudget.remaining).toBeCloseTo(1 - consumed, 12);
    expect(status.sli).toBeCloseTo(0.998, 12);
  });

  it('a bad first day spends one day of the budget, whatever the 30d window says', () => {
    const now = new Date('2026-02-02T00:00:00Z');
    // All errors on the 1st at 10x; the recorded 30d window still holds January's calm.
    const status = evaluateStatus(
      input(MONTH, { ratios: flat(0, { '30d': 0.0001 }), monthToDateRatio: 0.01 }, { now }),
    );
    expect(status.errorBudget.consumed).toBeCloseTo(10 * (1 / 28), 12);
  });

  it('starts each month with the whole budget, and projects no exhaustion past the month', () => {
    const now = new Date('2026-04-01T00:00:00Z');
    const fresh = evaluateStatus(input(MONTH, { ratios: flat(0.0001) }, { now }));
    expect(fresh.errorBudget).toEqual({ remaining: 1, consumed: 0 });
    // 0.1x over 30 days of budget: exhaustion would be in 300 days, after April ends.
    expect(fresh.exhaustsAt).toBeNull();
    const fast = evaluateStatus(input(MONTH, { ratios: flat(0.01), monthToDateRatio: 0.01 }, { now }));
    // 10x with the whole budget left: 3 days of April's 30.
    expect(fast.exhaustsAt?.toISOString()).toBe('2026-04-04T00:00:00.000Z');
  });

  it.each([
    ['2026-02-14T06:00:00Z', '2026-02-01T00:00:00.000Z', 28],
    ['2028-02-29T23:59:59Z', '2028-02-01T00:00:00.000Z', 29],
    ['2026-04-30T00:00:00Z', '2026-04-01T00:00:00.000Z', 30],
    ['2026-12-31T23:00:00Z', '2026-12-01T00:00:00.000Z', 31],
  ])('the month of %s starts %s and lasts %d days', (at, start, days) => {
    const month = calendarMonthOf(new Date(at));
    expect(month.start.toISOString()).toBe(start);
    expect(month.lengthSeconds).toBe(days * 86400);
  });
});
