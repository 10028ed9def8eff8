import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, Unique } from 'typeorm';

/** `parked`: not sent, waiting for a person (unroutable, or out of attempts). */
export type OutboxStatus = 'pending' | 'delivered' | 'parked';

/**
 * A chat message waiting to be delivered. Rows are written in the webhook's transaction and
 * claimed by senders with `FOR UPDATE SKIP LOCKED`, so each is sent once across replicas.
 */
@Entity({ name: 'alert_outbox' })
@Unique('uq_alert_outbox_dedup_key', ['dedupKey'])
@Index('idx_alert_outbox_due', ['status', 'nextAttemptAt'])
@Index('idx_alert_outbox_lane', ['destinationKey', 'id'], { where: `status = 'pending'` })
export class AlertOutboxEntity {
  @PrimaryGeneratedColumn('identity', {
    type: 'bigint',
    generatedIdentity: 'ALWAYS',
    primaryKeyConstraintName: 'pk_alert_outbox',
  })
  id!: string;

  /** Identity of one delivery (alert group, status and destination): a retry never duplicates it. */
  @Column({ name: 'dedup_key', type: 'text' })
  dedupKey!: string;

  @Column({ type: 'text' })
  team!: string;

  /** The destination (`team:payments#0`, `service:checkout#1`): its lane. Empty when parked unroutable. */
  @Column({ name: 'destination_key', type: 'text', default: '' })
  destinationKey!: string;

  @Column({ name: 'group_key', type: 'text', default: '' })
  groupKey!: string;

  /** HTTP status of the last attempt. */
  @Column({ name: 'last_status', type: 'integer', nullable: true })
  lastStatus!: number | null;

  @Column({ type: 'jsonb' })
  payload!: Record<string, unknown>;

  @Column({ type: 'varchar', length: 16, default: 'pending' })
  status!: OutboxStatus;

  @Column({ type: 'integer', default: 0 })
  attempts!: number;

  @Column({ name: 'next_attempt_at', type: 'timestamptz', default: () => 'now()' })
  nextAttemptAt!: Date;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;

  @Column({ name: 'delivered_at', type: 'timestamptz', nullable: true })
  deliveredAt!: Date | null;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError!: string | null;
}
