import type { SyntaxNode, Tree } from '@lezer/common';
import { AGGREGATIONS, FUNCTIONS, TYPE_NAME, type ValueType } from './promql-functions.js';
import {
  checkDuration,
  checkSelector,
  checkString,
  checkTimestamp,
  type Reporter,
} from './promql-selector.util.js';

/** A problem at `from` (an offset in the query). */
export interface QueryFinding {
  from: number;
  message: string;
}

export interface SemanticResult {
  /** The first error Prometheus' parser would also report (its type checks, not its grammar). */
  error?: QueryFinding;
  /** Syntax that only Prometheus 3, or only its experimental features, accepts. */
  warnings: QueryFinding[];
  /** The query's value type, as Prometheus types it. */
  type: ValueType;
  /** Histogram buckets read at a literal `le`. */
  buckets: BucketRead[];
}

export interface BucketRead {
  metric: string;
  bound: number;
  from: number;
}

const EXPRESSIONS = new Set([
  'AggregateExpr',
  'AnchoredExpr',
  'BinaryExpr',
  'FunctionCall',
  'MatrixSelector',
  'NumberDurationLiteral',
  'OffsetExpr',
  'ParenExpr',
  'SmoothedExpr',
  'StepInvariantExpr',
  'StringLiteral',
  'SubqueryExpr',
  'UnaryExpr',
  'VectorSelector',
]);
const COMPARISONS = new Set(['Eql', 'Neq', 'Gtr', 'Lss', 'Gte', 'Lte']);
const SET_OPERATORS = new Set(['And', 'Or', 'Unless']);
const OPERATORS = new Set([
  ...COMPARISONS,
  ...SET_OPERATORS,
  'Add',
  'Sub',
  'Mul',
  'Div',
  'Mod',
  'Pow',
  'Atan2',
  'TrimUpper',
  'TrimLower',
]);
const MODIFIED_BASES = new Set(['VectorSelector', 'MatrixSelector', 'SubqueryExpr']);

/**
 * Type-checks a PromQL tree that parsed without syntax errors, as Prometheus' `checkAST` and
 * the actions of its grammar do (promql/parser/parse.go, generated_parser.y): ranges only on
 * selectors, subqueries only on instant vectors, argument counts and types of functions and
 * aggregations, operand types of operators, vector matching, offset and @ placement.
 */
export function checkPromqlSemantics(text: string, tree: Tree): SemanticResult {
  const checker = new Checker(text);
  const top = exprChildren(tree.topNode)[0];
  const type = top ? checker.type(top) : 'vector';
  return {
    ...(checker.error ? { error: checker.error } : {}),
    warnings: checker.warnings,
    type,
    buckets: checker.buckets,
  };
}

export class Checker implements Reporter {
  error?: QueryFinding;
  readonly warnings: QueryFinding[] = [];
  readonly buckets: BucketRead[] = [];

  constructor(readonly text: string) {}

  fail(from: number, message: string): void {
    this.error ??= { from, message };
  }

  warn(from: number, message: string): void {
    if (!this.warnings.some((w) => w.message === message)) this.warnings.push({ from, message });
  }

  bucket(metric: string, bound: number, from: number): void {
    this.buckets.push({ metric, bound, from });
  }

  src(node: SyntaxNode): string {
    return this.text.slice(node.from, node.to);
  }

  type(node: SyntaxNode): ValueType {
    switch (node.name) {
      case 'NumberDurationLiteral':
        if (/^\d+(ms|[smhdwy])/.test(this.src(node))) {
          checkDuration(this, node, { positive: false });
          this.warn(node.from, `a duration used as a number (\`${this.src(node)}\`) needs Prometheus 3`);
        }
        return 'scalar';
      case 'StringLiteral':
        checkString(this, node);
        return 'string';
      case 'VectorSelector':
        checkSelector(this, node);
        return 'vector';
      case 'MatrixSelector':
        return this.matrix(node);
      case 'SubqueryExpr':
        return this.subquery(node);
      case 'OffsetExpr':
      case 'StepInvariantExpr':
        return this.modified(node);
      case 'AnchoredExpr':
      case 'SmoothedExpr':
        this.warn(node.from, 'anchored and smoothed ranges are experimental in Prometheus 3');
        return this.inner(node);
      case 'ParenExpr':
        return this.inner(node);
      case 'UnaryExpr': {
        const t = this.inner(node);
        if (t !== 'scalar' && t !== 'vector')
          this.fail(
            node.from,
            `unary expression only allowed on expressions of type scalar or instant vector, got ${TYPE_NAME[t]}`,
          );
        return t;
      }
      case 'BinaryExpr':
        return this.binary(node);
      case 'AggregateExpr':
        return this.aggregate(node);
      case 'FunctionCall':
        return this.call(node);
      default:
        return 'vector';
    }
  }

  private inner(node: SyntaxNode): ValueType {
    const e = exprChildren(node)[0];
    return e ? this.type(e) : 'vector';
  }

