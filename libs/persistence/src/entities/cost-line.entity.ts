import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  PrimaryColumn,
  PrimaryGeneratedColumn,
  Unique,
} from 'typeorm';

export type CostProvider = 'aws' | 'azure' | 'focus';

/**
 * One normalised cost row, shaped after FOCUS (BillingAccountId, SubAccountId, ServiceName,
 * ChargePeriodStart/End, BilledCost, BillingCurrency, Tags). The natural key makes ingestion an
 * idempotent upsert: pulling the same days again rewrites the same rows.
 */
@Entity({ name: 'cost_line' })
@Unique('uq_cost_line_natural_key', [
  'provider',
  'billingAccount',
  'chargePeriodStart',
  'chargePeriodEnd',
  'subAccount',
  'serviceName',
  'region',
  'chargeCategory',
  'currency',
  'tags',
])
@Index('idx_cost_line_team_period', ['team', 'chargePeriodStart'])
export class CostLineEntity {
  @PrimaryGeneratedColumn('identity', {
    type: 'bigint',
    generatedIdentity: 'ALWAYS',
    primaryKeyConstraintName: 'pk_cost_line',
  })
  id!: string;

  @Column({ type: 'varchar', length: 32 })
  provider!: CostProvider;

  /** AWS payer account, Azure billing account or FOCUS BillingAccountId. */
  @Column({ name: 'billing_account', type: 'text' })
  billingAccount!: string;

  /** AWS linked account, Azure subscription or FOCUS SubAccountId; '' when the source has none. */
  @Column({ name: 'sub_account', type: 'text', default: '' })
  subAccount!: string;

  @Column({ name: 'service_name', type: 'text' })
  serviceName!: string;

  /** FOCUS RegionId; '' when the source has none. */
  @Column({ type: 'text', default: '' })
  region!: string;

  /** FOCUS ChargeCategory: Usage, Purchase, Tax, Credit, Adjustment. */
  @Column({ name: 'charge_category', type: 'varchar', length: 32, default: 'Usage' })
  chargeCategory!: string;

  /** Inclusive first day of the charge period. */
  @Column({ name: 'charge_period_start', type: 'date' })
  chargePeriodStart!: string;

  /** Exclusive end of the charge period, as in FOCUS. */
  @Column({ name: 'charge_period_end', type: 'date' })
  chargePeriodEnd!: string;

  /** A decimal string: money is never a float. */
  @Column({ name: 'billed_cost', type: 'numeric', precision: 20, scale: 10 })
  billedCost!: string;

  /** Amortised cost (FOCUS EffectiveCost); null when the source reports only billed cost. */
  @Column({ name: 'effective_cost', type: 'numeric', precision: 20, scale: 10, nullable: true })
  effectiveCost!: string | null;

  @Column({ type: 'varchar', length: 3 })
  currency!: string;

  /** The provider still estimates the day; a later pull replaces it with the final figure. */
  @Column({ type: 'boolean', default: false })
  estimated!: boolean;

  /** The pull or import that wrote the row (`cost_pull.id`). */
  @Column({ name: 'pull_id', type: 'bigint', nullable: true })
  pullId!: string | null;

  /** Resource tags as the provider reports them, keys and values as strings. */
  @Column({ type: 'jsonb', default: {} })
  tags!: Record<string, string>;

  /** The team the allocation rules gave this row to; null is unallocated, never dropped. */
  @Column({ type: 'text', nullable: true })
  team!: string | null;

  /** The shared-cost rule that claims the row (split among its teams in `cost_daily`). */
  @Column({ name: 'shared_rule', type: 'text', nullable: true })
  sharedRule!: string | null;

  @CreateDateColumn({ name: 'ingested_at', type: 'timestamptz', default: () => 'now()' })
  ingestedAt!: Date;
}

/** One pull from a provider or one file import: what it covered and how many rows it wrote. */
@Entity({ name: 'cost_pull' })
export class CostPullEntity {
  @PrimaryGeneratedColumn('identity', {
    type: 'bigint',
    generatedIdentity: 'ALWAYS',
    primaryKeyConstraintName: 'pk_cost_pull',
  })
  id!: string;

  @Column({ type: 'varchar', length: 32 })
  provider!: CostProvider;

  /** The scope or file it read. */
  @Column({ type: 'text' })
  source!: string;

  @Column({ name: 'period_start', type: 'date' })
  periodStart!: string;

  /** Exclusive. */
  @Column({ name: 'period_end', type: 'date' })
  periodEnd!: string;

  @Column({ type: 'integer' })
  rows!: number;

  @CreateDateColumn({ name: 'finished_at', type: 'timestamptz', default: () => 'now()' })
  finishedAt!: Date;
}

/**
 * A day's spend of one team on one service after allocation: `team` is `''` for what no rule
 * claims, `shared_rule` names the shared cost a share came from (`''` for direct spend).
 */
@Entity({ name: 'cost_daily' })
@Index('idx_cost_daily_team_day', ['team', 'day'])
export class CostDailyEntity {
  @PrimaryColumn({ type: 'date', primaryKeyConstraintName: 'pk_cost_daily' })
  day!: string;

  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'pk_cost_daily' })
  team!: string;

  @PrimaryColumn({ name: 'service_name', type: 'text', primaryKeyConstraintName: 'pk_cost_daily' })
  serviceName!: string;

  @PrimaryColumn({ type: 'varchar', length: 3, primaryKeyConstraintName: 'pk_cost_daily' })
  currency!: string;

  @PrimaryColumn({ name: 'shared_rule', type: 'text', primaryKeyConstraintName: 'pk_cost_daily' })
  sharedRule!: string;

  @Column({ name: 'billed_cost', type: 'numeric', precision: 20, scale: 10 })
  billedCost!: string;

  @Column({ name: 'effective_cost', type: 'numeric', precision: 20, scale: 10, nullable: true })
  effectiveCost!: string | null;
}

/** The fingerprint of the catalog rules that allocated the cost tables (one row). */
@Entity({ name: 'cost_allocation' })
export class CostAllocationEntity {
  @PrimaryColumn({ type: 'integer', primaryKeyConstraintName: 'pk_cost_allocation' })
  id!: number;

  @Column({ type: 'text' })
  fingerprint!: string;

  @Column({ name: 'allocated_at', type: 'timestamptz', default: () => 'now()' })
  allocatedAt!: Date;
}
