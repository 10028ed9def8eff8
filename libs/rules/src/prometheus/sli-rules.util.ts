import { hasWindowPlaceholder, renderWindow as renderTemplate, type Sli, type Slo } from '@burnrate/catalog';
import { formatDecimal, LABEL, SERIES } from '@burnrate/slo';
import { quote, renderSelector, sumRateSelector } from '../promql/selector.util.js';

/** The SLI's source window, recorded as per-second rates for tiles, guards and dashboards. */
export const SOURCE_WINDOW = '5m';

/**
 * How a raw query meets a recorded series: on every label but the two the recording adds, so a
 * grouped SLI (`sum by (request_host)`) is matched and zero-filled per label value. `on ()`
 * would match only single series and leave every label value but one without errors.
 */
const OWN_LABELS = `ignoring (${LABEL.service}, ${LABEL.slo})`;

/** What the fast group records straight from raw series for one SLO. */
export type SliSource =
  | { kind: 'counts'; total: string; errors: string }
  /** Raw ratio SLIs: the 5m error ratio itself. */
  | { kind: 'ratio'; ratio: string }
  /** Logs SLIs: counts come from the Loki ruler (remote write); Prometheus records nothing raw. */
  | { kind: 'external' };

/** `slo:sli_total:rate5m{service="checkout", slo="availability"}` */
export function sloSeries(
  name: string,
  slo: Pick<Slo, 'service' | 'name'>,
  extra: Record<string, string> = {},
): string {
  const labels = { [LABEL.service]: slo.service, [LABEL.slo]: slo.name, ...extra };
  return renderSelector(
    name,
    Object.entries(labels).map(([key, value]) => `${key}=${quote(value)}`),
  );
}

/** The catalog's one window placeholder (`{{.window}}`), rendered; trimmed for rule files. */
export const renderWindow = (template: string, window: string): string =>
  renderTemplate(template, window).trim();

/** True when generated tests can feed real input series for the SLI (see promtool/input-series). */
export function isSelectorShaped(sli: Sli): boolean {
  switch (sli.kind) {
    case 'events':
      return sameShape(sli.errorQuery, sli.totalQuery);
    case 'goodTotal':
      return sameShape(sli.goodQuery, sli.totalQuery);
    case 'latency':
      return sli.histogram === 'classic';
    case 'gauge':
      return true;
    case 'raw':
    case 'logs':
      return false;
  }
}

/** Both queries are `sum(rate(...))` grouped by the same labels, so their series pair up. */
function sameShape(a: string, b: string): boolean {
  const [x, y] = [sumRateSelector(a), sumRateSelector(b)];
  return x !== undefined && y !== undefined && [...x.groupBy].sort().join() === [...y.groupBy].sort().join();
}

/** The labels a grouped SLI (`sum by (request_host)`) keeps on every series and alert. */
export function groupLabels(sli: Sli): string[] {
  if (sli.kind === 'events') return sumRateSelector(sli.totalQuery)?.groupBy ?? [];
  if (sli.kind === 'goodTotal') return sumRateSelector(sli.totalQuery)?.groupBy ?? [];
  return [];
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
        errors: isSelectorShaped(sli) ? `(${errors})\nor ${OWN_LABELS}\n(0 * ${total})` : errors,
      };
    }
    case 'goodTotal': {
      const good = renderWindow(sli.goodQuery, w);
      const totalQuery = renderWindow(sli.totalQuery, w);
      // No good events at all (a total outage) must read as every event failing, not as no data.
      const base = isSelectorShaped(sli) ? total : `(${totalQuery})`;
      return {
        kind: 'counts',
        total: totalQuery,
        errors: `${base}\n- ${OWN_LABELS}\n((${good}) or ${OWN_LABELS} (0 * ${base}))`,
      };
    }
    case 'latency':
      return sli.histogram === 'classic' ? classicLatency(sli, total) : nativeLatency(sli);
    case 'gauge':
      return {
        kind: 'counts',
        total: `sum(count_over_time(${sli.selector}[${w}])) / 300`,
        errors: `${total}\n- ${OWN_LABELS}\nsum(sum_over_time(${sli.selector}[${w}])) / 300`,
      };
    case 'raw':
      return { kind: 'ratio', ratio: renderWindow(sli.errorRatioQuery, w) };
    case 'logs':
      return { kind: 'external' };
  }
}

type LatencySli = Extract<Sli, { kind: 'latency' }>;

function classicLatency(sli: LatencySli, total: string): SliSource {
  const selector = (suffix: string, extra: string[] = []) =>
    renderSelector(`${sli.metric}${suffix}`, [sli.matchers, ...extra]);
  return {
    kind: 'counts',
    total: `sum(rate(${selector('_count')}[${SOURCE_WINDOW}]))`,
    errors: `${total}\n- ${OWN_LABELS}\nsum(rate(${selector('_bucket', [leMatcher(sli.thresholdSeconds)])}[${SOURCE_WINDOW}]))`,
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

/**
 * The SLI's error ratio over `window` read straight from raw series, as Sloth's rules read every
 * window: a scrape gap or a counter reset inside the window counts exactly as `rate()` over the
 * window counts it (the increase across the gap included). A missing error series of a
 * recognised shape reads 0 (the recorded 5m total gives its labels). Undefined where no raw
 * query exists: logs SLIs (counted by the Loki ruler) and raw ratios without a window.
 */
export function rawRatio(slo: Slo, window: string): string | undefined {
  const sli = slo.sli;
  const total5m = sloSeries(SERIES.totalRate5m, slo);
  // Good over total, a missing good series read as 0 good events: a total outage is a ratio of 1.
  const orNone = (query: string) => `(\n  (${query})\n  or ${OWN_LABELS}\n  (0 * ${total5m})\n)`;
  const oneMinusGood = (good: string, total: string) =>
    `1 - (\n${orNone(good)}\n/ ${OWN_LABELS}\n(${total})\n)`;
  switch (sli.kind) {
    case 'events': {
      const [errors, total] = [renderWindow(sli.errorQuery, window), renderWindow(sli.totalQuery, window)];
      if (!isSelectorShaped(sli)) return `(${errors})\n/\n(${total})`;
      return `${orNone(errors)}\n/ ${OWN_LABELS}\n(${total})`;
    }
    case 'goodTotal':
      return oneMinusGood(renderWindow(sli.goodQuery, window), renderWindow(sli.totalQuery, window));
    case 'latency': {
      if (sli.histogram === 'native') {
        const histogram = `sum(rate(${renderSelector(sli.metric, [sli.matchers])}[${window}]))`;
        return `1 - histogram_fraction(0, ${formatDecimal(sli.thresholdSeconds)}, ${histogram})`;
      }
      const selector = (suffix: string, extra: string[] = []) =>
        renderSelector(`${sli.metric}${suffix}`, [sli.matchers, ...extra]);
      return oneMinusGood(
        `sum(rate(${selector('_bucket', [leMatcher(sli.thresholdSeconds)])}[${window}]))`,
        `sum(rate(${selector('_count')}[${window}]))`,
      );
    }
    case 'gauge':
      return `1 - sum(sum_over_time(${sli.selector}[${window}]))\n/\nsum(count_over_time(${sli.selector}[${window}]))`;
    case 'raw':
      return hasWindowPlaceholder(sli.errorRatioQuery)
        ? renderWindow(sli.errorRatioQuery, window)
        : undefined;
    case 'logs':
      return undefined;
  }
}
