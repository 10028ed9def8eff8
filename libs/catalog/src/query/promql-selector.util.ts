import type { SyntaxNode } from '@lezer/common';
import { compileRegexp, isDurationLiteral, parseDuration, unquote } from './promql-literals.util.js';

/** What the literal checks need from the type checker. */
export interface Reporter {
  fail(from: number, message: string): void;
  warn(from: number, message: string): void;
  src(node: SyntaxNode): string;
  /** A histogram bucket read at a literal bound: `x_bucket{le="0.3"}` (`from` is the bound's offset). */
  bucket(metric: string, bound: number, from: number): void;
}

export function checkString(r: Reporter, node: SyntaxNode): string | undefined {
  const result = unquote(r.src(node));
  if ('error' in result) return void r.fail(node.from, result.error);
  return result.value;
}

/**
 * A series selector: the metric name set at most once, at least one matcher that does not
 * match the empty string when no name is given, regexps RE2 compiles.
 */
export function checkSelector(r: Reporter, node: SyntaxNode): void {
  let names = node.getChild('Identifier') ? 1 : 0;
  const name = node.getChild('Identifier');
  let nonEmpty = names > 0;
  const matchers = node.getChild('LabelMatchers');
  let metric = name ? r.src(name) : undefined;
  let le: { bound: number; from: number } | undefined;
  for (let m = matchers?.firstChild; m; m = m.nextSibling) {
    if (m.name === 'QuotedLabelName') {
      // `{"metric.name"}`: a quoted metric name (Prometheus 3).
      r.warn(m.from, 'quoted metric and label names need Prometheus 3');
      names++;
      nonEmpty = true;
      continue;
    }
    if (m.name !== 'UnquotedLabelMatcher' && m.name !== 'QuotedLabelMatcher') continue;
    const labelNode = m.getChild('LabelName') ?? m.getChild('QuotedLabelName');
    const valueNode = m.getChild('StringLiteral');
    const op = m.getChild('MatchOp')?.firstChild?.name;
    if (!labelNode || !valueNode || !op) continue;
    if (m.name === 'QuotedLabelMatcher') r.warn(m.from, 'quoted metric and label names need Prometheus 3');
    const label = labelNode.name === 'LabelName' ? r.src(labelNode) : r.src(labelNode).slice(1, -1);
    const value = checkString(r, valueNode);
    if (value === undefined) continue;
    if (
      label === 'le' &&
      op === 'EqlSingle' &&
      /^[+-]?(\d+\.?\d*(e[+-]?\d+)?|\.\d+|inf)$/i.test(value.trim())
    )
      le = { bound: Number(value.trim().replace(/inf/i, 'Infinity')), from: valueNode.from + 1 };
    if (label === '__name__') {
      if (op === 'EqlSingle') metric = value;
      if (names > 0 && name)
        r.fail(node.from, `metric name must not be set twice: "${r.src(name)}" or "${value}"`);
      names++;
    }
    let matchesEmpty = op === 'EqlSingle' ? value === '' : op === 'Neq' ? value !== '' : false;
    if (op === 'EqlRegex' || op === 'NeqRegex') {
      const compiled = compileRegexp(value);
      if ('error' in compiled) {
        r.fail(valueNode.from, compiled.error);
        continue;
      }
      matchesEmpty = compiled.regexp.test('') === (op === 'EqlRegex');
    }
    if (!matchesEmpty) nonEmpty = true;
  }
  if (metric?.endsWith('_bucket') && le) r.bucket(metric, le.bound, le.from);
  if (!nonEmpty)
    r.fail(
      node.from,
      'vector selector must contain at least one non-empty matcher (a selector matching the empty string selects every series)',
    );
}

/** A range, subquery step or offset: Go's duration syntax, above zero (a plain number of seconds in Prometheus 3). */
export function checkDuration(r: Reporter, node: SyntaxNode, options: { positive: boolean }): void {
  let d: SyntaxNode = node;
  let negative = false;
  for (;;) {
    const first = d.firstChild;
    if (d.name === 'NumberDurationLiteral' || d.name === 'NumberDurationLiteralInDurationContext') break;
    if (first?.name === 'UnaryOp' && first.nextSibling) {
      negative = r.src(first) === '-';
      d = first.nextSibling;
    } else if (first && !first.nextSibling && first.name !== 'DurationStep' && first.name !== 'DurationRange')
      d = first;
    else {
      r.warn(
        node.from,
        'duration expressions are experimental in Prometheus 3 (--enable-feature=promql-duration-expr)',
      );
      return;
    }
  }
  const text = r.src(d);
  if (!isDurationLiteral(text)) {
    const seconds = Number(text);
    r.warn(
      d.from,
      `a range given as a plain number of seconds (\`${text}\`) needs Prometheus 3; write ${text}s`,
    );
    if (options.positive && !(seconds > 0)) r.fail(d.from, 'duration must be greater than 0');
    return;
  }
  const parsed = parseDuration(text);
  if ('error' in parsed) r.fail(d.from, parsed.error);
  else if (options.positive && parsed.ms === 0 && !negative)
    r.fail(d.from, 'duration must be greater than 0');
}

/** The timestamp of `@`: a finite number of seconds, or start() / end(). */
export function checkTimestamp(r: Reporter, node: SyntaxNode): void {
  const ts = node.getChild('NumberDurationLiteral');
  if (!ts) return;
  const value = Number(r.src(ts).replace(/^([+-]?)inf$/i, '$1Infinity'));
  if (!Number.isFinite(value) || Math.abs(value) >= 2 ** 63 / 1000)
    r.fail(ts.from, `timestamp out of bounds for @ modifier: ${r.src(ts)}`);
}
