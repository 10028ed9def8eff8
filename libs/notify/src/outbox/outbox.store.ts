import type { DataSource } from 'typeorm';

import { destinationId, type Destination, type PlannedDelivery } from '../routing/route-notification.js';
import type { AlertNotification } from '../webhook/notification.js';

export interface EnqueueResult {
  /** New rows: messages to send. */
  queued: number;
  /** Deliveries already in the outbox (Alertmanager repeating itself): nothing new. */
  repeats: number;
  /** New rows parked because no team or destination takes them. */
  parked: number;
}

/**
 * The durable outbox (`alert_outbox`): a notification's deliveries are written in one statement
 * and one transaction before the webhook answers, so an acknowledged alert survives a crash. The
 * delivery key is unique: a repeat inserts nothing.
 */
export class OutboxStore {
  constructor(private readonly dataSource: DataSource) {}

  async enqueue(
    notification: AlertNotification,
    deliveries: readonly PlannedDelivery[],
  ): Promise<EnqueueResult> {
    if (deliveries.length === 0) return { queued: 0, repeats: 0, parked: 0 };
    const rows = deliveries.map((d) => ({
      dedup_key: d.key,
      team: d.team,
      destination_key: d.destination ? destinationKeyOf(d.destination) : '',
      group_key: d.groupKey,
      status: d.destination ? 'pending' : 'parked',
      last_error: d.unroutable ?? null,
      payload: {
        status: d.status,
        groupKey: d.groupKey,
        destination: d.destination,
        receiver: notification.receiver,
        source: notification.source,
        externalURL: notification.externalURL,
        groupLabels: notification.groupLabels,
        commonLabels: notification.commonLabels,
        commonAnnotations: notification.commonAnnotations,
        truncatedAlerts: notification.truncatedAlerts,
        alerts: d.alerts,
      },
    }));
    return this.insert(rows);
  }

  /**
   * Queues reports (a team's weekly cost report): one row per destination, keyed so that the
   * same report for the same destination is queued once however often it is asked for (every
   * replica's Monday job, a manual `--send`). `payload.kind` tells the sender how to render it.
   */
  async enqueueReports(
    reports: readonly {
      key: string;
      team: string;
      groupKey: string;
      destination: Destination;
      payload: Record<string, unknown>;
    }[],
  ): Promise<EnqueueResult> {
    if (reports.length === 0) return { queued: 0, repeats: 0, parked: 0 };
    return this.insert(
      reports.map((r) => ({
        dedup_key: r.key,
        team: r.team,
        destination_key: destinationKeyOf(r.destination),
        group_key: r.groupKey,
        status: 'pending',
        last_error: null,
        payload: { ...r.payload, groupKey: r.groupKey, destination: r.destination },
      })),
    );
  }

  private async insert(rows: readonly Record<string, unknown>[]): Promise<EnqueueResult> {
    const inserted = await this.dataSource.query<{ status: string }[]>(
      `WITH r AS (
         SELECT * FROM jsonb_to_recordset($1::jsonb)
           AS r(dedup_key text, team text, destination_key text, group_key text, status text, last_error text, payload jsonb)),
       lanes AS (
         INSERT INTO delivery_lane (destination_key)
         SELECT DISTINCT destination_key FROM r WHERE destination_key <> ''
         ON CONFLICT (destination_key) DO NOTHING)
       INSERT INTO alert_outbox (dedup_key, team, destination_key, group_key, status, last_error, payload)
       SELECT dedup_key, team, destination_key, group_key, status, last_error, payload FROM r
       ON CONFLICT (dedup_key) DO NOTHING
       RETURNING status`,
      [JSON.stringify(rows)],
    );
    const parked = inserted.filter((r) => r.status === 'parked').length;
    return { queued: inserted.length - parked, repeats: rows.length - inserted.length, parked };
  }
}

/** A destination's lane: one per chat destination in the catalog. */
export function destinationKeyOf(destination: Destination): string {
  return destinationId(destination);
}
