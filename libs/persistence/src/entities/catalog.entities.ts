import { Column, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/**
 * The catalog as the server last loaded it. Rows that leave the catalog are marked removed, with
 * their history kept; one that comes back is live again.
 */
@Entity({ name: 'catalog_team' })
export class CatalogTeamEntity {
  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'pk_catalog_team' })
  name!: string;

  @Column({ name: 'display_name', type: 'text', nullable: true })
  displayName!: string | null;

  @Column({ name: 'removed_at', type: 'timestamptz', nullable: true })
  removedAt!: Date | null;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt!: Date;
}

@Entity({ name: 'catalog_service' })
@Index('idx_catalog_service_team', ['team'])
export class CatalogServiceEntity {
  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'pk_catalog_service' })
  name!: string;

  @Column({ type: 'text' })
  team!: string;

  @Column({ type: 'text', nullable: true })
  runbook!: string | null;

  @Column({ name: 'removed_at', type: 'timestamptz', nullable: true })
  removedAt!: Date | null;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt!: Date;
}

@Entity({ name: 'catalog_slo' })
@Index('idx_catalog_slo_team', ['team', 'id'])
@Index('idx_catalog_slo_service', ['service', 'id'])
export class CatalogSloEntity {
  /** `<service>/<slo>`. */
  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'pk_catalog_slo' })
  id!: string;

  @Column({ type: 'text' })
  service!: string;

  @Column({ type: 'text' })
  slo!: string;

  @Column({ type: 'text' })
  team!: string;

  /** Percent as declared (99.9). */
  @Column({ type: 'double precision' })
  objective!: number;

  @Column({ name: 'time_window', type: 'varchar', length: 32 })
  timeWindow!: string;

  /** Tiers with their windows and thresholds, and links: what the detail endpoint shows. */
  @Column({ type: 'jsonb', default: {} })
  detail!: Record<string, unknown>;

  @Column({ name: 'removed_at', type: 'timestamptz', nullable: true })
  removedAt!: Date | null;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt!: Date;
}
