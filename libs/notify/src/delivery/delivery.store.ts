import type { DataSource } from 'typeorm';

import type { AttemptOutcome } from './retry-policy.util.js';

/** One outbox row as a sender reads it. */
export interface OutboxRow {
  id: string;
  /** The delivery's identity, sent as `Idempotency-Key`. */
  key: string;
  team: string;
  destinationKey: string;
  groupKey: string;
  attempts: number;
  createdAt: Date;
  payload: Record<string, unknown>;
}

/** A delivery as `GET /api/v1/deliveries` lists it. */
export interface DeliveryItem {
  id: string;
  key: string;
  team: string;
  destination: string;
  groupKey: string;
  status: 'pending' | 'delivered' | 'parked';
  attempts: number;
  lastStatus: number | null;
  lastError: string | null;
  createdAt: string;
  nextAttemptAt: string;
  deliveredAt: string | null;
}

export interface DeliveryLimits {
  /** Park after this many attempts (DELIVERY_MAX_ATTEMPTS). */
  maxAttempts: number;
  /** Park a row this much older than its creation (24 hours). */
  maxAgeMs: number;
}

interface RawRow {
  id: string;
  dedup_key: string;
  team: string;
  destination_key: string;
  group_key: string;
  attempts: number;
  created_at: Date;
  payload: Record<string, unknown>;
}

/**
 * The outbox seen from the senders. Work is claimed by lane (one per destination) with
 * `FOR UPDATE SKIP LOCKED` and a lease: one request at a time per destination across replicas,
 * each lane sent strictly in outbox order, and nothing sent to a lane before its `next_send_at`
 * (its rate limit, a Retry-After, a backoff). A sender that dies holding a lease loses it when
 * the lease runs out; its row is still pending and is sent again with the same key.
 */
export class DeliveryStore {
  constructor(private readonly dataSource: DataSource) {}

  /** Leases up to `limit` lanes that have a pending row and may be sent to now. */
  async claimLanes(replica: string, limit: number, leaseMs: number): Promise<string[]> {
    // A SELECT at the top: TypeORM answers a top-level UPDATE with [rows, count].
    const rows: { destination_key: string }[] = await this.dataSource.query(
      `WITH due AS (
         SELECT l.destination_key FROM delivery_lane l
         WHERE l.next_send_at <= now()
           AND (l.leased_until IS NULL OR l.leased_until < now())
           AND EXISTS (SELECT 1 FROM alert_outbox o WHERE o.destination_key = l.destination_key AND o.status = 'pending')
         ORDER BY l.next_send_at
         LIMIT $1
         FOR UPDATE SKIP LOCKED),
       claimed AS (
         UPDATE delivery_lane l SET leased_until = now() + $2 * interval '1 millisecond', leased_by = $3
         FROM due WHERE l.destination_key = due.destination_key
         RETURNING l.destination_key)
       SELECT destination_key FROM claimed`,
      [limit, leaseMs, replica],
    );
    return rows.map((r) => r.destination_key);
  }

  /** The lane's oldest pending row: what goes out next. */
  async head(destinationKey: string): Promise<OutboxRow | undefined> {
    const rows: RawRow[] = await this.dataSource.query(
      // o.id, not id: a bare `id` would sort by the text output column ("10" before "2").
      `SELECT o.id::text AS id, dedup_key, team, destination_key, group_key, attempts, created_at, payload
       FROM alert_outbox o WHERE destination_key = $1 AND status = 'pending' ORDER BY o.id LIMIT 1`,
      [destinationKey],
    );
    const row = rows[0];
    return (
      row && {
        id: row.id,
        key: row.dedup_key,
        team: row.team,
        destinationKey: row.destination_key,
        groupKey: row.group_key,
        attempts: row.attempts,
        createdAt: new Date(row.created_at),
        payload: row.payload,
      }
    );
  }

