import { describe, expect, it } from 'vitest';

import { backoffMs, classifyAnswer, DEFAULT_RETRY_POLICY, retryAfterMs } from './retry-policy.util.js';

const now = new Date('2026-12-06T12:00:00Z');

describe('backoff', () => {
  it.each([
    [1, 0, 500],
    [1, 1 - 1e-9, 1000],
    [4, 0, 4000],
    [4, 1 - 1e-9, 8000],
    [30, 1 - 1e-9, 300_000],
  ])('attempt %i with random %f waits %i ms', (attempt, random, expected) => {
    expect(backoffMs(attempt, DEFAULT_RETRY_POLICY, random)).toBe(expected);
  });
});

describe('Retry-After', () => {
  it('reads seconds and HTTP dates', () => {
    expect(retryAfterMs('3', now)).toBe(3000);
    expect(retryAfterMs('0.5', now)).toBe(500);
    expect(retryAfterMs('Sun, 06 Dec 2026 12:00:02 GMT', now)).toBe(2000);
    expect(retryAfterMs('Sun, 06 Dec 2026 11:00:00 GMT', now)).toBe(0);
    expect(retryAfterMs('soon', now)).toBeUndefined();
    expect(retryAfterMs(undefined, now)).toBeUndefined();
  });
});

describe('classifyAnswer', () => {
  const classify = (status: number, retryAfter?: string) =>
    classifyAnswer({ status, retryAfter: retryAfter ?? null }, 1, now, DEFAULT_RETRY_POLICY, 0);

  it('delivers 2xx, refuses other 4xx, retries the rest', () => {
    expect(classify(200).kind).toBe('delivered');
    expect(classify(204).kind).toBe('delivered');
    expect(classify(400).kind).toBe('rejected');
    expect(classify(404).kind).toBe('rejected');
    expect(classify(500).kind).toBe('retry');
    expect(classify(503).kind).toBe('retry');
    expect(classify(408).kind).toBe('retry');
  });

  it('waits exactly as long as a 429 asks, even when shorter than the backoff', () => {
    const outcome = classify(429, '0');
    expect(outcome).toMatchObject({ kind: 'retry', notBefore: now });
    const later = classify(429, 'Sun, 06 Dec 2026 12:00:07 GMT');
    expect(later.kind === 'retry' && later.notBefore.getTime() - now.getTime()).toBe(7000);
  });

  it('never retries a 5xx sooner than the backoff', () => {
    const outcome = classify(503, '0');
    expect(outcome.kind === 'retry' && outcome.notBefore.getTime() - now.getTime()).toBe(500);
  });
});
