import { parseDuration } from '@burnrate/slo';

/** How rule files are wrapped: plain rule files, Kubernetes PrometheusRule, or ruler namespace files. */
export type RuleForm = 'plain' | 'prometheus-rule' | 'ruler';

/** Grafana as docker-compose.yml publishes it: the default base of links in alerts and dashboards. */
export const DEFAULT_GRAFANA_URL = 'http://localhost:3001';

/** The fast group's interval unless told otherwise: the step of every short window's samples. */
export const DEFAULT_FAST_INTERVAL = '1m';

export interface RulesOptions {
  /** Base URL of Grafana, for dashboard and Explore links in annotations. */
  grafanaUrl: string;
  /** Also write promtool unit tests next to the rules (plain form only: promtool reads nothing else). */
  promtoolTests: boolean;
  form?: RuleForm;
  /** Interval of the group that reads raw series and pages. */
  fastInterval?: string;
  /** Interval of the group that records day-scale windows and tickets; below the 5m lookback. */
  slowInterval?: string;
  /** Grafana datasource uid of Tempo, for the traces link. */
  tempoDatasourceUid?: string;
  /** `for` of the absent-SLI alerts. */
  absentFor?: string;
  /** False turns the error-log alert off everywhere; otherwise the catalog decides (Defaults, Service). */
  errorLogAlert?: boolean;
  /** PrometheusRule metadata. */
  kubernetes?: { namespace?: string; labels?: Record<string, string> };
}

export type ResolvedRulesOptions = Required<Omit<RulesOptions, 'kubernetes'>> & {
  kubernetes: { namespace?: string; labels: Record<string, string> };
};

export function resolveRulesOptions(options: RulesOptions): ResolvedRulesOptions {
  const resolved: ResolvedRulesOptions = {
    grafanaUrl: options.grafanaUrl.replace(/\/+$/, ''),
    promtoolTests: options.promtoolTests,
    form: options.form ?? 'plain',
    fastInterval: options.fastInterval ?? DEFAULT_FAST_INTERVAL,
    // 4m, not 5m: a sample is never older than the 5m lookback, even when an evaluation is late.
    slowInterval: options.slowInterval ?? '4m',
    tempoDatasourceUid: options.tempoDatasourceUid ?? 'tempo',
    absentFor: options.absentFor ?? '10m',
    errorLogAlert: options.errorLogAlert ?? true,
    kubernetes: { namespace: options.kubernetes?.namespace, labels: options.kubernetes?.labels ?? {} },
  };
  for (const duration of [resolved.fastInterval, resolved.slowInterval, resolved.absentFor])
    parseDuration(duration);
  return resolved;
}
