import { SpanStatusCode, trace, type Attributes, type Span, type Tracer } from '@opentelemetry/api';

const TRACER_NAME = 'burnrate';

/** The tracer for Burnrate's own spans; a no-op until an OpenTelemetry SDK is registered. */
export function burnrateTracer(): Tracer {
  return trace.getTracer(TRACER_NAME);
}

/**
 * Runs `work` inside an active span that ends when the work settles; a failure is recorded on
 * the span and rethrown unchanged.
 */
export function withSpan<T>(
  name: string,
  work: (span: Span) => Promise<T> | T,
  attributes: Attributes = {},
): Promise<T> {
  return burnrateTracer().startActiveSpan(name, { attributes }, async (span) => {
    try {
      return await work(span);
    } catch (error) {
      const exception = error instanceof Error ? error : new Error(String(error));
      span.recordException(exception);
      span.setStatus({ code: SpanStatusCode.ERROR, message: exception.message });
      throw error;
    } finally {
      span.end();
    }
  });
}