  private matrix(node: SyntaxNode): ValueType {
    const inner = node.firstChild!;
    const bracket = this.text.lastIndexOf('[', node.getChild('DurationExpr')?.from ?? node.to);
    if (inner.name === 'VectorSelector') this.type(inner);
    else {
      const { base, offsets, ats } = modifierChain(inner);
      // Prometheus' grammar looks at the offset and the numeric timestamp only: `x @ start() [5m]` passes.
      const numericAt = ats > 0 && /@\s*[-+]?[0-9.]/.test(this.src(inner));
      if (base.name === 'VectorSelector' && (offsets > 0 || ats > 0)) {
        this.type(inner);
        if (offsets > 0) this.fail(bracket, 'no offset modifiers allowed before range');
        else if (numericAt) this.fail(bracket, 'no @ modifiers allowed before range');
      } else {
        this.type(inner);
        this.fail(
          bracket,
          `ranges only allowed for vector selectors: \`${this.src(inner)}\` is not one (for a range of an expression, write a subquery: (${this.src(inner)})[5m:])`,
        );
      }
    }
    const duration = node.getChild('DurationExpr');
    if (duration) checkDuration(this, duration, { positive: true });
    return 'matrix';
  }

  private subquery(node: SyntaxNode): ValueType {
    const inner = node.firstChild!;
    const t = this.type(inner);
    for (const d of node.getChildren('DurationExpr')) checkDuration(this, d, { positive: true });
    if (t !== 'vector')
      this.fail(node.from, `subquery is only allowed on instant vector, got ${TYPE_NAME[t]} instead`);
    return 'matrix';
  }

  private modified(node: SyntaxNode): ValueType {
    const inner = node.firstChild!;
    const t = this.type(inner);
    const { base, offsets, ats } = modifierChain(inner);
    const isOffset = node.name === 'OffsetExpr';
    if (!MODIFIED_BASES.has(base.name)) {
      this.fail(
        node.from,
        `${isOffset ? 'offset' : '@'} modifier must be preceded by an instant vector selector or range vector selector or a subquery`,
      );
    } else if (isOffset && offsets > 0) this.fail(node.from, 'offset may not be set multiple times');
    else if (!isOffset && ats > 0) this.fail(node.from, '@ <timestamp> may not be set multiple times');
    if (isOffset) {
      const d = node.getChild('OffsetDurationExpr');
      if (d) checkDuration(this, d, { positive: true });
    } else checkTimestamp(this, node);
    return t;
  }

  private binary(node: SyntaxNode): ValueType {
    const [lhs, rhs] = exprChildren(node);
    const opNode = children(node).find((c) => OPERATORS.has(c.name));
    if (!lhs || !rhs || !opNode) return 'vector';
    const lt = this.type(lhs);
    const rt = this.type(rhs);
    const op = opNode.name;
    const opText = this.src(opNode);
    const bool = node.getChild('BoolModifier') !== null;
    const matching = node.getChild('MatchingModifierClause');
    const labelLists = matching
      ? matching.getChildren('GroupingLabels').map((g) => groupingLabels(this, g))
      : [];
    const on = matching?.getChild('On') !== null && matching !== null;
    const group = matching?.getChild('GroupLeft') ?? matching?.getChild('GroupRight') ?? null;
    const matchingLabels = labelLists[0] ?? [];
    const include = group ? (labelLists[1] ?? []) : [];
    if (node.getChild('FillModifier'))
      this.warn(opNode.from, 'fill modifiers of binary operators are experimental in Prometheus 3');
    if (op === 'TrimUpper' || op === 'TrimLower')
      this.warn(opNode.from, `the \`${opText}\` operator is experimental in Prometheus 3`);

    if (bool && !COMPARISONS.has(op))
      this.fail(opNode.from, 'bool modifier can only be used on comparison operators');
    if (COMPARISONS.has(op) && !bool && lt === 'scalar' && rt === 'scalar')
      this.fail(opNode.from, `comparisons between scalars must use BOOL modifier (write \`${opText} bool\`)`);
    const both = include.find((l) => on && matchingLabels.includes(l));
    if (both !== undefined)
      this.fail(opNode.from, `label "${both}" must not occur in ON and GROUP clause at once`);
    for (const [t, side] of [
      [lt, lhs],
      [rt, rhs],
    ] as const) {
      if (t !== 'scalar' && t !== 'vector')
        this.fail(
          side.from,
          `binary expression must contain only scalar and instant vector types: \`${this.src(side)}\` is a ${TYPE_NAME[t]}${t === 'matrix' ? ' (apply rate(), increase() or a *_over_time function first)' : ''}`,
        );
    }
    if (lt !== 'vector' || rt !== 'vector') {
      if (matching && matchingLabels.length > 0)
        this.fail(node.from, 'vector matching only allowed between instant vectors');
    } else if (SET_OPERATORS.has(op) && group) {
      this.fail(node.from, `no grouping allowed for "${opText}" operation`);
    }
    if ((lt === 'scalar' || rt === 'scalar') && SET_OPERATORS.has(op))
      this.fail(node.from, `set operator "${opText}" not allowed in binary scalar expression`);
    return lt === 'scalar' && rt === 'scalar' ? 'scalar' : 'vector';
  }

