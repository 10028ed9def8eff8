import { describe, expect, it } from 'vitest';
import { WORKBOOK_TIERS, type Alerting, type SloWindow } from '@burnrate/catalog';
import {
  alertPolicy,
  budgetRemaining,
  burnFactor,
  errorBudget,
  errorRatioThreshold,
  firingSeverities,
  formatDecimal,
  formatDuration,
  normalizeDuration,
  objectiveRatio,
  parseDuration,
  periodLabel,
  periodSeconds,
  policyWindows,
} from './index.js';

const DAY = 86_400;
const rolling = (days: number): SloWindow => ({ kind: 'rolling', duration: `${days}d`, seconds: days * DAY });
const month: SloWindow = { kind: 'calendar', unit: 'month' };

describe('durations', () => {
  it.each([
    ['5m', 300],
    ['1h30m', 5400],
    ['1d', DAY],
    ['4w', 28 * DAY],
    ['90s', 90],
  ])('parses %s as %i seconds', (text, seconds) => {
    expect(parseDuration(text)).toBe(seconds);
  });

  it.each(['', '5', '1.5h', '-5m', '0m', '5M', '1y'])('rejects %j', (text) => {
    expect(() => parseDuration(text)).toThrow(/duration/);
  });

  it.each([
    [300, '5m'],
    [3600, '1h'],
    [5400, '1h30m'],
    [28 * DAY, '28d'],
    [30 * DAY, '30d'],
    [DAY + 1, '1d1s'],
  ])('formats %i seconds as %s, preferring days over weeks', (seconds, text) => {
    expect(formatDuration(seconds)).toBe(text);
  });

  it('normalises equivalent spellings to one label value', () => {
    expect(normalizeDuration('60m')).toBe('1h');
    expect(normalizeDuration('24h')).toBe('1d');
    expect(normalizeDuration('1w')).toBe('7d');
  });
});

describe('decimals', () => {
  it.each([
    [(100 - 99.9) / 100, '0.001'],
    [99.9 / 100, '0.999'],
    [14.4 * 0.001, '0.0144'],
    [0.1 + 0.2, '0.3'],
    [1e-7, '0.0000001'],
    [6, '6'],
    [13.44, '13.44'],
  ])('prints %d as %s', (value, text) => {
    expect(formatDecimal(value)).toBe(text);
  });
});

describe('error budget and objective', () => {
  it.each([
    [99.9, 0.001],
    [99.99, 0.0001],
    [95, 0.05],
    [99.95, 0.0005],
    [99.5, 0.005],
  ])('objective %d%% leaves an error budget of %d', (objective, budget) => {
    expect(errorBudget(objective)).toBe(budget);
  });

  it('reads 99.9 as the ratio 0.999 without float noise', () => {
    expect(objectiveRatio(99.9)).toBe(0.999);
  });

  it.each([0, 100, -1, 101])('refuses objective %d', (objective) => {
    expect(() => errorBudget(objective)).toThrow(/objective/);
  });

  it('counts a spent budget as zero left and an overspent one as negative', () => {
    expect(budgetRemaining(0.0005, 0.001)).toBe(0.5);
    expect(budgetRemaining(0.001, 0.001)).toBe(0);
    expect(budgetRemaining(0.002, 0.001)).toBe(-1);
  });
});

describe('burn-rate factors', () => {
  const factors = (window: SloWindow) =>
    WORKBOOK_TIERS.map((tier) => burnFactor(tier, periodSeconds(window)));

  it('are the workbook 14.4, 6, 3 and 1 on a 30 day window', () => {
    expect(factors(rolling(30))).toEqual([14.4, 6, 3, 1]);
  });

  it('scale with the period like Sloth on 28 days', () => {
    expect(factors(rolling(28))).toEqual([13.44, 5.6, 2.8, 0.933333333333]);
  });

  it('scale down on 7 days', () => {
    expect(factors(rolling(7))).toEqual([3.36, 1.4, 0.7, 0.233333333333]);
  });

  it('budget a calendar month as 30 days so factors stay constant every month', () => {
    expect(factors(month)).toEqual([14.4, 6, 3, 1]);
    expect(periodLabel(month)).toBe('month');
    expect(periodLabel(rolling(28))).toBe('28d');
  });

  it('turn a factor into the error ratio both windows must exceed', () => {
    expect(errorRatioThreshold(14.4, errorBudget(99.9))).toBe(0.0144);
    expect(errorRatioThreshold(6, errorBudget(99.9))).toBe(0.006);
  });
});

describe('alert policy', () => {
  const alerting = (overrides: Partial<Alerting> = {}): Alerting => ({
    name: 'X',
    labels: {},
    annotations: {},
    page: { enabled: true, severityLabel: 'page', labels: {}, annotations: {} },
    ticket: { enabled: true, severityLabel: 'ticket', labels: {}, annotations: {} },
    absent: false,
    ...overrides,
  });

  it('uses the catalog tiers unless the SLO has its own', () => {
    const own = alertPolicy(
      {
        objective: 99,
        window: rolling(30),
        alerting: alerting({
          tiers: [{ severity: 'page', longWindow: '2h', shortWindow: '10m', budgetPercent: 5 }],
        }),
      },
      WORKBOOK_TIERS,
    );
    expect(own.tiers.map((t) => [t.longWindow, t.factor, t.threshold])).toEqual([['2h', 18, 0.18]]);
    const defaults = alertPolicy(
      { objective: 99, window: rolling(30), alerting: alerting() },
      WORKBOOK_TIERS,
    );
    expect(defaults.page.map((t) => t.longWindow)).toEqual(['1h', '6h']);
    expect(defaults.ticket.map((t) => t.longWindow)).toEqual(['1d', '3d']);
  });

  it('drops the tiers of a disabled target', () => {
    const policy = alertPolicy(
      {
        objective: 99.9,
        window: rolling(30),
        alerting: alerting({ page: { enabled: false, severityLabel: 'page', labels: {}, annotations: {} } }),
      },
      WORKBOOK_TIERS,
    );
    expect(policy.page).toEqual([]);
    expect(policy.ticket).toHaveLength(2);
  });

  it('lists every window to record once, shortest first', () => {
    const policy = alertPolicy(
      { objective: 99.9, window: rolling(30), alerting: alerting() },
      WORKBOOK_TIERS,
    );
    expect(policyWindows(policy, [300, 30 * DAY]).map(formatDuration)).toEqual([
      '5m',
      '30m',
      '1h',
      '2h',
      '6h',
      '1d',
      '3d',
      '30d',
    ]);
  });

  it.each([
    [0.5, []],
    [2, ['ticket']],
    [5, ['ticket']],
    [7, ['page', 'ticket']],
    [1000, ['page', 'ticket']],
  ])('a constant burn of %d sets off %j', (rate, severities) => {
    const policy = alertPolicy(
      { objective: 99.9, window: rolling(30), alerting: alerting() },
      WORKBOOK_TIERS,
    );
    expect(firingSeverities(policy, rate)).toEqual(severities);
  });
});
