import { formatDecimal } from '@burnrate/slo';

const ACTION = /\{\{-?\s*(.*?)\s*-?\}\}/g;
const LABEL_REF = /^(?:\$labels|\.Labels)\.([a-zA-Z_][a-zA-Z0-9_]*)$/;
const VALUE_REF = /^(?:\$value|\.Value)(?:\s*\|\s*(humanize|humanizePercentage))?$/;

/**
 * The alert's value at the eval time: `exact` when it is known to the last bit (an outage's 1),
 * otherwise known only to a few digits (a ratio of float rates).
 */
export interface AlertValue {
  value: number;
  exact: boolean;
}

/**
 * Annotations as Prometheus renders them for an alert with these result labels (the query's
 * labels, not the rule's) and this value: `{{ $labels.x }}` (or `.Labels.x`), `{{ $value }}`
 * (or `.Value`, optionally piped through `humanize` or `humanizePercentage`). Undefined when a
 * template does anything else, reads a label the result lacks, or prints a value not known to
 * the digits it prints: the caller then checks the alert's labels only.
 */
export function renderAnnotations(
  annotations: Record<string, string>,
  labels: Record<string, string>,
  value: AlertValue | undefined,
): Record<string, string> | undefined {
  const out: Record<string, string> = {};
  for (const [key, text] of Object.entries(annotations)) {
    let ok = true;
    out[key] = text.replace(ACTION, (all: string, body: string) => {
      const label = LABEL_REF.exec(body);
      if (label && labels[label[1]!] !== undefined) return labels[label[1]!]!;
      const ref = VALUE_REF.exec(body);
      const rendered = ref && value ? renderValue(value, ref[1]) : undefined;
      if (rendered !== undefined) return rendered;
      ok = false;
      return all;
    });
    if (!ok) return undefined;
  }
  return out;
}

/**
 * `{{ $value }}` prints Go's shortest form, so only an exact value renders; `humanize` and
 * `humanizePercentage` print 4 significant digits (`%.4g`), which float noise does not reach.
 */
function renderValue({ value, exact }: AlertValue, pipe: string | undefined): string | undefined {
  if (pipe === 'humanizePercentage') return `${fourDigits(value * 100)}%`;
  if (pipe === 'humanize') return humanize(value);
  return exact ? formatDecimal(value) : undefined;
}

/** Go's `%.4g` for the magnitudes an error ratio takes (no exponent between 1e-4 and 1e4). */
function fourDigits(value: number): string {
  const text = String(Number(value.toPrecision(4)));
  return /e/.test(text) ? value.toPrecision(4) : text;
}

/** Prometheus' `humanize`: SI prefixes, `%.4g` of the scaled value. */
function humanize(value: number): string {
  if (value === 0 || !Number.isFinite(value)) return fourDigits(value);
  const up = ['k', 'M', 'G', 'T', 'P', 'E', 'Z', 'Y'];
  const down = ['m', 'u', 'n', 'p', 'f', 'a', 'z', 'y'];
  let v = value;
  let prefix = '';
  if (Math.abs(v) >= 1) {
    for (const p of up) {
      if (Math.abs(v) < 1000) break;
      prefix = p;
      v /= 1000;
    }
  } else {
    for (const p of down) {
      if (Math.abs(v) >= 1) break;
      prefix = p;
      v *= 1000;
    }
  }
  return `${fourDigits(v)}${prefix}`;
}
