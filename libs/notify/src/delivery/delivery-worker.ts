import type { ChatType } from '@burnrate/catalog';

import type { ChatAnswer, ChatRequest, ChatTransport } from './chat-transport.js';
import type { DeliveryLimits, DeliveryStore, OutboxRow } from './delivery.store.js';
import {
  classifyAnswer,
  networkFailure,
  type AttemptOutcome,
  type RetryPolicy,
} from './retry-policy.util.js';

/** Minimum time between two messages to one destination, by chat type (their documented limits). */
export const DEFAULT_MIN_INTERVAL_MS: Readonly<Record<ChatType, number>> = Object.freeze({
  // Slack: about one message per second per incoming webhook.
  slack: 1000,
  // Google Chat: one write per second per space.
  googlechat: 1000,
  // Discord: 5 requests per 2 seconds per webhook.
  discord: 400,
  // Teams Workflows: throttled per flow; 4 per second stays clear of it.
  teams: 250,
  mattermost: 0,
  webhook: 0,
});

/**
 * A row ready to send, or why it cannot be (a missing URL variable: retried, then parked). A
 * request goes through the transport; `send` is a destination's own protocol (a Slack bot).
 */
export type Prepared =
  | { request: ChatRequest; type: ChatType }
  | { send: () => Promise<ChatAnswer>; type: ChatType }
  /** `permanent`: sending again cannot help (a team's template renders no JSON): parked at once. */
  | { error: string; type: ChatType; permanent?: boolean };

export interface DeliveryWorkerOptions {
  replica: string;
  /** Lanes sent to at once by this replica. */
  concurrency: number;
  /** How long a claimed lane stays this replica's; longer than a request's timeout. */
  leaseMs: number;
  limits: DeliveryLimits;
  policy: RetryPolicy;
  minIntervalMs: Readonly<Record<ChatType, number>>;
}

export interface DeliveryWorkerDeps {
  store: DeliveryStore;
  transport: ChatTransport;
  /** Renders a row for its destination and resolves the destination's URL. */
  prepare: (row: OutboxRow) => Promise<Prepared>;
  now: () => Date;
  random: () => number;
  /** Told about every attempt (metrics, logs). */
  observe?: (row: OutboxRow, type: ChatType, outcome: AttemptOutcome, status: string) => void;
}

/**
 * Sends the outbox: claims free lanes, sends each lane's oldest pending row, and records the
 * answer before the lane is free again. At-least-once: a crash between a chat service's answer
 * and the commit sends that one row again, with the same `Idempotency-Key`.
 */
export class DeliveryWorker {
  constructor(
    private readonly deps: DeliveryWorkerDeps,
    private readonly options: DeliveryWorkerOptions,
  ) {}

  /** One round: returns how many rows it attempted (0: nothing due). */
  async runOnce(): Promise<number> {
    const { store } = this.deps;
    const lanes = await store.claimLanes(
      this.options.replica,
      this.options.concurrency,
      this.options.leaseMs,
    );
    const done = await Promise.all(lanes.map((lane) => this.sendHead(lane)));
    return done.filter(Boolean).length;
  }

  private async sendHead(lane: string): Promise<boolean> {
    const { store, transport, now, random } = this.deps;
    const row = await store.head(lane);
    if (!row) {
      await store.release(lane, this.options.replica);
      return false;
    }
    const prepared = await this.deps.prepare(row).catch((error: unknown): Prepared => ({
      error: `could not prepare the message: ${error instanceof Error ? error.message : String(error)}`,
      type: (row.payload['destination'] as { type?: ChatType } | null)?.type ?? 'webhook',
    }));
    const attempt = row.attempts + 1;
    let outcome: AttemptOutcome;
    if ('error' in prepared) {
      outcome = prepared.permanent
        ? { kind: 'rejected', status: 0, error: prepared.error }
        : networkFailure(prepared.error, attempt, now(), this.options.policy, random());
    } else {
      const answer = await ('send' in prepared ? prepared.send() : transport.post(prepared.request)).catch(
        (error: unknown): ChatAnswer => ({
          status: 0,
          retryAfter: null,
          error: error instanceof Error ? error.message : String(error),
        }),
      );
      outcome =
        answer.status === 0
          ? networkFailure(answer.error ?? 'no answer', attempt, now(), this.options.policy, random())
          : classifyAnswer(answer, attempt, now(), this.options.policy, random());
    }
    const sentAt = now();
    const nextSendAt = new Date(sentAt.getTime() + this.options.minIntervalMs[prepared.type]);
    const status = await store.settle(
      row,
      this.options.replica,
      outcome,
      nextSendAt,
      this.options.limits,
      sentAt,
    );
    this.deps.observe?.(row, prepared.type, outcome, status);
    return true;
  }
}
