import { AlertOutboxEntity } from './entities/alert-outbox.entity.js';
import { CostLineEntity } from './entities/cost-line.entity.js';
import { SloStatusEntity } from './entities/slo-status.entity.js';
import { CreateFoundationTables1795475000000 } from './migrations/1795475000000-CreateFoundationTables.js';

export const ENTITIES = [SloStatusEntity, AlertOutboxEntity, CostLineEntity];

/** Every migration, oldest first. A new one is appended here and never edited after landing. */
export const MIGRATIONS = [CreateFoundationTables1795475000000];

export const MIGRATIONS_TABLE = 'migrations';
