import type { BurnTier, Severity, Slo } from '@burnrate/catalog';
import { burnFactor, errorBudget, errorRatioThreshold, periodSeconds } from './burn-rate.util.js';
import { formatDuration, parseDuration } from './duration.util.js';

/** A tier with its maths done: windows in canonical spelling, factor and error-ratio threshold. */
export interface ResolvedTier {
  severity: Severity;
  longWindow: string;
  shortWindow: string;
  longSeconds: number;
  shortSeconds: number;
  budgetPercent: number;
  factor: number;
  /** Error ratio both windows must exceed. */
  threshold: number;
}

/** Everything an alert generator needs to know about one SLO's burn-rate alerting. */
export interface AlertPolicy {
  budget: number;
  periodSeconds: number;
  /** Enabled tiers, page first, then by long window. */
  tiers: ResolvedTier[];
  page: ResolvedTier[];
  ticket: ResolvedTier[];
}

/** Tiers for an SLO: its own, else the catalog's; targets that are disabled drop their tiers. */
export function alertPolicy(
  slo: Pick<Slo, 'objective' | 'window' | 'alerting'>,
  defaultTiers: readonly BurnTier[],
): AlertPolicy {
  const budget = errorBudget(slo.objective);
  const period = periodSeconds(slo.window);
  const tiers = (slo.alerting.tiers ?? defaultTiers)
    .filter((tier) => slo.alerting[tier.severity].enabled)
    .map((tier) => resolveTier(tier, period, budget))
    .sort(byTierOrder);
  return {
    budget,
    periodSeconds: period,
    tiers,
    page: tiers.filter((t) => t.severity === 'page'),
    ticket: tiers.filter((t) => t.severity === 'ticket'),
  };
}

export function resolveTier(tier: BurnTier, period: number, budget: number): ResolvedTier {
  const factor = burnFactor(tier, period);
  const longSeconds = parseDuration(tier.longWindow);
  const shortSeconds = parseDuration(tier.shortWindow);
  return {
    severity: tier.severity,
    longWindow: formatDuration(longSeconds),
    shortWindow: formatDuration(shortSeconds),
    longSeconds,
    shortSeconds,
    budgetPercent: tier.budgetPercent,
    factor,
    threshold: errorRatioThreshold(factor, budget),
  };
}

const SEVERITY_ORDER: Record<Severity, number> = { page: 0, ticket: 1 };

function byTierOrder(a: ResolvedTier, b: ResolvedTier): number {
  return (
    SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] ||
    a.longSeconds - b.longSeconds ||
    a.shortSeconds - b.shortSeconds
  );
}

/** Every window an SLO's rules must record, shortest first, without duplicates. */
export function policyWindows(policy: AlertPolicy, extra: readonly number[] = []): number[] {
  const seconds = new Set<number>(extra);
  for (const tier of policy.tiers) {
    seconds.add(tier.longSeconds);
    seconds.add(tier.shortSeconds);
  }
  return [...seconds].sort((a, b) => a - b);
}

/** Which severities a constant burn rate sets off once every window is full of it. */
export function firingSeverities(policy: AlertPolicy, rate: number): Severity[] {
  const out: Severity[] = [];
  if (policy.page.some((t) => rate > t.factor)) out.push('page');
  if (policy.ticket.some((t) => rate > t.factor)) out.push('ticket');
  return out;
}
