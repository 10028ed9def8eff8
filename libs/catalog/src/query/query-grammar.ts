import { parser as logqlParser } from '@grafana/lezer-logql';
import { parser as promqlParser } from '@prometheus-io/lezer-promql';
import { parser as traceqlParser } from '@grafana/lezer-traceql';
import type { LRParser } from '@lezer/lr';

export type QueryLanguage = 'promql' | 'logql' | 'traceql';

/** A syntax error inside a query; `line` and `column` are 1-based within the query text. */
export interface QuerySyntaxError {
  offset: number;
  line: number;
  column: number;
  message: string;
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

/**
 * Parses a query with the upstream lezer grammar and reports the first error, if any. The
 * grammars recover from errors by inserting error nodes, so the tree is walked for them.
 */
export function checkQuery(language: QueryLanguage, text: string): QuerySyntaxError | undefined {
  if (text.trim() === '') return at(text, 0, 'the query is empty');
  const tree = PARSERS[language].parse(text);
  let error: QuerySyntaxError | undefined;
  tree.iterate({
    enter: (node) => {
      if (error) return false;
      if (!node.type.isError) return undefined;
      error = at(text, node.from, describe(text, node.from, node.to));
      return false;
    },
  });
  return error;
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
