import { describe, expect, it } from 'vitest';
import { analyzeQuery, checkQuery } from './query-grammar.js';

describe('PromQL type checks', () => {
  it('refuses a range on an expression, at its bracket, and says how to write a subquery', () => {
    const error = checkQuery('promql', 'sum_over_time(x == 0[5m])');
    expect(error).toMatchObject({ line: 1, column: 21, semantic: true });
    expect(error?.message).toMatch(/^ranges only allowed for vector selectors.*\(x == 0\)\[5m:\]/);
  });

  it.each([
    ['rate(x)', 'expected type range vector in call to function "rate", got instant vector', 6],
    ['sum(x[5m])', 'expected type instant vector in aggregation expression, got range vector', 5],
    ['x[5m] / 2', 'binary expression must contain only scalar and instant vector types', 1],
    ['topk("3", x)', 'expected type scalar in aggregation parameter, got string', 6],
    ['round(x, 1, 2)', 'expected at most 2 argument(s) in call to "round", got 3', 1],
    ['x and on(a) group_left y', 'no grouping allowed for "and" operation', 1],
    ['sum(x) offset 5m', 'offset modifier must be preceded by', 1],
    ['x offset 5m [5m]', 'no offset modifiers allowed before range', 13],
    ['{job=~".*"}', 'vector selector must contain at least one non-empty matcher', 1],
    ['x{a=~"(?=b)"}', 'invalid or unsupported Perl syntax', 6],
    ['x[0s]', 'duration must be greater than 0', 3],
    ['x{a="\\q"}', 'unknown escape sequence', 5],
    ['frobnicate(x)', 'unknown function with name "frobnicate"', 1],
  ])('refuses %s: %s', (query, message, column) => {
    const error = checkQuery('promql', query);
    expect(error?.message).toContain(message);
    expect(error?.column).toBe(column);
  });

  it('reports positions on later lines of a multi-line query', () => {
    expect(checkQuery('promql', 'sum(rate(x[5m]))\n/\nsum(y[5m])')).toMatchObject({ line: 3, column: 5 });
  });

  it('types what it accepts', () => {
    expect(analyzeQuery('promql', 'sum(rate(x[5m]))').type).toBe('vector');
    expect(analyzeQuery('promql', 'scalar(x) * 2').type).toBe('scalar');
    expect(analyzeQuery('promql', 'rate(x[5m])[1h:]').type).toBe('matrix');
    expect(analyzeQuery('promql', '"text"').type).toBe('string');
  });

  it('accepts what Prometheus 3 added, with a warning', () => {
    const analysis = analyzeQuery('promql', 'sum by ("service.name") (rate(x[5m]))');
    expect(analysis.error).toBeUndefined();
    expect(analysis.warnings.map((w) => w.message)).toEqual([
      'quoted metric and label names need Prometheus 3',
    ]);
  });
});
