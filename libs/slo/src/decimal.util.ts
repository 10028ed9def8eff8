/** Significant digits kept when printing: enough for any objective, none of the float noise. */
const SIGNIFICANT_DIGITS = 12;

/** Rounds away binary noise: (100 - 99.9) / 100 is 0.0009999999999999432 in floats, 0.001 here. */
export function roundDecimal(value: number): number {
  if (!Number.isFinite(value) || value === 0) return value;
  return Number.parseFloat(value.toPrecision(SIGNIFICANT_DIGITS));
}

/**
 * A stable, plain decimal string for rule files and labels: `0.001`, `14.4`, `0.0000001`; never an
 * exponent, never a trailing zero.
 */
export function formatDecimal(value: number): string {
  const rounded = roundDecimal(value);
  if (Number.isInteger(rounded)) return String(rounded);
  const text = String(rounded);
  if (!/e/i.test(text)) return text;
  return rounded.toFixed(20).replace(/0+$/, '').replace(/\.$/, '');
}
