import type { Slo } from '@burnrate/catalog';
import { formatDuration, LABEL, SERIES } from '@burnrate/slo';
import type { RecordingRule } from '../rule.model.js';
import { rawRatio, type SliSource, sloSeries, SOURCE_WINDOW } from './sli-rules.util.js';

/**
 * Windows up to this length (every page window of the default tiers, 5m to 6h) read the SLI's raw
 * series over the whole window, as Sloth's rules do, so a scrape gap, a stale marker or a counter
 * reset inside the window counts as `rate()` counts it, never as a missing tile.
 */
const RAW_WINDOW_MAX = 6 * 3600;
/** Logs windows up to this length add up the Loki ruler's 5m rates at offsets 0, 5m, ... */
const TILED_WINDOW_MAX = 3600;
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
  const errors = sloSeries(SERIES.errorRate5m, slo);
  const total = sloSeries(SERIES.totalRate5m, slo);
  if (window(seconds) === SOURCE_WINDOW)
    return source.kind === 'ratio' ? source.ratio : `${errors}\n/\n${total}`;
  const raw = rawWindowRatio(slo, seconds);
  if (raw) return raw;
  const range = rangeOf(seconds);
  if (source.kind === 'ratio') {
    return `avg_over_time(${sloSeries(SERIES.errorRatio, slo, { [LABEL.window]: SOURCE_WINDOW })}[${range}])`;
  }
  if (seconds <= TILED_WINDOW_MAX && seconds % TILE === 0) {
    return `${tiles(errors, seconds)}\n/\n${tiles(total, seconds)}`;
  }
  return `sum_over_time(${errors}[${range}])\n/\nsum_over_time(${total}[${range}])`;
}

/** The window's ratio from raw series, when the window reads them (see RAW_WINDOW_MAX). */
export const rawWindowRatio = (slo: Slo, seconds: number): string | undefined =>
  seconds !== TILE && seconds <= RAW_WINDOW_MAX ? rawRatio(slo, window(seconds)) : undefined;

/**
 * The sum of the 5m rates at offsets 0, 5m, ... that partition the window (logs SLIs, whose rates
 * the Loki ruler remote-writes). A tile that is missing, the newest included (a ruler that missed
 * an evaluation), counts 0 as long as the series has a sample in the window, so the window keeps
 * the tiles it has; one without any sample in the window stays absent. Nothing is aggregated:
 * terms match on all their labels, so a grouped SLI keeps one series per label value.
 */
function tiles(series: string, seconds: number): string {
  const seen = `0 * last_over_time(${series}[${formatDuration(seconds)}])`;
  const terms = [`(${series} or ${seen})`];
  for (let offset = TILE; offset < seconds; offset += TILE) {
    terms.push(`(${series} offset ${formatDuration(offset)} or ${seen})`);
  }
  return `(\n  ${terms.join('\n  + ')}\n)`;
}

const window = (seconds: number): string => formatDuration(seconds);

/**
 * Events seen in a window, for the low-traffic guard: each per-second 5m rate sample stands for
 * its step (the fast interval, or a 5m tile), so a young series counts only what it has seen.
 */
export const eventsOver = (slo: Slo, seconds: number, sampleSeconds: number): string =>
  eventsOverSeries(sloSeries(SERIES.totalRate5m, slo), seconds, sampleSeconds);

/** `eventsOver` for any selector of recorded 5m totals: the status service reads every SLO's at once. */
export function eventsOverSeries(selector: string, seconds: number, sampleSeconds: number): string {
  const range = rangeOf(seconds);
  const step = range.includes(':') ? TILE : sampleSeconds;
  return `sum_over_time(${selector}[${range}]) * ${step}`;
}
