import { describe, expect, it } from 'vitest';
import { rawInputSeries, recordedInputSeries } from './input-series.util.js';
import { anSlo } from '@burnrate/catalog/testing';

const load = { eventsPerSecond: 10, errorRatio: 0.1, minutes: 40 };

describe('synthetic input series', () => {
  it('split one metric into a series the error selector matches and one only the total matches', () => {
    const series = rawInputSeries(
      {
        kind: 'events',
        errorQuery: 'sum(rate(http_requests_total{job="a",code=~"(5..|429)"}[{{.window}}]))',
        totalQuery: 'sum(rate(http_requests_total{job="a"}[{{.window}}]))',
      },
      load,
    );
    expect(series).toEqual([
      { series: 'http_requests_total{job="a", code="500"}', values: '0+60x40' },
      { series: 'http_requests_total{job="a", code="200"}', values: '0+540x40' },
    ]);
  });

  it('feed the good series of a good/total SLI the good share', () => {
    const series = rawInputSeries(
      {
        kind: 'goodTotal',
        goodQuery: 'sum(rate(req_total{code!~"5.."}[{{.window}}]))',
        totalQuery: 'sum(rate(req_total[{{.window}}]))',
      },
      load,
    );
    expect(series).toEqual([
      { series: 'req_total', values: '0+540x40' },
      { series: 'req_total{code="500"}', values: '0+60x40' },
    ]);
  });

  it('feed a histogram its count and the bucket at the threshold', () => {
    expect(
      rawInputSeries(
        { kind: 'latency', metric: 'h', matchers: 'job="a"', thresholdSeconds: 1, histogram: 'classic' },
        load,
      ),
    ).toEqual([
      { series: 'h_count{job="a"}', values: '0+600x40' },
      { series: 'h_bucket{job="a", le="1"}', values: '0+540x40' },
    ]);
  });

  it('give up on free-form queries, so tests feed the recorded series instead', () => {
    const sli = {
      kind: 'events',
      errorQuery: 'sum(increase(e[{{.window}}]))',
      totalQuery: 'sum(increase(t[{{.window}}]))',
    } as const;
    expect(rawInputSeries(sli, load)).toBeUndefined();
    expect(recordedInputSeries(anSlo({ sli }), load)).toEqual([
      { series: 'slo:sli_total:rate5m{service="checkout", slo="availability"}', values: '10+0x40' },
      { series: 'slo:sli_errors:rate5m{service="checkout", slo="availability"}', values: '1+0x40' },
    ]);
  });
});
