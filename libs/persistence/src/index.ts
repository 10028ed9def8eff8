export type { DatabaseConfig } from './database-config.type.js';
export { createDataSource, dataSourceOptions, openDataSource, pendingSchemaChanges } from './data-source.js';
export type { DataSourceSettings } from './data-source.js';
export { MIGRATIONS_LOCK_KEY, runMigrationsLocked } from './migrations-lock.util.js';
export { DataDirInUseError, lockFileOf, type DataDirHolder } from './pglite/data-dir-lock.js';
export { ENTITIES, MIGRATIONS, MIGRATIONS_TABLE } from './persistence.constants.js';
export { AlertOutboxEntity, type OutboxStatus } from './entities/alert-outbox.entity.js';
export { DeliveryLaneEntity, SlackMessageEntity } from './entities/delivery.entities.js';
export { CostLineEntity, CostPullEntity, type CostProvider } from './entities/cost-line.entity.js';
export { SloStatusEntity, type SloState } from './entities/slo-status.entity.js';
export { CatalogServiceEntity, CatalogSloEntity, CatalogTeamEntity } from './entities/catalog.entities.js';
export {
  JobTickEntity,
  SloEventEntity,
  SloSnapshotEntity,
  type SnapshotResolution,
} from './entities/slo-history.entities.js';
export { DatabaseHealthIndicator } from './database-health.indicator.js';
export { PersistenceModule, type PersistenceModuleOptions } from './persistence.module.js';
