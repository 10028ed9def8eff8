import { AlertOutboxEntity } from './entities/alert-outbox.entity.js';
import { DeliveryLaneEntity, SlackMessageEntity } from './entities/delivery.entities.js';
import {
  CostAllocationEntity,
  CostDailyEntity,
  CostLineEntity,
  CostPullEntity,
} from './entities/cost-line.entity.js';
import { CatalogServiceEntity, CatalogSloEntity, CatalogTeamEntity } from './entities/catalog.entities.js';
import { JobTickEntity, SloEventEntity, SloSnapshotEntity } from './entities/slo-history.entities.js';
import { SloStatusEntity } from './entities/slo-status.entity.js';
import { CreateFoundationTables1795475000000 } from './migrations/1795475000000-CreateFoundationTables.js';
import { CreateSloStatusTables1796500000000 } from './migrations/1796500000000-CreateSloStatusTables.js';
import { CreateDeliveryLanes1797000000000 } from './migrations/1797000000000-CreateDeliveryLanes.js';
import { ExtendCostLines1798000000000 } from './migrations/1798000000000-ExtendCostLines.js';
import { CreateCostRollups1798500000000 } from './migrations/1798500000000-CreateCostRollups.js';
import { ReorderCostLineKey1799000000000 } from './migrations/1799000000000-ReorderCostLineKey.js';

export const ENTITIES = [
  SloStatusEntity,
  AlertOutboxEntity,
  CostLineEntity,
  CatalogTeamEntity,
  CatalogServiceEntity,
  CatalogSloEntity,
  SloSnapshotEntity,
  SloEventEntity,
  JobTickEntity,
  DeliveryLaneEntity,
  SlackMessageEntity,
  CostPullEntity,
  CostDailyEntity,
  CostAllocationEntity,
];

/** Every migration, oldest first. A new one is appended here and never edited after landing. */
export const MIGRATIONS = [
  CreateFoundationTables1795475000000,
  CreateSloStatusTables1796500000000,
  CreateDeliveryLanes1797000000000,
  ExtendCostLines1798000000000,
  CreateCostRollups1798500000000,
  ReorderCostLineKey1799000000000,
];

export const MIGRATIONS_TABLE = 'migrations';
