import type { Slo } from '@burnrate/catalog';
import { formatDuration, LABEL, SERIES } from '@burnrate/slo';
import type { RecordingRule } from '../rule.model.js';
import { type SliSource, sloSeries, SOURCE_WINDOW } from './sli-rules.util.js';

/**
 * Windows up to this length (the page tiers' 30m and 1h) add up rates at offsets that partition
 * the window exactly (30m rates at 0 and 30m for 1h; 5m rates for other lengths), so they see an
 * outage as soon as a raw `rate(x[1h])` does. Summing every 1m sample of the 5m rate instead
 * weighs the newest minutes less (a sample covers the 5 minutes before it): minutes late.
 */
const TILED_WINDOW_MAX = 3600;
/** The 30m rates partition windows that are multiples of this. */
const HALF_HOUR = 1800;
/** Longer windows up to this length are summed at the fast group's resolution. */
const FINE_WINDOW_MAX = 6 * 3600;
/** Tile size of day-scale windows: one sample per tile, so 3d reads 864 samples, not 4,320. */
const TILE = 300;

/**
 * Range over recorded 5m rates. Short windows read every recorded sample; day-scale windows
 * read one sample per 5 minutes through a subquery, i.e. exact consecutive 5-minute tiles.
 */
export function rangeOf(seconds: number): string {
  const w = formatDuration(seconds);
  return seconds > FINE_WINDOW_MAX && seconds % TILE === 0 ? `${w}:${formatDuration(TILE)}` : w;
}

/** The recording rule of `slo:sli_error:ratio{window=<seconds>}` for one SLO. */
export function ratioRule(slo: Slo, source: SliSource, seconds: number): RecordingRule {
  const window = formatDuration(seconds);
  const labels = { [LABEL.service]: slo.service, [LABEL.slo]: slo.name, [LABEL.window]: window };
  return { record: SERIES.errorRatio, expr: ratioExpr(slo, source, seconds), labels };
}

function ratioExpr(slo: Slo, source: SliSource, seconds: number): string {
  if (source.kind === 'ratio') {
    if (window(seconds) === SOURCE_WINDOW) return source.ratio;
    return `avg_over_time(${sloSeries(SERIES.errorRatio, slo, { [LABEL.window]: SOURCE_WINDOW })}[${rangeOf(seconds)}])`;
  }
  const errors = sloSeries(SERIES.errorRate5m, slo);
  const total = sloSeries(SERIES.totalRate5m, slo);
  if (window(seconds) === SOURCE_WINDOW) return `${errors}\n/\n${total}`;
  if (seconds === HALF_HOUR)
    return `${sloSeries(SERIES.errorRate30m, slo)}\n/\n${sloSeries(SERIES.totalRate30m, slo)}`;
  if (seconds % HALF_HOUR === 0 && seconds <= TILED_WINDOW_MAX) {
    return `${tiles(sloSeries(SERIES.errorRate30m, slo), seconds, HALF_HOUR)}\n/\n${tiles(sloSeries(SERIES.totalRate30m, slo), seconds, HALF_HOUR)}`;
  }
  if (tiled(seconds)) return `${tiles(errors, seconds, TILE)}\n/\n${tiles(total, seconds, TILE)}`;
  const range = rangeOf(seconds);
  return `sum_over_time(${errors}[${range}])\n/\nsum_over_time(${total}[${range}])`;
}

const tiled = (seconds: number): boolean => seconds <= TILED_WINDOW_MAX && seconds % TILE === 0;

/**
 * The sum of the samples of `series` (rates over `tile` seconds) that partition the window. A
 * tile older than the series counts as 0, so a young SLO (or one after a gap) still has the window
 * it has seen, as `rate()` over a partly filled range does; the newest tile has no fallback, so an
 * absent SLI stays absent. Nothing is aggregated: an SLI grouped `by (request_host)` keeps one
 * series per host in every window (terms match on all their labels), so the alert's join of a
 * long and a short window matches host by host.
 */
function tiles(series: string, seconds: number, tile: number): string {
  const terms = [series];
  for (let offset = tile; offset < seconds; offset += tile) {
    terms.push(`(${series} offset ${formatDuration(offset)} or 0 * ${series})`);
  }
  return `(\n  ${terms.join('\n  + ')}\n)`;
}

/**
 * The 30m rates, each the mean of the six 5m rates partitioning the last 30 minutes: recorded
 * once per evaluation, they make the 30m and 1h windows exact for two and four lookups.
 */
export function halfHourRateRules(slo: Slo): RecordingRule[] {
  const labels = { [LABEL.service]: slo.service, [LABEL.slo]: slo.name };
  const rate = (of: string) => `${tiles(sloSeries(of, slo), HALF_HOUR, TILE)}\n/ 6`;
  return [
    { record: SERIES.totalRate30m, expr: rate(SERIES.totalRate5m), labels },
    { record: SERIES.errorRate30m, expr: rate(SERIES.errorRate5m), labels },
  ];
}

const window = (seconds: number): string => formatDuration(seconds);

/**
 * Events seen in a window, for the low-traffic guard: each per-second 5m rate sample stands for
 * its step (the fast interval, or a 5m tile), so a young series counts only what it has seen.
 */
export function eventsOver(slo: Slo, seconds: number, sampleSeconds: number): string {
  const range = rangeOf(seconds);
  const step = range.includes(':') ? TILE : sampleSeconds;
  return `sum_over_time(${sloSeries(SERIES.totalRate5m, slo)}[${range}]) * ${step}`;
}
