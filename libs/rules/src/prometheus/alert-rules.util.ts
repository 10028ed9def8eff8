import type { AlertTarget, Service, Severity, Slo } from '@burnrate/catalog';
import {
  ANNOTATION,
  type AlertPolicy,
  formatDecimal,
  formatDuration,
  LABEL,
  parseDuration,
  periodLabel,
  type ResolvedTier,
  SERIES,
} from '@burnrate/slo';
import type { ResolvedRulesOptions } from '../rules-options.js';
import type { AlertingRule } from '../rule.model.js';
import { dashboardUrl, tempoExploreUrl } from './links.util.js';
import { mustExist, requiredSeries } from './required-series.util.js';
import { sloSeries } from './sli-rules.util.js';
import { eventsOver } from './window-rules.util.js';

/** Labels users may not set: identity and window labels belong to the generator. */
const RESERVED = new Set<string>([LABEL.window, 'alertname']);

export const userLabels = (...sources: Record<string, string>[]): Record<string, string> =>
  Object.fromEntries(
    sources.flatMap((s) => Object.entries(s)).filter(([key]) => !RESERVED.has(key) && !key.startsWith('__')),
  );

/** The labels contract: service, slo, team and severity win over anything a spec declares. */
export function alertLabels(service: Service, slo: Slo, severity: Severity): Record<string, string> {
  const target = slo.alerting[severity];
  return sortKeys({
    ...userLabels(service.labels, slo.labels, slo.alerting.labels, target.labels),
    [LABEL.service]: slo.service,
    [LABEL.slo]: slo.name,
    [LABEL.team]: slo.team,
    [LABEL.severity]: target.severityLabel || severity,
  });
}

/**
 * One alert per severity, firing while any of its tiers burns too fast on both windows. The
 * window label is aggregated away so a tier change never resolves and re-fires the alert.
 */
export function burnRateAlert(
  service: Service,
  slo: Slo,
  policy: AlertPolicy,
  severity: Severity,
  options: ResolvedRulesOptions,
): AlertingRule | undefined {
  const tiers = policy[severity];
  if (tiers.length === 0) return undefined;
  const sampleSeconds = parseDuration(options.fastInterval);
  const clauses = tiers.map((tier) =>
    tierClause(slo, tier, severity === 'page' ? slo.alerting.minEvents : undefined, sampleSeconds),
  );
  const body =
    clauses.length === 1
      ? clauses[0]!
      : clauses.map((c) => `(\n${indent(c)}\n)`).join('\nor ignoring (window)\n');
  return {
    alert: slo.alerting.name,
    expr: `max without (window) (\n${indent(body)}\n)`,
    labels: alertLabels(service, slo, severity),
    annotations: alertAnnotations(service, slo, policy, severity, options),
  };
}

function tierClause(
  slo: Slo,
  tier: ResolvedTier,
  minEvents: number | undefined,
  sampleSeconds: number,
): string {
  const threshold = formatDecimal(tier.threshold);
  const ratio = (window: string) =>
    `${sloSeries(SERIES.errorRatio, slo, { [LABEL.window]: window })} > ${threshold}`;
  const parts = [ratio(tier.longWindow), ratio(tier.shortWindow)];
  // Low-traffic guard: a handful of failures in a quiet hour should not wake anyone.
  if (minEvents !== undefined && minEvents > 0 && slo.sli.kind !== 'raw') {
    parts.push(`${eventsOver(slo, tier.longSeconds, sampleSeconds)} >= ${formatDecimal(minEvents)}`);
  }
  return parts.join('\nand ignoring (window)\n');
}

function alertAnnotations(
  service: Service,
  slo: Slo,
  policy: AlertPolicy,
  severity: Severity,
  options: ResolvedRulesOptions,
): Record<string, string> {
  const target: AlertTarget = slo.alerting[severity];
  const tiers = policy[severity]
    .map(
      (t) =>
        `${formatDecimal(t.factor)}x over ${t.longWindow} and ${t.shortWindow} (${formatDecimal(t.budgetPercent)}% of the budget in ${t.longWindow})`,
    )
    .join(', or ');
  const defaults: Record<string, string> = {
    [ANNOTATION.summary]: `${slo.service} ${slo.name} is burning its error budget too fast`,
    [ANNOTATION.description]:
      `${sloTitle(slo)} errors exceed ${tiers}. ` +
      (severity === 'page'
        ? 'At this pace the budget is gone within days: act now.'
        : 'Plan a fix before the budget runs out.'),
    [ANNOTATION.dashboard]: dashboardUrl(options.grafanaUrl, service),
  };
  if (service.runbook) defaults[ANNOTATION.runbook] = service.runbook;
  const tempo = service.telemetry.tempo;
  if (tempo)
    defaults[ANNOTATION.traces] = tempoExploreUrl(
      options.grafanaUrl,
      options.tempoDatasourceUid,
      tempo.serviceName,
    );
  return sortKeys({ ...defaults, ...slo.alerting.annotations, ...target.annotations });
}

const sloTitle = (slo: Slo): string =>
  `${slo.service} (team ${slo.team}) ${slo.name} SLO, ${formatDecimal(slo.objective)}% over ${periodLabel(slo.window)}:`;

/**
 * Fires when any series the SLI needs has had no data for a while: broken exporter, renamed
 * metric, or a latency threshold that is no bucket boundary (its bucket never exists). The
 * recorded total closes the list: a free-form query can yield nothing from present series.
 * `max` keeps one alert per SLO whichever series is missing.
 */
export function absentAlert(service: Service, slo: Slo, options: ResolvedRulesOptions): AlertingRule {
  const recorded =
    slo.sli.kind === 'raw'
      ? sloSeries(SERIES.errorRatio, slo, { [LABEL.window]: '5m' })
      : sloSeries(SERIES.totalRate5m, slo);
  const watched = [...new Set([...mustExist(requiredSeries(slo)).map((s) => s.selector), recorded])];
  const severity: Severity = 'ticket';
  const annotations: Record<string, string> = {
    [ANNOTATION.summary]: `${slo.service} ${slo.name} has no SLI data`,
    [ANNOTATION.description]:
      `${sloTitle(slo)} no data for ${options.absentFor} from one of ${watched.join(', ')}; ` +
      'the SLO cannot alert until it comes back (`burnrate verify` names the missing series).',
    [ANNOTATION.dashboard]: dashboardUrl(options.grafanaUrl, service),
  };
  if (service.runbook) annotations[ANNOTATION.runbook] = service.runbook;
  const terms = watched.map((selector) => `absent(${selector})`);
  return {
    alert: `${slo.alerting.name}SLIAbsent`,
    expr: terms.length === 1 ? terms[0]! : `max(\n${indent(terms.join('\nor\n'))}\n)`,
    for: formatDuration(parseDuration(options.absentFor)),
    labels: alertLabels(service, slo, severity),
    annotations: sortKeys(annotations),
  };
}

export const indent = (text: string, by = '  '): string =>
  text
    .split('\n')
    .map((line) => (line.length > 0 ? by + line : line))
    .join('\n');

export const sortKeys = (record: Record<string, string>): Record<string, string> =>
  Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
