/** What one attempt's answer means for the delivery. */
export type AttemptOutcome =
  | { kind: 'delivered'; status: number }
  /** Try again, not before `notBefore` (backoff with jitter, or the service's Retry-After). */
  | { kind: 'retry'; status: number | null; error: string; notBefore: Date }
  /** The service refused the message itself (4xx): sending it again cannot help. */
  | { kind: 'rejected'; status: number; error: string };

export interface RetryPolicy {
  /** First retry delay; it doubles per attempt up to `maxDelayMs`. */
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = Object.freeze({ baseDelayMs: 1000, maxDelayMs: 300_000 });

/**
 * Exponential backoff with jitter: attempt n waits between half and all of
 * `base * 2^(n-1)` (capped), so replicas and destinations that failed together do not retry
 * together. `random` is in [0, 1).
 */
export function backoffMs(attempt: number, policy: RetryPolicy, random: number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling * (0.5 + random / 2));
}

/** `Retry-After` as seconds or an HTTP date, in milliseconds from `now`; undefined when absent or unreadable. */
export function retryAfterMs(header: string | null | undefined, now: Date): number | undefined {
  if (!header) return undefined;
  const value = header.trim();
  if (/^\d+(\.\d+)?$/.test(value)) return Math.ceil(Number(value) * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now.getTime());
}

/**
 * Reads a chat service's answer. 2xx is delivered; 408, 425, 429 and 5xx are retried (429 not
 * before its Retry-After); any other 4xx is the message refused, parked at once for a person.
 */
export function classifyAnswer(
  answer: { status: number; retryAfter?: string | null; error?: string },
  attempt: number,
  now: Date,
  policy: RetryPolicy,
  random: number,
): AttemptOutcome {
  const { status } = answer;
  if (status >= 200 && status < 300) return { kind: 'delivered', status };
  const error = `HTTP ${status}${answer.error ? `: ${answer.error}` : ''}`;
  if (status >= 400 && status < 500 && ![408, 425, 429].includes(status))
    return { kind: 'rejected', status, error };
  const backoff = backoffMs(attempt, policy, random);
  const asked = retryAfterMs(answer.retryAfter, now);
  const wait = asked === undefined ? backoff : Math.max(asked, status === 429 ? 0 : backoff);
  return { kind: 'retry', status, error, notBefore: new Date(now.getTime() + wait) };
}

/** A request that got no answer (refused connection, timeout): retried with backoff. */
export function networkFailure(
  error: string,
  attempt: number,
  now: Date,
  policy: RetryPolicy,
  random: number,
): AttemptOutcome {
  return {
    kind: 'retry',
    status: null,
    error,
    notBefore: new Date(now.getTime() + backoffMs(attempt, policy, random)),
  };
}
