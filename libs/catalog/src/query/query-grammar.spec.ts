import { describe, expect, it } from 'vitest';
import { checkQuery, hasWindowPlaceholder, renderWindow } from './query-grammar.js';

describe('checkQuery', () => {
  it.each([
    ['promql', 'sum(rate(http_requests_total{job="a",code=~"5.."}[5m]))'],
    ['promql', 'histogram_fraction(0, 0.3, sum(rate(http_server_request_duration_seconds[5m])))'],
    [
      'promql',
      'sum_over_time(slo:sli_errors:rate5m{slo="a"}[3d:5m]) / sum_over_time(slo:sli_total:rate5m[3d:5m])',
    ],
    ['logql', 'sum(count_over_time({app="x"} |= "error" [5m]))'],
    ['logql', '{service_name="checkout"} | detected_level="error"'],
    ['traceql', '{resource.service.name="checkout" && status=error}'],
    ['traceql', '{resource.service.name="checkout"} | select(duration)'],
  ] as const)('accepts valid %s: %s', (language, query) => {
    expect(checkQuery(language, query)).toBeUndefined();
  });

  it('reports an unbalanced PromQL query at the end', () => {
    const error = checkQuery('promql', 'sum(rate(x[5m])');
    expect(error?.message).toBe('unexpected end of query');
    expect(error?.column).toBeGreaterThan(1);
  });

  it('reports the position of a stray token', () => {
    expect(checkQuery('promql', 'sum(rate(x[5m]))) + 1')).toMatchObject({ line: 1, column: 17 });
  });

  it('reports positions on later lines of multi-line queries', () => {
    expect(checkQuery('promql', 'sum(\n  rate(x{job="a"[5m])\n)')).toMatchObject({ line: 2 });
  });

  it('rejects LogQL without a stream selector and broken TraceQL', () => {
    expect(checkQuery('logql', 'count_over_time(|= "x" [5m])')).toBeDefined();
    expect(checkQuery('traceql', '{resource.service.name="a" &&}')).toBeDefined();
  });

  it('rejects an empty query', () => {
    expect(checkQuery('promql', '  ')?.message).toBe('the query is empty');
  });
});

describe('window placeholders', () => {
  it('renders both spellings of the window placeholder', () => {
    expect(renderWindow('rate(x[{{.window}}]) / rate(y[{{ .window }}])', '5m')).toBe(
      'rate(x[5m]) / rate(y[5m])',
    );
    expect(hasWindowPlaceholder('rate(x[{{ .window }}])')).toBe(true);
    expect(hasWindowPlaceholder('rate(x[5m])')).toBe(false);
  });
});
