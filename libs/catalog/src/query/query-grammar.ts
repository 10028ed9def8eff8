import { parser as logqlParser } from '@grafana/lezer-logql';
import { parser as promqlParser } from '@prometheus-io/lezer-promql';
import { parser as traceqlParser } from '@grafana/lezer-traceql';
import type { LRParser } from '@lezer/lr';
import { REMOVED_FUNCTIONS, type ValueType } from './promql-functions.js';
import { checkPromqlSemantics } from './promql-semantics.js';

export type QueryLanguage = 'promql' | 'logql' | 'traceql';

/** An error inside a query; `line` and `column` are 1-based within the query text. */
export interface QuerySyntaxError {
  offset: number;
  line: number;
  column: number;
  message: string;
  /** The query parses, but Prometheus' type checks refuse it. */
  semantic?: true;
}

const PARSERS: Record<QueryLanguage, LRParser> = {
  promql: promqlParser,
  logql: logqlParser,
  traceql: traceqlParser,
};

/** Sloth's placeholder for the rate window, with or without spaces inside the braces. */
export const WINDOW_PLACEHOLDER = /\{\{\s*\.window\s*\}\}/g;

export const hasWindowPlaceholder = (template: string): boolean =>
  new RegExp(WINDOW_PLACEHOLDER.source).test(template);

export const renderWindow = (template: string, window: string): string =>
  template.replace(WINDOW_PLACEHOLDER, window);

/** What a query is: its first error, what only newer or experimental Prometheus reads, its type. */
export interface QueryAnalysis {
  error?: QuerySyntaxError;
  warnings: QuerySyntaxError[];
  /** PromQL only, when it parsed: the value type Prometheus gives it. */
  type?: ValueType;
  /** PromQL only: the name of the outermost node (`VectorSelector` for a bare selector). */
  shape?: string;
  /** PromQL only: histogram buckets read at a literal bound (`x_bucket{le="0.3"}`), `offset` in the query. */
  buckets?: { metric: string; bound: number; offset: number }[];
}

/**
 * Parses a query with the upstream lezer grammar and reports the first error, if any. The
 * grammars recover from errors by inserting error nodes, so the tree is walked for them.
 * PromQL that parses is then type-checked as Prometheus does (promql-semantics.ts).
 */
export function checkQuery(language: QueryLanguage, text: string): QuerySyntaxError | undefined {
  return analyzeQuery(language, text).error;
}

export function analyzeQuery(language: QueryLanguage, text: string): QueryAnalysis {
  if (text.trim() === '') return { error: at(text, 0, 'the query is empty'), warnings: [] };
  const tree = PARSERS[language].parse(text);
  let error: QuerySyntaxError | undefined;
  tree.iterate({
    enter: (node) => {
      if (error) return false;
      if (!node.type.isError) return undefined;
      error = unknownFunction(text, node.from) ?? at(text, node.from, describe(text, node.from, node.to));
      return false;
    },
  });
  if (error || language !== 'promql') return { ...(error ? { error } : {}), warnings: [] };
  const result = checkPromqlSemantics(text, tree);
  return {
    ...(result.error
      ? { error: { ...at(text, result.error.from, result.error.message), semantic: true } }
      : {}),
    warnings: result.warnings.map((w) => at(text, w.from, w.message)),
    type: result.type,
    shape: tree.topNode.firstChild?.name ?? '',
    buckets: result.buckets.map((b) => ({ metric: b.metric, bound: b.bound, offset: b.from })),
  };
}

/** lezer-promql knows function names as tokens: `foo(` fails at the parenthesis. */
function unknownFunction(text: string, from: number): QuerySyntaxError | undefined {
  if (text.charAt(from) !== '(') return undefined;
  const m = /([a-zA-Z_][a-zA-Z0-9_]*)\s*$/.exec(text.slice(0, from));
  if (!m || /^(by|without|on|ignoring|group_left|group_right|bool|offset)$/i.test(m[1]!)) return undefined;
  return at(text, m.index, REMOVED_FUNCTIONS[m[1]!] ?? `unknown function with name "${m[1]}"`);
}

function describe(text: string, from: number, to: number): string {
  if (from >= text.trimEnd().length) return 'unexpected end of query';
  const found = text.slice(from, Math.max(to, from + 1)).split(/\s/)[0] || text.charAt(from);
  return `unexpected \`${found.length > 20 ? `${found.slice(0, 20)}...` : found}\``;
}

function at(text: string, offset: number, message: string): QuerySyntaxError {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - before.lastIndexOf('\n');
  return { offset, line, column, message };
}
