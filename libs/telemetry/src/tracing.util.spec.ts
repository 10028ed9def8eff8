import { SpanStatusCode, trace, type Span, type SpanOptions, type Tracer } from '@opentelemetry/api';
import { afterEach, describe, expect, it } from 'vitest';

import { withSpan } from './tracing.util.js';

interface RecordedSpan {
  name: string;
  attributes: SpanOptions['attributes'];
  ended: boolean;
  status?: { code: SpanStatusCode; message?: string };
  exceptions: unknown[];
}

// No OpenTelemetry SDK in this project: a tracer that only records what withSpan does to spans.
function recordSpans(): RecordedSpan[] {
  const spans: RecordedSpan[] = [];
  const tracer = {
    startActiveSpan(name: string, options: SpanOptions, fn: (span: Span) => unknown) {
      const recorded: RecordedSpan = { name, attributes: options.attributes, ended: false, exceptions: [] };
      spans.push(recorded);
      const span = {
        end: () => void (recorded.ended = true),
        setStatus: (status: RecordedSpan['status']) => void (recorded.status = status),
        recordException: (exception: unknown) => void recorded.exceptions.push(exception),
      };
      return fn(span as unknown as Span);
    },
  } as unknown as Tracer;
  trace.setGlobalTracerProvider({ getTracer: () => tracer });
  return spans;
}

describe(withSpan.name, () => {
  afterEach(() => trace.disable());

  it('returns what the work returns, and ends the span it ran in', async () => {
    const spans = recordSpans();

    const result = await withSpan('refresh slo status', () => 42, { 'burnrate.team': 'payments' });

    expect(result).toBe(42);
    expect(spans).toEqual([
      {
        name: 'refresh slo status',
        attributes: { 'burnrate.team': 'payments' },
        ended: true,
        exceptions: [],
      },
    ]);
  });

  it('marks the span as failed and rethrows the same error', async () => {
    const spans = recordSpans();
    const failure = new Error('prometheus unreachable');

    await expect(withSpan('refresh slo status', () => Promise.reject(failure))).rejects.toBe(failure);

    expect(spans[0]).toMatchObject({
      ended: true,
      status: { code: SpanStatusCode.ERROR, message: 'prometheus unreachable' },
      exceptions: [failure],
    });
  });

  it('runs the work even when no tracing SDK is registered', async () => {
    expect(await withSpan('no sdk', () => 'done')).toBe('done');
  });
});
