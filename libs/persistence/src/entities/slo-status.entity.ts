import { Column, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** Where an SLO stands (see `evaluateStatus` in @burnrate/slo). */
export type SloState = 'ok' | 'warning' | 'burning' | 'exhausted' | 'no_data';

/** The latest evaluated state of one SLO: one row per (service, slo), overwritten each refresh. */
@Entity({ name: 'slo_status' })
@Index('idx_slo_status_team', ['team'])
export class SloStatusEntity {
  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'pk_slo_status' })
  service!: string;

  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'pk_slo_status' })
  slo!: string;

  @Column({ type: 'text' })
  team!: string;

  /** The SLO window as declared: `30d`, `28d`, `7d` or `calendar-month`. */
  @Column({ name: 'time_window', type: 'varchar', length: 32 })
  timeWindow!: string;

  /** Objective as a ratio (0.999), not a percent. */
  @Column({ type: 'double precision' })
  objective!: number;

  /** Error ratio over the whole SLO window (month to date for a calendar month); null without data. */
  @Column({ name: 'error_ratio', type: 'double precision', nullable: true })
  errorRatio!: number | null;

  /** Burn rate per alert window, e.g. `{"5m": 0.4, "1h": 1.2}`; null where a window has no data. */
  @Column({ name: 'burn_rates', type: 'jsonb', default: {} })
  burnRates!: Record<string, number | null>;

  /** Share of the error budget left (1 = untouched, negative = overspent). */
  @Column({ name: 'budget_remaining', type: 'double precision', nullable: true })
  budgetRemaining!: number | null;

  @Column({ name: 'budget_consumed', type: 'double precision', nullable: true })
  budgetConsumed!: number | null;

  @Column({ name: 'exhausts_at', type: 'timestamptz', nullable: true })
  exhaustsAt!: Date | null;

  @Column({ type: 'varchar', length: 16 })
  state!: SloState;

  /** When the current state began. */
  @Column({ type: 'timestamptz', nullable: true })
  since!: Date | null;

  /** The last refresh failed: these are the last good values. */
  @Column({ type: 'boolean', default: false })
  stale!: boolean;

  /** When Prometheus evaluated the data this row reflects. */
  @Column({ name: 'evaluated_at', type: 'timestamptz', nullable: true })
  evaluatedAt!: Date | null;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt!: Date;
}
