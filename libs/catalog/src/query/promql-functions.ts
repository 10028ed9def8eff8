/**
 * PromQL's functions and aggregations with their argument types, as Prometheus' parser types
 * them (promql/parser/functions.go, v2.42.0 and v3.x). `variadic` follows Prometheus: 0 means
 * exactly `args`, n > 0 means the last argument may be left out or repeated up to n times,
 * -1 means the last argument may repeat without limit.
 */
export type ValueType = 'scalar' | 'vector' | 'matrix' | 'string';

/** The names Prometheus' own errors use. */
export const TYPE_NAME: Record<ValueType, string> = {
  scalar: 'scalar',
  vector: 'instant vector',
  matrix: 'range vector',
  string: 'string',
};

export interface PromqlFunction {
  args: ValueType[];
  variadic: number;
  returns: ValueType;
  /** Behind `--enable-feature=promql-experimental-functions` in Prometheus 3, unknown to 2.42. */
  experimental?: true;
  /** Unknown to Prometheus 2.42 (added in 3.x). */
  since3?: true;
}

const V: ValueType = 'vector';
const M: ValueType = 'matrix';
const S: ValueType = 'scalar';
const STR: ValueType = 'string';

const fn = (
  args: ValueType[],
  returns: ValueType = V,
  variadic = 0,
  extra: Partial<PromqlFunction> = {},
) => ({
  args,
  variadic,
  returns,
  ...extra,
});
const vectorFn = () => fn([V]);
const rangeFn = (extra: Partial<PromqlFunction> = {}) => fn([M], V, 0, extra);
const clockFn = () => fn([V], V, 1);
const experimental = { experimental: true, since3: true } as const;

export const FUNCTIONS: Record<string, PromqlFunction> = {
  abs: vectorFn(),
  absent: vectorFn(),
  absent_over_time: rangeFn(),
  acos: vectorFn(),
  acosh: vectorFn(),
  asin: vectorFn(),
  asinh: vectorFn(),
  atan: vectorFn(),
  atanh: vectorFn(),
  avg_over_time: rangeFn(),
  ceil: vectorFn(),
  changes: rangeFn(),
  clamp: fn([V, S, S]),
  clamp_max: fn([V, S]),
  clamp_min: fn([V, S]),
  cos: vectorFn(),
  cosh: vectorFn(),
  count_over_time: rangeFn(),
  days_in_month: clockFn(),
  day_of_month: clockFn(),
  day_of_week: clockFn(),
  day_of_year: clockFn(),
  deg: vectorFn(),
  delta: rangeFn(),
  deriv: rangeFn(),
  double_exponential_smoothing: fn([M, S, S], V, 0, experimental),
  end: fn([], S, 0, experimental),
  exp: vectorFn(),
  first_over_time: rangeFn({ since3: true }),
  floor: vectorFn(),
  histogram_avg: fn([V], V, 0, { since3: true }),
  histogram_count: vectorFn(),
  histogram_fraction: fn([S, S, V]),
  histogram_quantile: fn([S, V]),
  histogram_quantiles: fn([V, STR, S, S], V, 9, experimental),
  histogram_stddev: fn([V], V, 0, { since3: true }),
  histogram_stdvar: fn([V], V, 0, { since3: true }),
  histogram_sum: vectorFn(),
  hour: clockFn(),
  idelta: rangeFn(),
  increase: rangeFn(),
  info: fn([V, V], V, 1, experimental),
  irate: rangeFn(),
  label_join: fn([V, STR, STR, STR], V, -1),
  label_replace: fn([V, STR, STR, STR, STR]),
  last_over_time: rangeFn(),
  ln: vectorFn(),
  log10: vectorFn(),
  log2: vectorFn(),
  mad_over_time: rangeFn(experimental),
  max_of: fn([S, S], S, 0, experimental),
  max_over_time: rangeFn(),
  min_of: fn([S, S], S, 0, experimental),
  min_over_time: rangeFn(),
  minute: clockFn(),
  month: clockFn(),
  pi: fn([], S),
  predict_linear: fn([M, S]),
  present_over_time: rangeFn(),
  quantile_over_time: fn([S, M]),
  rad: vectorFn(),
  range: fn([], S, 0, experimental),
  rate: rangeFn(),
  resets: rangeFn(),
  round: fn([V, S], V, 1),
  scalar: fn([V], S),
  sgn: vectorFn(),
  sin: vectorFn(),
  sinh: vectorFn(),
  sort: vectorFn(),
  sort_by_label: fn([V, STR], V, -1, experimental),
  sort_by_label_desc: fn([V, STR], V, -1, experimental),
  sort_desc: vectorFn(),
  sqrt: vectorFn(),
  start: fn([], S, 0, experimental),
  start_timestamp: fn([V], V, 0, experimental),
  stddev_over_time: rangeFn(),
  stdvar_over_time: rangeFn(),
  step: fn([], S, 0, experimental),
  sum_over_time: rangeFn(),
  tan: vectorFn(),
  tanh: vectorFn(),
  time: fn([], S),
  timestamp: vectorFn(),
  ts_of_first_over_time: rangeFn(experimental),
  ts_of_last_over_time: rangeFn(experimental),
  ts_of_max_over_time: rangeFn(experimental),
  ts_of_min_over_time: rangeFn(experimental),
  vector: fn([S]),
  year: clockFn(),
};

/** Aggregations and the type of their leading parameter, if they take one. */
export const AGGREGATIONS: Record<string, { param?: ValueType; experimental?: true }> = {
  avg: {},
  bottomk: { param: S },
  count: {},
  count_values: { param: STR },
  group: {},
  limit_ratio: { param: S, experimental: true },
  limitk: { param: S, experimental: true },
  max: {},
  min: {},
  quantile: { param: S },
  stddev: {},
  stdvar: {},
  sum: {},
  topk: { param: S },
};

/** Functions Prometheus 3 removed, with what replaced them. */
export const REMOVED_FUNCTIONS: Record<string, string> = {
  holt_winters:
    '`holt_winters` was removed in Prometheus 3: use double_exponential_smoothing (experimental there)',
};
