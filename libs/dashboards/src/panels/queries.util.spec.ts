import { describe, expect, it } from 'vitest';
import { redQueries, sloQueries } from './queries.util.js';

describe('redQueries', () => {
  it('selects 5xx responses with the OpenTelemetry status label', () => {
    expect(redQueries('service_name="a"', 'opentelemetry').errorRatio).toBe(
      'sum(rate(http_server_request_duration_seconds_count{service_name="a",http_response_status_code=~"5.."}[$__rate_interval])) / sum(rate(http_server_request_duration_seconds_count{service_name="a"}[$__rate_interval]))',
    );
  });

  it('builds valid selectors when the service has no matchers', () => {
    const red = redQueries('', 'classic');
    expect(red.errorRatio).toBe(
      'sum(rate(http_requests_total{code=~"5.."}[$__rate_interval])) / sum(rate(http_requests_total{}[$__rate_interval]))',
    );
  });
});

describe('sloQueries', () => {
  it('reads the recorded error ratio of the SLO, window by window', () => {
    const sli = { kind: 'events' as const, errorQuery: 'e', totalQuery: 't' };
    const q = sloQueries(
      { service: 'a', name: 'b', window: { kind: 'rolling', duration: '28d', seconds: 28 * 86_400 }, sli },
      0.0005,
    );
    expect(q.sliNow).toBe('1 - slo:sli_error:ratio{service="a", slo="b", window="5m"}');
    expect(q.budgetRemaining).toBe('1 - slo:sli_error:ratio{service="a", slo="b", window="28d"} / 0.0005');
    expect(q.burnRate('6h')).toBe('slo:sli_error:ratio{service="a", slo="b", window="6h"} / 0.0005');
  });

  it("budgets a calendar month over the panel's range (the month so far) from the recorded 5m rates", () => {
    const sli = { kind: 'events' as const, errorQuery: 'e', totalQuery: 't' };
    const q = sloQueries(
      { service: 'a', name: 'b', window: { kind: 'calendar', unit: 'month' }, sli },
      0.001,
    );
    expect(q.budgetRemainingInRange).toBe(
      '1 - (sum_over_time(slo:sli_errors:rate5m{service="a", slo="b"}[$__range]) / sum_over_time(slo:sli_total:rate5m{service="a", slo="b"}[$__range])) / 0.001',
    );
    const raw = sloQueries(
      {
        service: 'a',
        name: 'b',
        window: { kind: 'calendar', unit: 'month' },
        sli: { kind: 'raw', errorRatioQuery: 'r' },
      },
      0.001,
    );
    expect(raw.budgetRemainingInRange).toBe(
      '1 - (avg_over_time(slo:sli_error:ratio{service="a", slo="b", window="5m"}[$__range])) / 0.001',
    );
  });
});
