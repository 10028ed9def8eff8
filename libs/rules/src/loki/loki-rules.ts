import { errorLogAlertOf, type Catalog, type ErrorLogAlert, type Service, type Slo } from '@burnrate/catalog';
import { ANNOTATION, formatDecimal, LABEL, SERIES } from '@burnrate/slo';
import { sortKeys, userLabels } from '../prometheus/alert-rules.util.js';
import { dashboardUrl } from '../prometheus/links.util.js';
import { sortedServices } from '../prometheus/prometheus-rules.js';
import type { ResolvedRulesOptions } from '../rules-options.js';
import type { AlertingRule, RecordingRule, RuleGroup } from '../rule.model.js';

export const lokiRulesPath = (service: Pick<Service, 'team' | 'name'>): string =>
  `rules/loki/${service.team}/${service.name}.yaml`;

export interface LokiRuleSet {
  service: Service;
  path: string;
  groups: RuleGroup[];
}

/**
 * Loki ruler groups per service. Logs SLIs are recorded here as the same 5m rates every other
 * SLI uses, remote-written by the ruler to Prometheus, where the shared windows and burn-rate
 * alerts take over: Loki scans 5 minutes of logs per minute, never three days.
 */
export function lokiRuleSets(catalog: Catalog, options: ResolvedRulesOptions): LokiRuleSet[] {
  return sortedServices(catalog)
    .map((service) => ({
      service,
      path: lokiRulesPath(service),
      groups: lokiGroups(service, catalog, options),
    }))
    .filter((set) => set.groups.length > 0);
}

function lokiGroups(service: Service, catalog: Catalog, options: ResolvedRulesOptions): RuleGroup[] {
  const groups: RuleGroup[] = [];
  const sliRules = service.slos.flatMap(logsSliRules);
  if (sliRules.length > 0)
    groups.push({
      name: `burnrate-${service.name}-logs-sli`,
      interval: options.fastInterval,
      rules: sliRules,
    });
  const loki = service.telemetry.loki;
  const alert = errorLogAlertOf(service, catalog.defaults);
  if (loki && alert.enabled && options.errorLogAlert !== false) {
    groups.push({
      name: `burnrate-${service.name}-logs-alerts`,
      interval: options.fastInterval,
      rules: [errorLogAlert(service, loki.selector, loki.errorFilter, alert, options)],
    });
  }
  return groups;
}

function logsSliRules(slo: Slo): RecordingRule[] {
  if (slo.sli.kind !== 'logs') return [];
  const { selector, errorFilter } = slo.sli;
  const labels = { [LABEL.service]: slo.service, [LABEL.slo]: slo.name };
  return [
    { record: SERIES.totalRate5m, expr: `sum(rate(${selector} [5m]))`, labels },
    // Zero when no line matches: a quiet error filter is a healthy service, not missing data.
    { record: SERIES.errorRate5m, expr: `sum(rate(${selector} ${errorFilter} [5m]))\nor vector(0)`, labels },
  ];
}

/** Error lines above a share of all lines, with a floor so one error in a quiet minute stays quiet. */
function errorLogAlert(
  service: Service,
  selector: string,
  errorFilter: string,
  alert: ErrorLogAlert,
  options: ResolvedRulesOptions,
): AlertingRule {
  const errors = `sum(count_over_time(${selector} ${errorFilter} [5m]))`;
  const labels = { ...userLabels(service.labels), [LABEL.service]: service.name, [LABEL.team]: service.team };
  const annotations: Record<string, string> = {
    [ANNOTATION.summary]: `${service.name} logs more than ${formatDecimal(alert.errorPercent)}% error lines`,
    [ANNOTATION.description]: `More than ${formatDecimal(alert.errorPercent)}% of ${service.name}'s log lines (and at least ${formatDecimal(alert.minLines)}) matched \`${errorFilter}\` over 5m, for ${alert.for}.`,
    [ANNOTATION.dashboard]: dashboardUrl(options.grafanaUrl, service),
  };
  if (service.runbook) annotations[ANNOTATION.runbook] = service.runbook;
  return {
    alert: `${pascal(service.name)}ErrorLogs`,
    expr: `${errors}\n/\nsum(count_over_time(${selector} [5m]))\n> ${formatDecimal(alert.errorPercent / 100)}\nand\n${errors}\n>= ${formatDecimal(alert.minLines)}`,
    for: alert.for,
    labels: sortKeys({ ...labels, [LABEL.severity]: 'ticket' }),
    annotations: sortKeys(annotations),
  };
}

const pascal = (name: string): string =>
  name
    .split(/[^a-zA-Z0-9]+/)
    .filter(Boolean)
    .map((p) => p[0]!.toUpperCase() + p.slice(1))
    .join('');
