import type { Sli, Slo } from '@burnrate/catalog';
import { formatDecimal, LABEL, SERIES } from '@burnrate/slo';
import {
  type LabelMatcher,
  matches,
  parseMatchers,
  quote,
  type Selector,
  sumRateSelector,
} from '../promql/selector.util.js';
import { groupLabels } from '../prometheus/sli-rules.util.js';

/** One promtool input series. */
export interface InputSeries {
  series: string;
  values: string;
}

/** Constant traffic with a constant share of errors, from t=0. */
export interface Load {
  eventsPerSecond: number;
  errorRatio: number;
  /** Samples after t=0, one per minute. */
  minutes: number;
}

/**
 * Real input series for the SLI when Burnrate can tell what its queries read: selector-shaped
 * events and good/total queries, classic histograms and 0/1 gauges (full outage or healthy only:
 * a 0.2% share of zeros needs hours of samples). Undefined otherwise: the caller feeds the
 * recorded 5m series instead.
 */
export function rawInputSeries(sli: Sli, load: Load): InputSeries[] | undefined {
  switch (sli.kind) {
    case 'events':
      return countersFor(sumRateSelector(sli.errorQuery), sumRateSelector(sli.totalQuery), load, 'bad');
    case 'goodTotal':
      return countersFor(sumRateSelector(sli.goodQuery), sumRateSelector(sli.totalQuery), load, 'good');
    case 'latency':
      return sli.histogram === 'classic' ? histogramSeries(sli, load) : undefined;
    case 'gauge':
      return gaugeSeries(sli.selector, load);
    case 'raw':
    case 'logs':
      return undefined;
  }
}

/**
 * The recorded series the fast group would have written, fed directly (documented fallback): the
 * 5m rates (or the raw 5m ratio) and the ratio of each window that reads raw series over the
 * window (`rawWindows`), which no fed 5m rate can drive. No traffic feeds no window ratio (0/0).
 */
export function recordedInputSeries(slo: Slo, load: Load, rawWindows: readonly string[] = []): InputSeries[] {
  // A grouped SLI's recorded series carry its own labels besides the recording's.
  const identity = {
    ...groupValues(groupLabels(slo.sli)),
    [LABEL.service]: slo.service,
    [LABEL.slo]: slo.name,
  };
  const ratio = (window: string): InputSeries => ({
    series: seriesText(SERIES.errorRatio, { ...identity, [LABEL.window]: window }),
    values: constant(load.errorRatio, load),
  });
  if (slo.sli.kind === 'raw') return ['5m', ...rawWindows].map(ratio);
  return [
    { series: seriesText(SERIES.totalRate5m, identity), values: constant(load.eventsPerSecond, load) },
    {
      series: seriesText(SERIES.errorRate5m, identity),
      values: constant(load.eventsPerSecond * load.errorRatio, load),
    },
    ...(load.eventsPerSecond > 0 ? rawWindows.map(ratio) : []),
  ];
}

const constant = (value: number, load: Load): string => `${formatDecimal(value)}+0x${load.minutes}`;
const counter = (perSecond: number, load: Load): string =>
  `0+${formatDecimal(perSecond * 60)}x${load.minutes}`;

/**
 * `sub` is the error (events) or good (goodTotal) selector, `total` the total one. With one
 * metric for both, a "hit" series matches both and a "miss" series only the total.
 */
function countersFor(
  sub: Selector | undefined,
  total: Selector | undefined,
  load: Load,
  subIs: 'bad' | 'good',
): InputSeries[] | undefined {
  if (!sub || !total) return undefined;
  const series = countersOf(sub, total, load, subIs);
  const group = groupValues(total.groupBy);
  // A grouped SLI: one group of series, its labels set (where no matcher sets them already).
  return series?.map((s) => ({ ...s, series: withLabels(s.series, group) }));
}

/**
 * The values a grouped SLI's own labels take in generated input series and expected alerts:
 * one per label (`request_host="request_host-a"`), so a label rendered in place of another shows.
 */
export const groupValues = (labels: string[]): Record<string, string> =>
  Object.fromEntries(labels.map((l) => [l, `${l}-a`]));

function withLabels(series: string, extra: Record<string, string>): string {
  const missing = Object.entries(extra).filter(([k]) => !new RegExp(`[{,]\\s*${k}=`).test(series));
  if (missing.length === 0) return series;
  const text = missing.map(([k, v]) => `${k}=${quote(v)}`).join(', ');
  return series.includes('{') ? series.replace(/\}$/, `, ${text}}`) : `${series}{${text}}`;
}

