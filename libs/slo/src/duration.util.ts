import { parsePrometheusDuration } from '@burnrate/catalog';
import { SloMathError } from './slo-math.exception.js';

/** Prometheus duration units we read and write, largest first (no `y`: years are not whole days). */
const UNITS: readonly (readonly [string, number])[] = [
  ['w', 7 * 24 * 3600],
  ['d', 24 * 3600],
  ['h', 3600],
  ['m', 60],
  ['s', 1],
];
/** Whole seconds in weeks, days, hours, minutes and seconds only: no years, no milliseconds. */
const SECONDS_ONLY = /^(?:\d+[wdhms])+$/;

/** Seconds in a Prometheus-style duration such as `5m`, `1h30m`, `28d`, `4w` (Prometheus' own parser). */
export function parseDuration(text: string): number {
  const parsed = SECONDS_ONLY.test(text) ? parsePrometheusDuration(text) : undefined;
  if (!parsed || !('ms' in parsed)) throw new SloMathError('invalid-duration', `invalid duration "${text}"`);
  if (parsed.ms <= 0) throw new SloMathError('invalid-duration', `duration "${text}" must be positive`);
  return parsed.ms / 1000;
}

/**
 * Shortest canonical form, days preferred over weeks so `28d` stays `28d` and `30d` never
 * becomes `4w2d`: Prometheus, Sloth and people all read window labels in days.
 */
export function formatDuration(seconds: number): string {
  if (!Number.isInteger(seconds) || seconds <= 0) {
    throw new SloMathError('invalid-duration', `cannot format ${seconds} seconds as a duration`);
  }
  let rest = seconds;
  let text = '';
  for (const [unit, size] of UNITS) {
    if (unit === 'w') continue;
    const count = Math.floor(rest / size);
    if (count > 0) text += `${count}${unit}`;
    rest -= count * size;
  }
  return text;
}

/** The canonical spelling of a duration: `60m` -> `1h`, `24h` -> `1d`. */
export const normalizeDuration = (text: string): string => formatDuration(parseDuration(text));
