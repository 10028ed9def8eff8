import { type Sli } from '@burnrate/catalog';
import { anSlo, SLI_OF_EVERY_KIND } from '@burnrate/catalog/testing';
import { describe, expect, it } from 'vitest';
import { mustExist, requiredSeries } from './required-series.util.js';

const of = (sli: Sli) => requiredSeries(anSlo({ sli }));
const selectors = (sli: Sli) => of(sli).map((s) => s.selector);

describe('requiredSeries', () => {
  it('lists the _count and the threshold bucket of a classic histogram, with the le the rules match', () => {
    const series = of({
      kind: 'latency',
      metric: 'http_server_request_duration_seconds',
      matchers: 'service_name="checkout"',
      thresholdSeconds: 0.3,
      histogram: 'classic',
    });
    expect(series).toEqual([
      {
        selector: 'http_server_request_duration_seconds_count{service_name="checkout"}',
        role: 'count',
        mayBeAbsent: false,
      },
      {
        selector: 'http_server_request_duration_seconds_bucket{service_name="checkout", le="0.3"}',
        role: 'bucket',
        mayBeAbsent: false,
        bucket: {
          histogram: 'http_server_request_duration_seconds_bucket{service_name="checkout"}',
          le: '0.3',
        },
      },
    ]);
  });

  it('accepts both spellings of a whole-number bound, as Prometheus 2 and 3 write it', () => {
    const series = of({
      kind: 'latency',
      metric: 'rpc_duration_seconds',
      matchers: '',
      thresholdSeconds: 1,
      histogram: 'classic',
    });
    expect(series[1]!.selector).toBe('rpc_duration_seconds_bucket{le=~"1(\\\\.0)?"}');
  });

  it('lists the histogram itself for a native histogram', () => {
    expect(selectors({ ...SLI_OF_EVERY_KIND.latency, histogram: 'native' } as Sli)).toEqual([
      'http_server_request_duration_seconds{service_name="checkout"}',
    ]);
  });

  it('requires the total of an events SLI; the error series may be absent until a first error', () => {
    const series = of(SLI_OF_EVERY_KIND.events);
    expect(series.map((s) => [s.selector, s.role, s.mayBeAbsent])).toEqual([
      ['http_requests_total{job="checkout"}', 'total', false],
      ['http_requests_total{job="checkout", code=~"5.."}', 'errors', true],
    ]);
    expect(mustExist(series).map((s) => s.selector)).toEqual(['http_requests_total{job="checkout"}']);
  });

  it('reads every vector selector of free-form queries, grouped and with offsets, laid out any way', () => {
    const sli: Sli = {
      kind: 'goodTotal',
      goodQuery:
        'sum by (request_host) (rate(ingress_requests_total{status!~"5..",\n  host="a"}[{{.window}}]))',
      totalQuery:
        'sum by (request_host) (rate(ingress_requests_total{ host = "a" }[{{ .window }}] offset 1m)) + sum(rate(other_total[{{.window}}]))',
    };
    expect(of(sli).map((s) => [s.selector, s.role, s.mayBeAbsent])).toEqual([
      ['ingress_requests_total{host="a"}', 'total', false],
      ['other_total', 'total', false],
      ['ingress_requests_total{status!~"5..", host="a"}', 'good', true],
    ]);
  });

  it('does not require operands of or, the right side of unless, or what absent() reads', () => {
    const sli: Sli = {
      kind: 'raw',
      errorRatioQuery:
        '(sum(rate(errors_total[{{.window}}])) or vector(0)) / sum(rate(requests_total[{{.window}}])) unless on() absent(up{job="x"}) unless maintenance',
    };
    expect(of(sli).map((s) => [s.selector, s.mayBeAbsent])).toEqual([
      ['errors_total', true],
      ['requests_total', false],
      ['up{job="x"}', true],
      ['maintenance', true],
    ]);
  });

  it("requires a bucket an error query reads (Sloth's latency form: _count - _bucket{le})", () => {
    // Kuadrant/kuadrant-operator examples/alerts/sloth/slo-latency.yaml (see test/cli/fixtures/verify/SOURCES.md).
    const sli: Sli = {
      kind: 'events',
      errorQuery:
        '(\n  sum(rate(istio_request_duration_milliseconds_count{job="ingress-metrics-proxy",response_code="200"}[{{.window}}]))by (request_host)\n  -\n  sum(rate(istio_request_duration_milliseconds_bucket{le="250", job="ingress-metrics-proxy", response_code="200" }[{{.window}}]) )by (request_host)\n)',
      totalQuery:
        'sum(rate(istio_request_duration_milliseconds_count{job="ingress-metrics-proxy",response_code="200"}[{{.window}}]))by (request_host)',
    };
    expect(mustExist(of(sli))).toEqual([
      {
        selector:
          'istio_request_duration_milliseconds_count{job="ingress-metrics-proxy", response_code="200"}',
        role: 'total',
        mayBeAbsent: false,
      },
      {
        selector:
          'istio_request_duration_milliseconds_bucket{le="250", job="ingress-metrics-proxy", response_code="200"}',
        role: 'bucket',
        mayBeAbsent: false,
        bucket: {
          histogram:
            'istio_request_duration_milliseconds_bucket{job="ingress-metrics-proxy", response_code="200"}',
          le: '250',
        },
      },
    ]);
  });

  it('lists a gauge selector and a selector written with __name__', () => {
    expect(selectors(SLI_OF_EVERY_KIND.gauge)).toEqual(['probe_success{job="blackbox"}']);
    expect(selectors({ kind: 'gauge', selector: '{__name__="probe_success"}' })).toEqual([
      '{__name__="probe_success"}',
    ]);
  });

  it('lists each selector once, required when any use requires it', () => {
    const sli: Sli = { kind: 'raw', errorRatioQuery: '(x or y) / x' };
    expect(of(sli).map((s) => [s.selector, s.mayBeAbsent])).toEqual([
      ['x', false],
      ['y', true],
    ]);
  });

  it('lists nothing for logs SLIs, which Loki reads', () => {
    expect(of(SLI_OF_EVERY_KIND.logs)).toEqual([]);
  });
});
