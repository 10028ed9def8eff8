import type { BurnTier, SloWindow } from '@burnrate/catalog';
import { roundDecimal } from './decimal.util.js';
import { formatDuration, parseDuration } from './duration.util.js';
import { SloMathError } from './slo-math.exception.js';

const DAY = 24 * 3600;

/**
 * Calendar months are budgeted as 30 days: burn-rate factors must not change from one month to
 * the next, and month-to-date budget is computed at query time by the status service.
 */
export const CALENDAR_MONTH_SECONDS = 30 * DAY;

/** Seconds the error budget is spread over. */
export function periodSeconds(window: SloWindow): number {
  return window.kind === 'rolling' ? window.seconds : CALENDAR_MONTH_SECONDS;
}

/** Allowed error ratio: 99.9 -> 0.001. */
export function errorBudget(objectivePercent: number): number {
  if (!(objectivePercent > 0 && objectivePercent < 100)) {
    throw new SloMathError(
      'invalid-objective',
      `objective ${objectivePercent} must be strictly between 0 and 100`,
    );
  }
  return roundDecimal((100 - objectivePercent) / 100);
}

/** Objective as a ratio: 99.9 -> 0.999. */
export const objectiveRatio = (objectivePercent: number): number => roundDecimal(objectivePercent / 100);

/**
 * Burn rate at which the tier spends its share of the budget within its long window:
 * budgetPercent/100 x period / longWindow (2% over 1h of 30d -> 14.4).
 */
export function burnFactor(tier: Pick<BurnTier, 'budgetPercent' | 'longWindow'>, period: number): number {
  if (!(tier.budgetPercent > 0 && tier.budgetPercent <= 100)) {
    throw new SloMathError('invalid-tier', `budgetPercent ${tier.budgetPercent} must be in (0, 100]`);
  }
  return roundDecimal((tier.budgetPercent * period) / (100 * parseDuration(tier.longWindow)));
}

/** Error ratio above which a tier window burns too fast: factor x budget. */
export const errorRatioThreshold = (factor: number, budget: number): number => roundDecimal(factor * budget);

/** Burn rate of an observed error ratio; NaN when there is no budget data. */
export const burnRate = (errorRatio: number, budget: number): number => errorRatio / budget;

/** Share of the budget left (1 = untouched, 0 = spent, negative = overspent) given the period's error ratio. */
export const budgetRemaining = (periodErrorRatio: number, budget: number): number =>
  roundDecimal(1 - periodErrorRatio / budget);

/** Time until the whole budget is spent at a constant burn rate, from a fresh budget. */
export const secondsToExhaustion = (rate: number, period: number): number =>
  rate > 0 ? period / rate : Infinity;

/** The period as a label value: `30d`, `28d`, or `month` for a calendar month. */
export const periodLabel = (window: SloWindow): string =>
  window.kind === 'calendar' ? 'month' : formatDuration(window.seconds);
