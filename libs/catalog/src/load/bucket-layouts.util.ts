/**
 * A classic histogram only has series at its bucket boundaries: a latency threshold between
 * two of them selects nothing, and the SLO silently measures nothing. Without a declared
 * layout, thresholds are checked against the defaults of the two common SDKs.
 */

/** OpenTelemetry SDKs' default explicit bucket boundaries, in milliseconds. */
export const OTEL_DEFAULT_MS = [0, 5, 10, 25, 50, 75, 100, 250, 500, 750, 1000, 2500, 5000, 7500, 10000];
/** Prometheus client libraries' default buckets, in seconds. */
export const PROMETHEUS_DEFAULT_SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

interface Layout {
  name: string;
  bounds: number[];
}

const same = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));
const show = (n: number) => String(Number(n.toPrecision(12)));

/** The layouts a histogram most likely has, in the unit its name says (`_milliseconds`, `_ms`, else seconds). */
export function defaultLayouts(metric: string): Layout[] {
  if (/_(milliseconds|ms)(_bucket)?$/.test(metric))
    return [{ name: "OpenTelemetry's default buckets (ms)", bounds: OTEL_DEFAULT_MS }];
  return [
    { name: "OpenTelemetry's default buckets (seconds)", bounds: OTEL_DEFAULT_MS.map((ms) => ms / 1000) },
    { name: "Prometheus clients' default buckets", bounds: PROMETHEUS_DEFAULT_SECONDS },
  ];
}

function nearest(bound: number, bounds: number[]): string {
  const below = bounds.filter((b) => b < bound).at(-1);
  const above = bounds.find((b) => b > bound);
  return [below, above]
    .filter((b) => b !== undefined)
    .map((b) => show(b))
    .join(' and ');
}

/**
 * Why `le="<bound>"` of `metric` probably selects no series, or undefined when it is a
 * boundary of the declared layout (or, with none, of a default one).
 */
export function bucketBoundWarning(metric: string, bound: number, declared?: number[]): string | undefined {
  if (!Number.isFinite(bound)) return undefined;
  const layouts = declared ? [{ name: 'the declared buckets', bounds: declared }] : defaultLayouts(metric);
  if (layouts.some((l) => l.bounds.some((b) => same(b, bound)))) return undefined;
  const checked = layouts.map((l) => `${l.name} (nearest: ${nearest(bound, l.bounds)})`).join(' nor of ');
  return `le="${show(bound)}" is not a bucket boundary of ${checked}: a classic histogram has no series there, so the SLI would read nothing and never alert; use a boundary${declared ? '' : ", or declare the histogram's layout with `buckets` if it has custom ones"}`;
}
