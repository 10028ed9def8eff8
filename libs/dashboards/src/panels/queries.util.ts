import type { Slo } from '@burnrate/catalog';
import { formatDecimal, formatDuration, LABEL, periodSeconds, SERIES } from '@burnrate/slo';

/** Metric names of the two HTTP conventions Burnrate understands. */
const HTTP = {
  opentelemetry: {
    requests: 'http_server_request_duration_seconds_count',
    buckets: 'http_server_request_duration_seconds_bucket',
    status: 'http_response_status_code',
  },
  classic: {
    requests: 'http_requests_total',
    buckets: 'http_request_duration_seconds_bucket',
    status: 'code',
  },
} as const;

/** RED queries for a service's HTTP traffic. */
export function redQueries(matchers: string, convention: keyof typeof HTTP) {
  const m = HTTP[convention];
  const sel = matchers;
  const errors = `${sel}${sel ? ',' : ''}${m.status}=~"5.."`;
  const rate = (matchers: string) => `sum(rate(${m.requests}{${matchers}}[$__rate_interval]))`;
  return {
    statusLabel: m.status,
    rate: rate(sel),
    rateByStatus: `sum by (${m.status}) (rate(${m.requests}{${sel}}[$__rate_interval]))`,
    errorRatio: `${rate(errors)} / ${rate(sel)}`,
    quantile: (q: number) =>
      `histogram_quantile(${q}, sum by (le) (rate(${m.buckets}{${sel}}[$__rate_interval])))`,
  };
}

/** Label matchers that pick one SLO's recorded series. */
export const sloSelector = (slo: Pick<Slo, 'service' | 'name'>): string =>
  `${LABEL.service}="${slo.service}", ${LABEL.slo}="${slo.name}"`;

/** The window label of the SLO period's recorded ratio (a calendar month is recorded as 30d). */
export const periodWindow = (slo: Pick<Slo, 'window'>): string => formatDuration(periodSeconds(slo.window));

export function sloQueries(slo: Pick<Slo, 'service' | 'name' | 'window' | 'sli'>, budget: number) {
  const sel = sloSelector(slo);
  const ratio = (window: string) => `${SERIES.errorRatio}{${sel}, ${LABEL.window}="${window}"}`;
  const b = formatDecimal(budget);
  // Over the panel's range (`now/M`: the month so far), traffic-weighted from the recorded 5m rates;
  // a raw ratio SLI has no rates, only its 5m ratio, averaged.
  const rangeRatio =
    slo.sli.kind === 'raw'
      ? `avg_over_time(${ratio('5m')}[$__range])`
      : `sum_over_time(${SERIES.errorRate5m}{${sel}}[$__range]) / sum_over_time(${SERIES.totalRate5m}{${sel}}[$__range])`;
  return {
    /** Budget left over the panel's whole range, for a calendar month's month-to-date. */
    budgetRemainingInRange: `1 - (${rangeRatio}) / ${b}`,
    ratio,
    sliNow: `1 - ${ratio('5m')}`,
    budgetRemaining: `1 - ${ratio(periodWindow(slo))} / ${b}`,
    burnRate: (window: string) => `${ratio(window)} / ${b}`,
  };
}
