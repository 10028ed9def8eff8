/**
 * Just enough PromQL to recognise the common SLI shape `sum(rate(<selector>[{{.window}}]))` and
 * to build series that match a selector, so generated promtool tests can feed real inputs.
 */
export type MatchOp = '=' | '!=' | '=~' | '!~';

export interface LabelMatcher {
  name: string;
  op: MatchOp;
  value: string;
}

export interface Selector {
  metric: string;
  matchers: LabelMatcher[];
  /** The labels of `sum by (...)`, written before or after the argument; empty for a bare sum. */
  groupBy: string[];
}

const WINDOW = String.raw`\[\s*\{\{\s*\.window\s*\}\}\s*\]`;
const BY = String.raw`by\s*\(\s*([a-zA-Z_][a-zA-Z0-9_]*(?:\s*,\s*[a-zA-Z_][a-zA-Z0-9_]*)*)?\s*,?\s*\)`;
const SUM_RATE = new RegExp(
  String.raw`^\s*sum\s*(?:${BY}\s*)?\(\s*rate\s*\(\s*([a-zA-Z_:][a-zA-Z0-9_:]*)\s*(\{[^{}]*\})?\s*${WINDOW}\s*\)\s*\)\s*(?:${BY})?\s*$`,
);

/**
 * The selector of a `sum(rate(<selector>[{{.window}}]))` query, grouped or not (`sum by (a)
 * (...)`, `sum(...) by (a)`), or undefined for any other shape.
 */
export function sumRateSelector(query: string): Selector | undefined {
  const match = SUM_RATE.exec(query);
  if (!match) return undefined;
  if (match[1] !== undefined && match[4] !== undefined) return undefined;
  const matchers = parseMatchers(stripBraces(match[3] ?? '{}'));
  const groupBy = (match[1] ?? match[4] ?? '')
    .split(',')
    .map((l) => l.trim())
    .filter((l) => l.length > 0);
  return matchers ? { metric: match[2]!, matchers, groupBy } : undefined;
}

const stripBraces = (text: string): string => text.trim().replace(/^\{|\}$/g, '');

const MATCHER = /^\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)\s*"((?:[^"\\]|\\.)*)"\s*(?:,|$)/;

/** Label matchers written without braces (`job="a", code=~"5.."`); undefined when they do not parse. */
export function parseMatchers(text: string): LabelMatcher[] | undefined {
  const out: LabelMatcher[] = [];
  let rest = text.trim();
  while (rest.length > 0) {
    const match = MATCHER.exec(rest);
    if (!match) return undefined;
    out.push({ name: match[1]!, op: match[2] as MatchOp, value: unescape(match[3]!) });
    rest = rest.slice(match[0].length).trim();
  }
  return out;
}

const unescape = (text: string): string => text.replace(/\\(.)/g, '$1');
export const quote = (value: string): string => `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

/** A selector in PromQL: `metric{a="b", c=~"d"}`, or the bare name without matchers. */
export function renderSelector(metric: string, matchers: readonly string[]): string {
  const body = matchers.filter((m) => m.trim().length > 0).join(', ');
  return body.length > 0 ? `${metric}{${body}}` : metric;
}

export function matches(matcher: LabelMatcher, value: string): boolean {
  switch (matcher.op) {
    case '=':
      return value === matcher.value;
    case '!=':
      return value !== matcher.value;
    case '=~':
      return fullMatch(matcher.value, value);
    case '!~':
      return !fullMatch(matcher.value, value);
  }
}

/** PromQL regexes are fully anchored RE2; the subset SLI queries use reads the same in JavaScript. */
function fullMatch(pattern: string, value: string): boolean {
  try {
    return new RegExp(`^(?:${pattern})$`).test(value);
  } catch {
    return false;
  }
}
