/**
 * The recorded series every generated rule file writes and every dashboard and status query
 * reads. Identity labels are only `service`, `slo` and `window`, so renaming a team or adding a
 * label never splits a long-window series; everything else lives on the info series.
 */
export const SERIES = {
  /**
   * Error events per second over 5m (events, goodTotal, latency, gauge, logs SLIs), with its total
   * twin: the day-scale tiles, the low-traffic guard and the dashboards read them. Gauge SLIs
   * count samples (a 0 is an error).
   */
  errorRate5m: 'slo:sli_errors:rate5m',
  /** All events per second over 5m. */
  totalRate5m: 'slo:sli_total:rate5m',
  /**
   * Error ratio (0..1) with a `window` label: 5m, 30m, 1h, 2h, 6h, 1d, 3d and the SLO period; up
   * to 6h read from raw series over the window, longer ones from 5m tiles
   * (`30d` for a calendar month, whose month-to-date budget the status service computes).
   */
  errorRatio: 'slo:sli_error:ratio',
  /**
   * Objective as a ratio (0.999), labels service, slo, team, period (`30d`, `month`), `window` (the
   * recorded window of the period: 30d for a calendar month) and the SLO's labels.
   */
  objective: 'slo:objective:ratio',
} as const;

export const LABEL = {
  service: 'service',
  slo: 'slo',
  team: 'team',
  window: 'window',
  severity: 'severity',
  period: 'period',
} as const;

/** Annotation keys on every generated burn-rate alert; chat renderers turn them into buttons. */
export const ANNOTATION = {
  summary: 'summary',
  description: 'description',
  runbook: 'runbook_url',
  dashboard: 'dashboard',
  traces: 'traces_url',
} as const;