function countersOf(
  sub: Selector,
  total: Selector,
  load: Load,
  subIs: 'bad' | 'good',
): InputSeries[] | undefined {
  const subRate = load.eventsPerSecond * (subIs === 'bad' ? load.errorRatio : 1 - load.errorRatio);
  if (sub.metric !== total.metric) {
    const hit = labelsMatching(sub.matchers);
    const all = labelsMatching(total.matchers);
    if (!hit || !all) return undefined;
    return [
      { series: seriesText(total.metric, all), values: counter(load.eventsPerSecond, load) },
      { series: seriesText(sub.metric, hit), values: counter(subRate, load) },
    ];
  }
  const hit = labelsMatching([...sub.matchers, ...total.matchers]);
  const miss = labelsMissing(sub.matchers, total.matchers);
  if (!hit || !miss) return undefined;
  return [
    { series: seriesText(total.metric, hit), values: counter(subRate, load) },
    { series: seriesText(total.metric, miss), values: counter(load.eventsPerSecond - subRate, load) },
  ];
}

type LatencySli = Extract<Sli, { kind: 'latency' }>;

function histogramSeries(sli: LatencySli, load: Load): InputSeries[] | undefined {
  const labels = labelsMatching(parseMatchers(sli.matchers) ?? []);
  if (!labels) return undefined;
  const le = formatDecimal(sli.thresholdSeconds);
  return [
    { series: seriesText(`${sli.metric}_count`, labels), values: counter(load.eventsPerSecond, load) },
    {
      series: seriesText(`${sli.metric}_bucket`, { ...labels, le }),
      values: counter(load.eventsPerSecond * (1 - load.errorRatio), load),
    },
  ];
}

function gaugeSeries(selectorText: string, load: Load): InputSeries[] | undefined {
  if (load.errorRatio !== 0 && load.errorRatio !== 1) return undefined;
  const match = /^\s*([a-zA-Z_:][a-zA-Z0-9_:]*)\s*(?:\{(.*)\})?\s*$/.exec(selectorText);
  const labels = match ? labelsMatching(parseMatchers(match[2] ?? '') ?? []) : undefined;
  if (!match || !labels) return undefined;
  return [
    { series: seriesText(match[1]!, labels), values: `${load.errorRatio === 1 ? 0 : 1}x${load.minutes}` },
  ];
}

const CANDIDATES = [
  '200',
  '500',
  '503',
  '429',
  '404',
  '0',
  '1',
  'true',
  'false',
  'ok',
  'error',
  'success',
  'failure',
  'GET',
  'x',
];

/** Candidate values for a label: its literal values first, then the branches of its regexes. */
function candidates(matchers: LabelMatcher[]): string[] {
  const literal = matchers.filter((m) => m.op === '=').map((m) => m.value);
  const regexes = matchers.filter((m) => m.op === '=~').map((m) => m.value);
  const branches = regexes.flatMap((r) =>
    r
      .replace(/[()^$?*+]/g, '')
      .split('|')
      .map((v) => v.replace(/\./g, '0')),
  );
  return [...new Set([...literal, ...branches, ...CANDIDATES, ...regexes])];
}

const byLabel = (matchers: LabelMatcher[]): Map<string, LabelMatcher[]> => {
  const out = new Map<string, LabelMatcher[]>();
  for (const m of matchers) out.set(m.name, [...(out.get(m.name) ?? []), m]);
  return out;
};

/** Labels satisfying every matcher; an unconstrained (negative-only) label is left out when allowed. */
function labelsMatching(matchers: LabelMatcher[]): Record<string, string> | undefined {
  const labels: Record<string, string> = {};
  for (const [name, group] of byLabel(matchers)) {
    if (group.every((m) => matches(m, ''))) continue;
    const value = candidates(group).find((v) => v !== '' && group.every((m) => matches(m, v)));
    if (value === undefined) return undefined;
    labels[name] = value;
  }
  return labels;
}

/** Labels matching `total` but not `sub`: flip one label of `sub` to a value it rejects. */
function labelsMissing(sub: LabelMatcher[], total: LabelMatcher[]): Record<string, string> | undefined {
  const base = labelsMatching([...sub, ...total]);
  if (!base) return undefined;
  const subByLabel = byLabel(sub);
  const totalByLabel = byLabel(total);
  for (const [name, group] of subByLabel) {
    const allowed = totalByLabel.get(name) ?? [];
    const value = [...candidates([...group, ...allowed]), ''].find(
      (v) => allowed.every((m) => matches(m, v)) && !group.every((m) => matches(m, v)),
    );
    if (value === undefined) continue;
    const labels = { ...base };
    if (value === '') delete labels[name];
    else labels[name] = value;
    return labels;
  }
  return undefined;
}

export function seriesText(metric: string, labels: Record<string, string>): string {
  const body = Object.entries(labels)
    .map(([k, v]) => `${k}=${quote(v)}`)
    .join(', ');
  return body.length > 0 ? `${metric}{${body}}` : metric;
}
