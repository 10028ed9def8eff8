import { DEFAULT_ANOMALY_RULES, type AnomalyRules } from './cost-report.js';

/** A configuration value the report cannot use. */
export class ReportConfigError extends Error {
  override name = 'ReportConfigError';
}

/**
 * `COST_ANOMALY_WINDOW_DAYS` (28), `COST_ANOMALY_Z` (3.5), `COST_ANOMALY_WOW_PERCENT` (30),
 * `COST_ANOMALY_MIN_AMOUNT` (50, in the report's currency).
 */
export function anomalyRulesFromEnv(env: Record<string, string | undefined>): AnomalyRules {
  const number = (name: string, fallback: number, check: (n: number) => boolean, allowed: string) => {
    const raw = env[name]?.trim();
    if (!raw) return fallback;
    const n = Number(raw);
    if (!Number.isFinite(n) || !check(n))
      throw new ReportConfigError(`${name}: \`${raw}\` must be ${allowed}`);
    return n;
  };
  const minAmount = env['COST_ANOMALY_MIN_AMOUNT']?.trim() || DEFAULT_ANOMALY_RULES.minAmount;
  if (!/^\d+(\.\d+)?$/.test(minAmount))
    throw new ReportConfigError(
      `COST_ANOMALY_MIN_AMOUNT: \`${minAmount}\` must be a decimal amount such as 50 or 12.50`,
    );
  return {
    windowDays: number(
      'COST_ANOMALY_WINDOW_DAYS',
      DEFAULT_ANOMALY_RULES.windowDays,
      (n) => Number.isInteger(n) && n >= 7 && n <= 366,
      'a whole number of days from 7 to 366',
    ),
    z: number('COST_ANOMALY_Z', DEFAULT_ANOMALY_RULES.z, (n) => n > 0, 'a number above 0'),
    weekOverWeekPercent: number(
      'COST_ANOMALY_WOW_PERCENT',
      DEFAULT_ANOMALY_RULES.weekOverWeekPercent,
      (n) => n > 0,
      'a percent above 0',
    ),
    minAmount,
  };
}