  private aggregate(node: SyntaxNode): ValueType {
    const opNode = node.getChild('AggregateOp');
    const name = opNode ? this.src(opNode) : '';
    const spec = AGGREGATIONS[name];
    const body = node.getChild('FunctionCallBody');
    const args = body ? exprChildren(body) : [];
    const types = args.map((a) => this.type(a));
    for (const g of node.getChild('AggregateModifier')?.getChildren('GroupingLabels') ?? [])
      groupingLabels(this, g);
    if (!spec) return 'vector';
    if (spec.experimental)
      this.warn(
        node.from,
        `${name}() is experimental in Prometheus 3 (--enable-feature=promql-experimental-functions)`,
      );
    if (args.length === 0) {
      this.fail(node.from, 'no arguments for aggregate expression provided');
      return 'vector';
    }
    const wanted = spec.param ? 2 : 1;
    if (args.length !== wanted) {
      this.fail(
        node.from,
        `wrong number of arguments for aggregate expression provided, expected ${wanted}, got ${args.length}`,
      );
      return 'vector';
    }
    if (spec.param && types[0] !== spec.param)
      this.fail(
        args[0]!.from,
        `expected type ${TYPE_NAME[spec.param]} in aggregation parameter, got ${TYPE_NAME[types[0]!]}`,
      );
    const last = types[wanted - 1]!;
    if (last !== 'vector')
      this.fail(
        args[wanted - 1]!.from,
        `expected type instant vector in aggregation expression, got ${TYPE_NAME[last]}${last === 'matrix' ? ` (aggregate rate(${this.src(args[wanted - 1]!)}) or a *_over_time function instead)` : ''}`,
      );
    return 'vector';
  }

  private call(node: SyntaxNode): ValueType {
    const id = node.getChild('FunctionIdentifier');
    const name = id ? this.src(id) : '';
    const spec = FUNCTIONS[name];
    const body = node.getChild('FunctionCallBody');
    const args = body ? exprChildren(body) : [];
    const types = args.map((a) => this.type(a));
    if (!spec) {
      this.fail(node.from, `unknown function with name "${name}"`);
      return 'vector';
    }
    if (spec.experimental)
      this.warn(
        node.from,
        `${name}() is experimental in Prometheus 3 (--enable-feature=promql-experimental-functions) and unknown to Prometheus 2`,
      );
    else if (spec.since3) this.warn(node.from, `${name}() needs Prometheus 3`);
    const n = spec.args.length;
    if (spec.variadic === 0 && n !== args.length)
      this.fail(node.from, `expected ${n} argument(s) in call to "${name}", got ${args.length}`);
    else if (spec.variadic !== 0 && n - 1 > args.length)
      this.fail(node.from, `expected at least ${n - 1} argument(s) in call to "${name}", got ${args.length}`);
    else if (spec.variadic > 0 && n - 1 + spec.variadic < args.length)
      this.fail(
        node.from,
        `expected at most ${n - 1 + spec.variadic} argument(s) in call to "${name}", got ${args.length}`,
      );
    args.forEach((arg, i) => {
      if (i >= n && spec.variadic === 0) return;
      const want = spec.args[Math.min(i, n - 1)]!;
      if (types[i] !== want)
        this.fail(
          arg.from,
          `expected type ${TYPE_NAME[want]} in call to function "${name}", got ${TYPE_NAME[types[i]!]}${hint(want, types[i]!, this.src(arg))}`,
        );
    });
    return spec.returns;
  }
}

function hint(want: ValueType, got: ValueType, arg: string): string {
  if (want === 'matrix' && got === 'vector')
    return /^[a-zA-Z_:][\w:]*(\{[^}]*\})?$/.test(arg)
      ? ` (give a range: ${arg}[5m])`
      : ` (give a range with a subquery: (${arg})[5m:])`;
  if (want === 'vector' && got === 'matrix')
    return ' (apply rate(), increase() or a *_over_time function first)';
  return '';
}

/** Offsets and @ modifiers stacked on one expression, and the expression under them. */
function modifierChain(node: SyntaxNode): { base: SyntaxNode; offsets: number; ats: number } {
  let offsets = 0;
  let ats = 0;
  let base = node;
  while (base.name === 'OffsetExpr' || base.name === 'StepInvariantExpr') {
    if (base.name === 'OffsetExpr') offsets++;
    else ats++;
    base = base.firstChild!;
  }
  return { base, offsets, ats };
}

function groupingLabels(checker: Checker, node: SyntaxNode): string[] {
  return children(node).map((c) => {
    if (c.name !== 'QuotedLabelName') return checker.src(c);
    checker.warn(c.from, 'quoted metric and label names need Prometheus 3');
    return checker.src(c).slice(1, -1);
  });
}

export function children(node: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  for (let c = node.firstChild; c; c = c.nextSibling) out.push(c);
  return out;
}

export const exprChildren = (node: SyntaxNode): SyntaxNode[] =>
  children(node).filter((c) => EXPRESSIONS.has(c.name));
