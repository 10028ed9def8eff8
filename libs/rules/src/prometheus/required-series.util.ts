import type { Sli, Slo } from '@burnrate/catalog';
import { formatDecimal } from '@burnrate/slo';
import { parser } from '@prometheus-io/lezer-promql';
import { renderSelector } from '../promql/selector.util.js';
import { leMatcher, renderWindow, SOURCE_WINDOW } from './sli-rules.util.js';

type SyntaxNode = ReturnType<typeof parser.parse>['topNode'];

/** What the SLI reads a series for. */
export type SeriesRole = 'total' | 'errors' | 'good' | 'count' | 'bucket' | 'histogram' | 'gauge' | 'ratio';

/** One instant-vector selector an SLI reads, ready for `absent()` or `match[]`. */
export interface RequiredSeries {
  selector: string;
  role: SeriesRole;
  /**
   * True when the SLI still has data without it: error or good series that appear only once
   * such an event happens, and operands of `or`, `unless` and `absent`.
   */
  mayBeAbsent: boolean;
  /** The threshold bucket of a classic histogram: every bucket of it, and the bound used. */
  bucket?: { histogram: string; le: string };
}

/**
 * Every series the SLO's SLI needs to produce data, in query order, each selector once. A
 * threshold that is no bucket boundary shows here as a bucket selector no series matches. Logs
 * SLIs read Loki, not Prometheus: none.
 */
export function requiredSeries(slo: Pick<Slo, 'sli'>): RequiredSeries[] {
  const sli = slo.sli;
  switch (sli.kind) {
    case 'events':
      return dedupe([
        ...querySeries(sli.totalQuery, 'total'),
        ...querySeries(sli.errorQuery, 'errors', true),
      ]);
    case 'goodTotal':
      // A total outage has no good events: the rules read a missing good series as zero.
      return dedupe([...querySeries(sli.totalQuery, 'total'), ...querySeries(sli.goodQuery, 'good', true)]);
    case 'latency':
      return latencySeries(sli);
    case 'gauge':
      return dedupe(querySeries(sli.selector, 'gauge'));
    case 'raw':
      return dedupe(querySeries(sli.errorRatioQuery, 'ratio'));
    case 'logs':
      return [];
  }
}

/** Only the series whose absence leaves the SLI without data. */
export const mustExist = (series: readonly RequiredSeries[]): RequiredSeries[] =>
  series.filter((s) => !s.mayBeAbsent);

type LatencySli = Extract<Sli, { kind: 'latency' }>;

function latencySeries(sli: LatencySli): RequiredSeries[] {
  if (sli.histogram === 'native') {
    return [{ selector: normalSelector(sli.metric, [sli.matchers]), role: 'histogram', mayBeAbsent: false }];
  }
  const histogram = normalSelector(`${sli.metric}_bucket`, [sli.matchers]);
  return [
    { selector: normalSelector(`${sli.metric}_count`, [sli.matchers]), role: 'count', mayBeAbsent: false },
    {
      // The same `le` matcher as the recording rules, so both agree on what exists.
      selector: normalSelector(`${sli.metric}_bucket`, [sli.matchers, leMatcher(sli.thresholdSeconds)]),
      role: 'bucket',
      mayBeAbsent: false,
      bucket: { histogram, le: formatDecimal(sli.thresholdSeconds) },
    },
  ];
}

/** A selector laid out as query selectors are, whatever the spacing of the catalog's matchers. */
const normalSelector = (metric: string, matchers: string[]): string => {
  const text = renderSelector(metric, matchers);
  return querySeries(text, 'count')[0]?.selector ?? text;
};

/** The vector selectors of a PromQL query (Sloth's `{{.window}}` rendered first). */
function querySeries(query: string, role: SeriesRole, mayBeAbsent = false): RequiredSeries[] {
  const text = renderWindow(query, SOURCE_WINDOW);
  const out: RequiredSeries[] = [];
  const visit = (node: SyntaxNode, optional: boolean): void => {
    if (node.name === 'VectorSelector') {
      const selector = selectorText(text, node);
      // Every bucket of a classic histogram exists once the histogram does: an error or good
      // query reading one (`_count - _bucket{le="0.25"}`, Sloth's latency form) needs it.
      const bucket = bucketOf(text, node);
      out.push(
        bucket
          ? { selector, role: 'bucket', mayBeAbsent: optional, bucket }
          : { selector, role, mayBeAbsent: mayBeAbsent || optional },
      );
      return;
    }
    const children = childNodes(node);
    const orOperator =
      node.name === 'BinaryExpr' ? children.find((c) => c.name === 'Or' || c.name === 'Unless') : undefined;
    const absentCall =
      node.name === 'FunctionCall' && /^absent(_over_time)?\s*\(/.test(text.slice(node.from, node.to));
    for (const child of children) {
      // `a or b` has data when either has; `a unless b` and `absent(b)` need no b at all.
      const operand = orOperator !== undefined && (orOperator.name === 'Or' || child.from > orOperator.from);
      visit(child, optional || operand || absentCall);
    }
  };
  visit(parser.parse(text).topNode, false);
  return out;
}

function childNodes(node: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  for (let child = node.firstChild; child; child = child.nextSibling) out.push(child);
  return out;
}

const matcherNodes = (node: SyntaxNode): SyntaxNode[] => {
  const list = childNodes(node).find((c) => c.name === 'LabelMatchers');
  return list
    ? childNodes(list).filter((m) => m.name === 'UnquotedLabelMatcher' || m.name === 'QuotedLabelMatcher')
    : [];
};

/** `metric{a="b", c=~"d"}` rebuilt from the tree, so layout in the query never changes the selector. */
function selectorText(text: string, node: SyntaxNode, skip?: SyntaxNode): string {
  const slice = (n: SyntaxNode) => text.slice(n.from, n.to);
  const name = childNodes(node).find((c) => c.name === 'Identifier');
  const matchers = matcherNodes(node)
    .filter((m) => m.from !== skip?.from)
    .map((m) => childNodes(m).map(slice).join(''));
  return name ? renderSelector(slice(name), matchers) : `{${matchers.join(', ')}}`;
}

/** A `<name>_bucket{le="<bound>"}` selector: the histogram without the `le` matcher, and the bound. */
function bucketOf(text: string, node: SyntaxNode): RequiredSeries['bucket'] {
  const name = childNodes(node).find((c) => c.name === 'Identifier');
  if (!name || !text.slice(name.from, name.to).endsWith('_bucket')) return undefined;
  for (const matcher of matcherNodes(node)) {
    const [label, op, value] = childNodes(matcher).map((c) => text.slice(c.from, c.to));
    if (label !== 'le' || (op !== '=' && op !== '=~') || value === undefined) continue;
    return { histogram: selectorText(text, node, matcher), le: unquote(value) };
  }
  return undefined;
}

/** A PromQL string literal's value: double, single or back quotes, backslash escapes. */
const unquote = (literal: string): string => literal.slice(1, -1).replace(/\\(.)/g, '$1');

function dedupe(series: RequiredSeries[]): RequiredSeries[] {
  const bySelector = new Map<string, RequiredSeries>();
  for (const s of series) {
    const seen = bySelector.get(s.selector);
    if (!seen) bySelector.set(s.selector, s);
    else if (seen.mayBeAbsent && !s.mayBeAbsent) bySelector.set(s.selector, { ...seen, mayBeAbsent: false });
  }
  return [...bySelector.values()];
}
