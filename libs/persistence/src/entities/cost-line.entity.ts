import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, Unique } from 'typeorm';

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
  'subAccount',
  'serviceName',
  'chargePeriodStart',
  'chargePeriodEnd',
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

  /** Inclusive first day of the charge period. */
  @Column({ name: 'charge_period_start', type: 'date' })
  chargePeriodStart!: string;

  /** Exclusive end of the charge period, as in FOCUS. */
  @Column({ name: 'charge_period_end', type: 'date' })
  chargePeriodEnd!: string;

  /** A decimal string: money is never a float. */
  @Column({ name: 'billed_cost', type: 'numeric', precision: 20, scale: 10 })
  billedCost!: string;

  @Column({ type: 'varchar', length: 3 })
  currency!: string;

  /** Resource tags as the provider reports them, keys and values as strings. */
  @Column({ type: 'jsonb', default: {} })
  tags!: Record<string, string>;

  /** The team the allocation rules gave this row to; null is unallocated, never dropped. */
  @Column({ type: 'text', nullable: true })
  team!: string | null;

  @CreateDateColumn({ name: 'ingested_at', type: 'timestamptz', default: () => 'now()' })
  ingestedAt!: Date;
}
