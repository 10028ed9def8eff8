import { timingSafeEqual } from 'node:crypto';

import type { Secret } from '../config/secret.js';

/** Whether an `Authorization` header carries `Bearer <expected>`, compared in constant time. */
export function bearerMatches(header: string | undefined, expected: Secret): boolean {
  const given = /^Bearer (.+)$/.exec(header ?? '')?.[1];
  const want = expected.reveal();
  if (!given || given.length !== want.length) return false;
  return timingSafeEqual(Buffer.from(given), Buffer.from(want));
}

export type RequestWithHeaders = { headers: { authorization?: string } };
