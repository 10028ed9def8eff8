import type { SloWindow } from '@burnrate/catalog';
import type { AlertPolicy, ResolvedTier } from './alert-policy.util.js';
import { periodSeconds } from './burn-rate.util.js';
import { formatDuration } from './duration.util.js';

/** Where an SLO stands; the first that holds, in this order, wins. */
export const SLO_STATES = ['no_data', 'burning', 'exhausted', 'warning', 'ok'] as const;
export type SloStateName = (typeof SLO_STATES)[number];

/** The windows every status reports a burn rate for, whatever its tiers. */
export const STATUS_WINDOWS = ['5m', '30m', '1h', '2h', '6h', '1d', '3d'] as const;
export type StatusWindow = (typeof STATUS_WINDOWS)[number];

/** The window whose burn rate projects when the budget runs out. */
const PROJECTION_WINDOW = '1h';

/** What Prometheus says about one SLO (or one label value of a grouped SLO) at one instant. */
export interface SloObservation {
  /**
   * Error ratio by window label (`5m` ... `3d`, the period's `30d`); a window without a series, or
   * whose ratio is NaN (no traffic at all), is left out.
   */
  readonly ratios: Readonly<Record<string, number>>;
  /**
   * Events over each page tier's long window (the low-traffic guard), by window label; only
   * read when the SLO has a `minEvents` guard.
   */
  readonly events?: Readonly<Record<string, number>>;
  /** Calendar-month SLOs: the error ratio over the month to date; undefined before any data. */
  readonly monthToDateRatio?: number;
}

export interface StatusInput {
  readonly window: SloWindow;
  readonly policy: AlertPolicy;
  /** The page tiers' low-traffic guard, exactly as the alert rules apply it. */
  readonly minEvents?: number;
  /** Free-form SLIs carry no event counts, so their alerts have no guard either. */
  readonly guarded: boolean;
  /** Undefined when Prometheus answered but holds no series for the SLO. */
  readonly observation: SloObservation | undefined;
  /** The instant the observation describes: the clock is passed in, never read. */
  readonly now: Date;
}

export interface SloStatus {
  readonly state: SloStateName;
  /** Good share over the SLO window (month to date for a calendar month); null without data. */
  readonly sli: number | null;
  readonly errorBudget: { readonly remaining: number | null; readonly consumed: number | null };
  readonly burnRates: Readonly<Record<StatusWindow, number | null>>;
  /** When the budget runs out at the current 1h burn rate; null when it is not burning. */
  readonly exhaustsAt: Date | null;
}

/** The calendar month holding `now`, in UTC: it starts 00:00 on the 1st and is 28 to 31 days long. */
export function calendarMonthOf(now: Date): {
  start: Date;
  end: Date;
  elapsedSeconds: number;
  lengthSeconds: number;
} {
  const start = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
  const end = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1));
  return {
    start,
    end,
    elapsedSeconds: (now.getTime() - start.getTime()) / 1000,
    lengthSeconds: (end.getTime() - start.getTime()) / 1000,
  };
}

/**
 * Budget, burn rates, time to exhaustion and state of one SLO from its recorded series. The
 * tiers are the alert rules' own (`alertPolicy`), compared the way the rules compare them, so
 * status says `burning` exactly while the page alert's condition holds.
 */
export function evaluateStatus(input: StatusInput): SloStatus {
  const { policy, observation, now } = input;
  const burnRates = Object.fromEntries(
    STATUS_WINDOWS.map((w) => {
      const ratio = observation?.ratios[w];
      return [w, ratio === undefined ? null : ratio / policy.budget];
    }),
  ) as Record<StatusWindow, number | null>;
  if (observation === undefined) {
    return {
      state: 'no_data',
      sli: null,
      errorBudget: { remaining: null, consumed: null },
      burnRates,
      exhaustsAt: null,
    };
  }

  const budget = spentBudget(input.window, policy, observation, now);
  const state: SloStateName = tiersHold(policy.page, input, observation)
    ? 'burning'
    : budget.remaining !== null && budget.remaining <= 0
      ? 'exhausted'
      : tiersHold(policy.ticket, input, observation)
        ? 'warning'
        : 'ok';
  return {
    state,
    sli: budget.sli,
    errorBudget: { remaining: budget.remaining, consumed: budget.consumed },
    burnRates,
    exhaustsAt: exhaustion(input.window, budget.remaining, burnRates[PROJECTION_WINDOW], now),
  };
}

interface SpentBudget {
  sli: number | null;
  remaining: number | null;
  consumed: number | null;
}

/**
 * Rolling windows spend the period's error ratio over the budget. A calendar month's budget is
 * the whole month's, spent in proportion to the share of the month gone by: a bad first day
 * spends a day's share, not the month's.
 */
function spentBudget(
  window: SloWindow,
  policy: AlertPolicy,
  observation: SloObservation,
  now: Date,
): SpentBudget {
  if (window.kind === 'calendar') {
    const month = calendarMonthOf(now);
    const ratio = observation.monthToDateRatio;
    if (ratio === undefined) return { sli: null, remaining: 1, consumed: 0 };
    const consumed = (ratio / policy.budget) * (month.elapsedSeconds / month.lengthSeconds);
    return { sli: 1 - ratio, remaining: 1 - consumed, consumed };
  }
  const ratio = observation.ratios[formatDuration(window.seconds)];
  if (ratio === undefined) return { sli: null, remaining: null, consumed: null };
  const consumed = ratio / policy.budget;
  return { sli: 1 - ratio, remaining: 1 - consumed, consumed };
}

/** A tier holds as its alert clause does: both windows above the threshold, and the guard met. */
function tiersHold(tiers: readonly ResolvedTier[], input: StatusInput, observation: SloObservation): boolean {
  return tiers.some((tier) => {
    const long = observation.ratios[tier.longWindow];
    const short = observation.ratios[tier.shortWindow];
    if (long === undefined || short === undefined) return false;
    if (!(long > tier.threshold && short > tier.threshold)) return false;
    if (tier.severity !== 'page' || !input.guarded || !input.minEvents) return true;
    const events = observation.events?.[tier.longWindow];
    return events !== undefined && events >= input.minEvents;
  });
}

/**
 * Linear projection of the budget left at the current burn rate: a burn rate of 1 spends the
 * whole budget in one period. A calendar month's budget resets on the 1st, so a projection past
 * the month's end is no exhaustion.
 */
function exhaustion(
  window: SloWindow,
  remaining: number | null,
  rate: number | null,
  now: Date,
): Date | null {
  if (remaining === null || rate === null || !(rate > 0)) return null;
  if (remaining <= 0) return now;
  const period = window.kind === 'calendar' ? calendarMonthOf(now).lengthSeconds : periodSeconds(window);
  const at = new Date(now.getTime() + ((remaining * period) / rate) * 1000);
  if (window.kind === 'calendar' && at >= calendarMonthOf(now).end) return null;
  return at;
}