  /**
   * Records an attempt and frees the lane, in one transaction. A retry past the limits parks
   * the row; a refused message is parked at once. Returns the row's status afterwards.
   */
  async settle(
    row: OutboxRow,
    replica: string,
    outcome: AttemptOutcome,
    nextSendAt: Date,
    limits: DeliveryLimits,
    now: Date,
  ): Promise<'delivered' | 'pending' | 'parked'> {
    const attempts = row.attempts + 1;
    let status: 'delivered' | 'pending' | 'parked' = 'delivered';
    let error: string | null = null;
    let nextAttemptAt = now;
    if (outcome.kind === 'rejected') {
      status = 'parked';
      error = outcome.error;
    } else if (outcome.kind === 'retry') {
      const tooOld = now.getTime() - row.createdAt.getTime() >= limits.maxAgeMs;
      status = attempts >= limits.maxAttempts || tooOld ? 'parked' : 'pending';
      error =
        status === 'parked'
          ? `${outcome.error} (gave up after ${attempts} attempts${tooOld ? ' and 24 hours' : ''})`
          : outcome.error;
      nextAttemptAt = outcome.notBefore;
    }
    const laneNext = outcome.kind === 'retry' && status === 'pending' ? outcome.notBefore : nextSendAt;
    await this.dataSource.query(
      `WITH row AS (
         UPDATE alert_outbox SET status = $2::varchar, attempts = $3::int, last_status = $4::int,
           last_error = $5::text, next_attempt_at = $6::timestamptz,
           delivered_at = CASE WHEN $2::varchar = 'delivered' THEN now() ELSE NULL END
         WHERE id = $1::bigint AND status = 'pending')
       UPDATE delivery_lane SET next_send_at = $7::timestamptz, leased_until = NULL, leased_by = NULL
       WHERE destination_key = $8::text AND leased_by = $9::text`,
      [row.id, status, attempts, outcome.status, error, nextAttemptAt, laneNext, row.destinationKey, replica],
    );
    return status;
  }

  /** Gives a lane back without sending (nothing pending, or the server stopping). */
  async release(destinationKey: string, replica: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE delivery_lane SET leased_until = NULL, leased_by = NULL WHERE destination_key = $1 AND leased_by = $2`,
      [destinationKey, replica],
    );
  }

  /** Deliveries, newest first, optionally of one status or team. */
  async list(filter: { status?: string; team?: string; limit: number }): Promise<DeliveryItem[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (filter.status) where.push(`status = $${params.push(filter.status)}`);
    if (filter.team) where.push(`team = $${params.push(filter.team)}`);
    params.push(filter.limit);
    const rows: {
      id: string;
      dedup_key: string;
      team: string;
      destination_key: string;
      group_key: string;
      status: DeliveryItem['status'];
      attempts: number;
      last_status: number | null;
      last_error: string | null;
      created_at: Date;
      next_attempt_at: Date;
      delivered_at: Date | null;
    }[] = await this.dataSource.query(
      `SELECT o.id::text AS id, dedup_key, team, destination_key, group_key, status, attempts, last_status,
              last_error, created_at, next_attempt_at, delivered_at
       FROM alert_outbox o ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY o.id DESC LIMIT $${params.length}`,
      params,
    );
    return rows.map((r) => ({
      id: r.id,
      key: r.dedup_key,
      team: r.team,
      destination: r.destination_key,
      groupKey: r.group_key,
      status: r.status,
      attempts: r.attempts,
      lastStatus: r.last_status,
      lastError: r.last_error,
      createdAt: new Date(r.created_at).toISOString(),
      nextAttemptAt: new Date(r.next_attempt_at).toISOString(),
      deliveredAt: r.delivered_at && new Date(r.delivered_at).toISOString(),
    }));
  }

  /**
   * Requeues a parked delivery with a fresh attempt count. False when there is no such parked
   * row, or it has no destination (unroutable: fix the catalog and Alertmanager resends).
   */
  async retry(id: string): Promise<boolean> {
    if (!/^\d+$/.test(id)) return false;
    const rows: unknown[] = await this.dataSource.query(
      `WITH row AS (
         UPDATE alert_outbox SET status = 'pending', attempts = 0, next_attempt_at = now(), last_error = NULL,
           created_at = now()
         WHERE id = $1 AND status = 'parked' AND destination_key <> ''
         RETURNING destination_key)
       INSERT INTO delivery_lane (destination_key) SELECT destination_key FROM row
       ON CONFLICT (destination_key) DO UPDATE SET next_send_at = LEAST(delivery_lane.next_send_at, now())
       RETURNING destination_key`,
      [id],
    );
    return rows.length > 0;
  }

  /** Rows waiting, for the gauge. */
  async counts(): Promise<Record<'pending' | 'parked', number>> {
    const rows: { status: string; n: number }[] = await this.dataSource.query(
      `SELECT status, count(*)::int AS n FROM alert_outbox WHERE status IN ('pending', 'parked') GROUP BY status`,
    );
    const of = (s: string) => rows.find((r) => r.status === s)?.n ?? 0;
    return { pending: of('pending'), parked: of('parked') };
  }
}
