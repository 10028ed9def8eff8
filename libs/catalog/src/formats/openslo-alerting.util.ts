import { DEFAULT_CATALOG_DEFAULTS } from '../model/defaults.js';
import type { BurnTier, Severity, SloWindow, SourceRef } from '../model/catalog.model.js';
import { durationSeconds } from '../load/checks.js';
import type { Contributions } from '../load/drafts.js';
import type { Problem } from '../problems/problem.js';

/** An OpenSLO `AlertCondition` as written; checked against an SLO only when one uses it. */
export interface OpenSloCondition {
  name: string;
  severity: string | undefined;
  kind: string;
  op: string | undefined;
  threshold: number | undefined;
  lookbackWindow: string | undefined;
  alertAfter: string | undefined;
  source: SourceRef;
}

export type ConditionUse = { ref: string; source: SourceRef } | { condition: OpenSloCondition };

export interface OpenSloPolicy {
  name: string;
  conditions: ConditionUse[];
  alertWhenBreaching: boolean;
  alertWhenNoData: boolean;
  alertWhenResolved: boolean | undefined;
  /** Names of the notification targets, which Burnrate does not read. */
  targets: string[];
  source: SourceRef;
}

export type PolicyUse = { ref: string; source: SourceRef } | { policy: OpenSloPolicy };

/** AlertPolicy and AlertCondition documents by name, from every file. */
export interface OpenSloAlertingContributions {
  policies: Map<string, OpenSloPolicy>;
  conditions: Map<string, OpenSloCondition>;
}

/** Calendar months are budgeted as 30 days, as libs/slo does. */
const MONTH_SECONDS = 30 * 86400;
const PAGE = /^(page|critical|crit|high|urgent|emergency|sev-?[01]|p[01])$/i;
const TICKET = /^(ticket|warning|warn|medium|low|info|minor|sev-?[2-5]|p[2-5])$/i;

/**
 * Maps each OpenSLO SLO's alert policies onto burn-rate tiers of the SLO, once every file is
 * read (policies and conditions may live in other files). A `burnrate` condition is a tier:
 * its `lookbackWindow` is the long window, the short window is a twelfth of it (the SRE
 * workbook's rule), and its `threshold` (a burn rate) becomes the budget share the tier lets
 * burn: threshold x lookbackWindow / SLO period, so the generated factor is the threshold.
 * What cannot be mapped is named in a warning, never dropped silently.
 */
export function linkOpenSloAlerting(c: Contributions, problems: Problem[]): void {
  const { policies, conditions } = c.openslo.alerting;
  const seen = new Set<string>();
  const report = (severity: Problem['severity'], at: SourceRef, message: string) => {
    const key = `${at.file}:${at.line}:${at.column}:${message}`;
    if (!seen.has(key)) problems.push({ ...at, severity, message });
    seen.add(key);
  };
  const defaultWindow = c.defaults[0]?.value.window ?? DEFAULT_CATALOG_DEFAULTS.window;
  const usedPolicies = new Set<OpenSloPolicy>();
  const referencedConditions = new Set<string>();
  const allPolicies = [...policies.values()];
  for (const entry of c.openslo.slos)
    for (const use of entry.alertPolicies ?? []) if ('policy' in use) allPolicies.push(use.policy);
  for (const policy of allPolicies)
    for (const use of policy.conditions) if ('ref' in use) referencedConditions.add(use.ref);

  for (const entry of c.openslo.slos) {
    if (!entry.alertPolicies || entry.alertPolicies.length === 0) continue;
    const slo = entry.slo;
    const window = slo.window ?? defaultWindow;
    const tiers: BurnTier[] = [];
    const labels: Partial<Record<Severity, { text: string; from: string }>> = {};
    for (const use of entry.alertPolicies) {
      const policy = 'policy' in use ? use.policy : policies.get(use.ref);
      if (!policy) {
        const known = [...policies.keys()];
        report(
          'error',
          (use as { source: SourceRef }).source,
          `alertPolicyRef \`${(use as { ref: string }).ref}\` names no OpenSLO AlertPolicy${known.length ? ` (declared: ${known.join(', ')})` : ''}`,
        );
        continue;
      }
      usedPolicies.add(policy);
      reportIgnoredPolicyParts(policy, report);
      if (!policy.alertWhenBreaching) {
        report(
          'warning',
          policy.source,
          `AlertPolicy \`${policy.name}\` sets alertWhenBreaching: false; Burnrate alerts only on breaches, so the policy adds no tier`,
        );
        continue;
      }
      if (policy.alertWhenNoData) slo.alerting.absent = true;
      for (const conditionUse of policy.conditions) {
        const condition =
          'condition' in conditionUse ? conditionUse.condition : conditions.get(conditionUse.ref);
        if (!condition) {
          const ref = conditionUse as { ref: string; source: SourceRef };
          report('error', ref.source, `conditionRef \`${ref.ref}\` names no OpenSLO AlertCondition`);
          continue;
        }
        if (condition.alertAfter !== undefined && !/^0[smhd]?$/.test(condition.alertAfter)) {
          report(
            'warning',
            condition.source,
            `AlertCondition \`${condition.name}\`: alertAfter ${condition.alertAfter} is ignored; a tier confirms the burn with its short window (a twelfth of lookbackWindow) instead of waiting`,
          );
        }
        const mapped = conditionTier(condition, window);
        if (typeof mapped === 'string') {
          report(
            'warning',
            condition.source,
            `AlertCondition \`${condition.name}\` gives SLO \`${slo.name}\` no tier: ${mapped}`,
          );
          continue;
        }
        if (mapped.unknownSeverity) {
          report(
            'warning',
            condition.source,
            `AlertCondition \`${condition.name}\`: severity \`${condition.severity}\` is neither page-like (page, critical, high) nor ticket-like (ticket, warning, low): read as ticket`,
          );
        }
        if (!tiers.some((t) => sameTier(t, mapped.tier))) tiers.push(mapped.tier);
        const written = condition.severity;
        const first = labels[mapped.tier.severity];
        if (written !== undefined && !first)
          labels[mapped.tier.severity] = { text: written, from: condition.name };
        else if (written !== undefined && first && first.text !== written) {
          report(
            'warning',
            condition.source,
            `AlertCondition \`${condition.name}\`: severity \`${written}\` differs from \`${first.text}\` of \`${first.from}\`; the SLO's ${mapped.tier.severity} alert carries severity="${first.text}"`,
          );
        }
      }
    }
    if (tiers.length === 0) {
      report(
        'warning',
        slo.source,
        `no alert condition of SLO \`${slo.name}\` maps onto a burn-rate tier: the catalog's default tiers apply`,
      );
      continue;
    }
    slo.alerting.tiers = tiers;
    // The severity label as the spec wrote it, so existing Alertmanager routes keep matching.
    for (const severity of ['page', 'ticket'] as const) {
      const label = labels[severity];
      if (label) slo.alerting[severity].severityLabel = label.text;
    }
  }

  for (const policy of policies.values()) {
    if (!usedPolicies.has(policy))
      report(
        'warning',
        policy.source,
        `AlertPolicy \`${policy.name}\` is named by no SLO's alertPolicies: it is ignored`,
      );
  }
  for (const condition of conditions.values()) {
    if (!referencedConditions.has(condition.name))
      report(
        'warning',
        condition.source,
        `AlertCondition \`${condition.name}\` is named by no AlertPolicy's conditions: it is ignored`,
      );
  }
}

