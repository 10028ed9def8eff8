import type { BurnTier, Service, Slo } from '@burnrate/catalog';
import { WORKBOOK_TIERS } from '@burnrate/catalog';
import {
  type AlertPolicy,
  alertPolicy,
  formatDecimal,
  formatDuration,
  LABEL,
  objectiveRatio,
  parseDuration,
  periodLabel,
  periodSeconds,
  policyWindows,
  SERIES,
} from '@burnrate/slo';
import type { ResolvedRulesOptions } from '../rules-options.js';
import type { RecordingRule, Rule, RuleGroup } from '../rule.model.js';
import { absentAlert, burnRateAlert, sortKeys } from './alert-rules.util.js';
import { type SliSource, sliSource } from './sli-rules.util.js';
import { ratioRule } from './window-rules.util.js';

const HOUR = 3600;
/** Windows every SLO records, alerting or not, so one dashboard query fetches all SLOs. */
const STANDARD_WINDOWS = WORKBOOK_TIERS.flatMap((t) => [
  parseDuration(t.longWindow),
  parseDuration(t.shortWindow),
]);
const SOURCE_SECONDS = 300;

/** One SLO with its maths done and its windows split between the fast and the slow group. */
export interface SloPlan {
  slo: Slo;
  policy: AlertPolicy;
  source: SliSource;
  fastWindows: number[];
  slowWindows: number[];
}

export function planSlo(slo: Slo, defaultTiers: readonly BurnTier[]): SloPlan {
  const policy = alertPolicy(slo, defaultTiers);
  const windows = policyWindows(policy, [SOURCE_SECONDS, periodSeconds(slo.window), ...STANDARD_WINDOWS]);
  // Page windows are recomputed every fast evaluation: paging never waits for the slow group.
  const pageWindows = new Set(policy.page.flatMap((t) => [t.longSeconds, t.shortSeconds]));
  const fast = (s: number) => s <= HOUR || pageWindows.has(s);
  return {
    slo,
    policy,
    source: sliSource(slo),
    fastWindows: windows.filter(fast),
    slowWindows: windows.filter((s) => !fast(s)),
  };
}

/** The fast and slow rule groups of a service's SLOs (none for a service without SLOs). */
export function serviceRuleGroups(
  service: Service,
  defaultTiers: readonly BurnTier[],
  options: ResolvedRulesOptions,
): RuleGroup[] {
  if (service.slos.length === 0) return [];
  const plans = service.slos.map((slo) => planSlo(slo, defaultTiers));
  return [
    {
      name: `burnrate-${service.name}-fast`,
      interval: options.fastInterval,
      rules: plans.flatMap((p) => fastRules(service, p, options)),
    },
    {
      name: `burnrate-${service.name}-slow`,
      interval: options.slowInterval,
      rules: plans.flatMap((p) => slowRules(service, p, options)),
    },
  ];
}

function fastRules(service: Service, plan: SloPlan, options: ResolvedRulesOptions): Rule[] {
  const { slo, source } = plan;
  const identity = { [LABEL.service]: slo.service, [LABEL.slo]: slo.name };
  const rules: Rule[] = [];
  if (source.kind === 'counts') {
    rules.push({ record: SERIES.totalRate5m, expr: source.total, labels: identity });
    rules.push({ record: SERIES.errorRate5m, expr: source.errors, labels: identity });
  }
  rules.push(...plan.fastWindows.map((s) => ratioRule(slo, source, s)));
  const page = burnRateAlert(service, slo, plan.policy, 'page', options);
  if (page) rules.push(page);
  if (slo.alerting.absent) rules.push(absentAlert(service, slo, options));
  return rules;
}

function slowRules(service: Service, plan: SloPlan, options: ResolvedRulesOptions): Rule[] {
  const { slo, source } = plan;
  const rules: Rule[] = plan.slowWindows.map((s) => ratioRule(slo, source, s));
  const ticket = burnRateAlert(service, slo, plan.policy, 'ticket', options);
  if (ticket) rules.push(ticket);
  rules.push(objectiveRule(service, slo));
  return rules;
}

/** The info series: everything about the SLO that is not identity, on one series per SLO. */
export function objectiveRule(service: Service, slo: Slo): RecordingRule {
  const labels = Object.fromEntries(
    Object.entries({ ...service.labels, ...slo.labels }).filter(
      ([key]) => key !== LABEL.window && !key.startsWith('__'),
    ),
  );
  return {
    record: SERIES.objective,
    expr: `vector(${formatDecimal(objectiveRatio(slo.objective))})`,
    labels: sortKeys({
      ...labels,
      [LABEL.service]: slo.service,
      [LABEL.slo]: slo.name,
      [LABEL.team]: slo.team,
      [LABEL.period]: periodLabel(slo.window),
      // The recorded window of the period's ratio: joining on (service, slo, window) picks
      // every SLO's own period ratio in one query.
      [LABEL.window]: formatDuration(periodSeconds(slo.window)),
    }),
  };
}
