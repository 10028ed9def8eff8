import { Column, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

import type { SloState } from './slo-status.entity.js';

export type SnapshotResolution = 'raw' | 'hour';

/**
 * One SLO's status at one refresh (`raw`), or the last of an hour once raw rows are older than
 * 48 hours (`hour`). The key makes a second write of one cycle a no-op.
 */
@Entity({ name: 'slo_snapshot' })
@Index('idx_slo_snapshot_evaluated_at', ['evaluatedAt'])
export class SloSnapshotEntity {
  @PrimaryColumn({ name: 'slo_id', type: 'text', primaryKeyConstraintName: 'pk_slo_snapshot' })
  sloId!: string;

  @PrimaryColumn({ type: 'varchar', length: 8, primaryKeyConstraintName: 'pk_slo_snapshot' })
  resolution!: SnapshotResolution;

  @PrimaryColumn({ name: 'evaluated_at', type: 'timestamptz', primaryKeyConstraintName: 'pk_slo_snapshot' })
  evaluatedAt!: Date;

  @Column({ type: 'varchar', length: 16 })
  state!: SloState;

  @Column({ type: 'double precision', nullable: true })
  sli!: number | null;

  @Column({ name: 'budget_remaining', type: 'double precision', nullable: true })
  budgetRemaining!: number | null;

  @Column({ name: 'burn_rates', type: 'jsonb', default: {} })
  burnRates!: Record<string, number | null>;
}

/** A change of state: "burning since 14:02". */
@Entity({ name: 'slo_event' })
@Index('idx_slo_event_slo_at', ['sloId', 'at'])
export class SloEventEntity {
  @PrimaryGeneratedColumn('identity', {
    type: 'bigint',
    generatedIdentity: 'ALWAYS',
    primaryKeyConstraintName: 'pk_slo_event',
  })
  id!: string;

  @Column({ name: 'slo_id', type: 'text' })
  sloId!: string;

  @Column({ name: 'from_state', type: 'varchar', length: 16, nullable: true })
  fromState!: SloState | null;

  @Column({ name: 'to_state', type: 'varchar', length: 16 })
  toState!: SloState;

  @Column({ type: 'timestamptz' })
  at!: Date;

  @Column({ name: 'burn_rates', type: 'jsonb', default: {} })
  burnRates!: Record<string, number | null>;
}

/** A scheduled job's tick, claimed by the one replica that runs it. */
@Entity({ name: 'job_tick' })
export class JobTickEntity {
  @PrimaryColumn({ type: 'varchar', length: 64, primaryKeyConstraintName: 'pk_job_tick' })
  job!: string;

  @PrimaryColumn({ type: 'bigint', primaryKeyConstraintName: 'pk_job_tick' })
  tick!: string;

  @Column({ name: 'claimed_by', type: 'text' })
  claimedBy!: string;

  @Column({ name: 'claimed_at', type: 'timestamptz', default: () => 'now()' })
  claimedAt!: Date;
}
