import { renderWindow as renderTemplate, type Sli, type Slo } from '@burnrate/catalog';
import { formatDecimal, LABEL, SERIES } from '@burnrate/slo';
import { quote, renderSelector, sumRateSelector } from '../promql/selector.util.js';

/** Matching a raw query's result with recorded series, which carry these two labels besides the SLI's own. */
const IDENTITY = `ignoring (${LABEL.service}, ${LABEL.slo})`;

/** The SLI's source window: every longer window is built from 5m tiles of it. */
export const SOURCE_WINDOW = '5m';

/** What the fast group records straight from raw series for one SLO. */
export type SliSource =
  | { kind: 'counts'; total: string; errors: string }
  /** Raw ratio SLIs: the 5m error ratio itself. */
  | { kind: 'ratio'; ratio: string }
  /** Logs SLIs: counts come from the Loki ruler (remote write); Prometheus records nothing raw. */
  | { kind: 'external' };

/** `slo:sli_total:rate5m{service="checkout", slo="availability"}` */
export function sloSeries(name: string, slo: Pick<Slo, 'service' | 'name'>, extra: Record<string, string> = {}): string {
  const labels = { [LABEL.service]: slo.service, [LABEL.slo]: slo.name, ...extra };
  return renderSelector(
    name,
    Object.entries(labels).map(([key, value]) => `${key}=${quote(value)}`),
  );
}

/** The catalog's one window placeholder (`{{.window}}`), rendered; trimmed for rule files. */
export const renderWindow = (template: string, window: string): string => renderTemplate(template, window).trim();

/** True when generated tests can feed real input series for the SLI (see promtool/input-series). */
export function isSelectorShaped(sli: Sli): boolean {
  switch (sli.kind) {
    case 'events':
      return sumRateSelector(sli.errorQuery) !== undefined && sumRateSelector(sli.totalQuery) !== undefined;
    case 'goodTotal':
      return sumRateSelector(sli.goodQuery) !== undefined && sumRateSelector(sli.totalQuery) !== undefined;
    case 'latency':
      return sli.histogram === 'classic';
    case 'gauge':
      return true;
    case 'raw':
    case 'logs':
      return false;
  }
}

/**
 * The one place raw series are read. Counts are per-second rates so that sums of 5m tiles give
 * exact, traffic-weighted ratios over any window. Shapes Burnrate recognises reuse the recorded
 * total (read once) and zero-fill a missing error series; free-form queries are rendered as
 * written, so they behave exactly as under Sloth.
 */
export function sliSource(slo: Slo): SliSource {
  const sli = slo.sli;
  const total = sloSeries(SERIES.totalRate5m, slo);
  const w = SOURCE_WINDOW;
  switch (sli.kind) {
    case 'events': {
      const errors = renderWindow(sli.errorQuery, w);
      return {
        kind: 'counts',
        total: renderWindow(sli.totalQuery, w),
        // Zero where the SLI has traffic but no error series yet, label set by label set: the
        // recorded total carries service and slo besides the SLI's own (grouping) labels.
        errors: isSelectorShaped(sli) ? `(${errors})\nor ${IDENTITY}\n(0 * ${total})` : errors,
      };
    }
    case 'goodTotal': {
      const good = renderWindow(sli.goodQuery, w);
      const totalQuery = renderWindow(sli.totalQuery, w);
      // No good events at all (a total outage) must read as every event failing, not as no data.
      const base = isSelectorShaped(sli) ? total : `(${totalQuery})`;
      return { kind: 'counts', total: totalQuery, errors: `${base}\n- ${IDENTITY}\n((${good}) or ${IDENTITY} (0 * ${total}))` };
    }
    case 'latency':
      return sli.histogram === 'classic' ? classicLatency(sli, total) : nativeLatency(sli);
    case 'gauge':
      return {
        kind: 'counts',
        total: `sum(count_over_time(${sli.selector}[${w}])) / 300`,
        errors: `${total}\n- on ()\nsum(sum_over_time(${sli.selector}[${w}])) / 300`,
      };
    case 'raw':
      return { kind: 'ratio', ratio: renderWindow(sli.errorRatioQuery, w) };
    case 'logs':
      return { kind: 'external' };
  }
}

type LatencySli = Extract<Sli, { kind: 'latency' }>;

function classicLatency(sli: LatencySli, total: string): SliSource {
  const selector = (suffix: string, extra: string[] = []) => renderSelector(`${sli.metric}${suffix}`, [sli.matchers, ...extra]);
  return {
    kind: 'counts',
    total: `sum(rate(${selector('_count')}[${SOURCE_WINDOW}]))`,
    errors: `${total}\n- on ()\nsum(rate(${selector('_bucket', [leMatcher(sli.thresholdSeconds)])}[${SOURCE_WINDOW}]))`,
  };
}

/**
 * Prometheus 3 writes whole-number bucket bounds as `1.0` where Prometheus 2 kept `1`; a regex
 * that accepts both parses and works on 2.42. Fractional bounds read the same in both.
 */
export function leMatcher(seconds: number): string {
  const bound = formatDecimal(seconds);
  return Number.isInteger(seconds) ? `le=~${quote(`${bound}(\\.0)?`)}` : `le=${quote(bound)}`;
}

function nativeLatency(sli: LatencySli): SliSource {
  const histogram = `sum(rate(${renderSelector(sli.metric, [sli.matchers])}[${SOURCE_WINDOW}]))`;
  const bound = formatDecimal(sli.thresholdSeconds);
  return {
    kind: 'counts',
    total: `histogram_count(${histogram})`,
    errors: `histogram_count(${histogram})\n* (1 - histogram_fraction(0, ${bound}, ${histogram}))`,
  };
}