function reportIgnoredPolicyParts(
  policy: OpenSloPolicy,
  report: (s: Problem['severity'], at: SourceRef, m: string) => void,
): void {
  const ignored: string[] = [];
  if (policy.targets.length > 0)
    ignored.push(
      `notificationTargets (${policy.targets.join(', ')}): alerts route by team, through the Team's chat targets and Alertmanager`,
    );
  if (policy.alertWhenResolved === false)
    ignored.push(
      "alertWhenResolved: false (resolved notifications are the Alertmanager receiver's send_resolved)",
    );
  if (ignored.length > 0)
    report('warning', policy.source, `AlertPolicy \`${policy.name}\`: ignored ${ignored.join('; ')}`);
}

/** The tier one condition stands for, or why it cannot be one. */
export function conditionTier(
  condition: OpenSloCondition,
  window: SloWindow,
): { tier: BurnTier; unknownSeverity: boolean } | string {
  const kind = condition.kind.toLowerCase().replace(/[-_ ]/g, '');
  if (kind !== 'burnrate')
    return `kind \`${condition.kind}\` is not a burn rate (only \`burnrate\` maps onto tiers)`;
  const op = (condition.op ?? 'gt').toLowerCase();
  if (op === 'lt' || op === 'lte')
    return `op \`${condition.op}\` fires while the budget burns slower than the threshold, which no burn-rate tier does (use gt or gte)`;
  if (op !== 'gt' && op !== 'gte') return `unknown op \`${condition.op}\` (use gt or gte)`;
  const threshold = condition.threshold;
  if (threshold === undefined || !(threshold > 0))
    return 'its threshold (a burn rate) must be a number above 0';
  const lookback = condition.lookbackWindow;
  const longSeconds = lookback === undefined ? undefined : durationSeconds(lookback);
  if (lookback === undefined || longSeconds === undefined)
    return `lookbackWindow \`${lookback ?? ''}\` is not a duration in one unit (5m, 1h, 3d)`;
  const shortSeconds = Math.max(60, Math.round(longSeconds / 12 / 60) * 60);
  if (shortSeconds >= longSeconds)
    return `lookbackWindow ${lookback} leaves no room for a shorter confirming window (use 15m or more)`;
  const period = window.kind === 'rolling' ? window.seconds : MONTH_SECONDS;
  const budgetPercent = Number(((threshold * longSeconds * 100) / period).toPrecision(15));
  if (budgetPercent > 100) {
    const shown = Number(budgetPercent.toPrecision(4));
    return `a burn rate of ${threshold} over ${lookback} spends ${shown}% of the ${window.kind === 'rolling' ? window.duration : 'month'} budget, more than all of it`;
  }
  const severity = condition.severity ?? '';
  const page = PAGE.test(severity);
  return {
    tier: {
      severity: page ? 'page' : 'ticket',
      longWindow: lookback,
      shortWindow: shortSeconds % 3600 === 0 ? `${shortSeconds / 3600}h` : `${shortSeconds / 60}m`,
      budgetPercent,
    },
    unknownSeverity: !page && !TICKET.test(severity),
  };
}

const sameTier = (a: BurnTier, b: BurnTier): boolean =>
  a.severity === b.severity &&
  a.longWindow === b.longWindow &&
  a.shortWindow === b.shortWindow &&
  a.budgetPercent === b.budgetPercent;
