import { DataSource, type DataSourceOptions } from 'typeorm';

import type { DatabaseConfig } from './database-config.type.js';
import { initializeMigrated } from './migrations-lock.util.js';
import { pglitePgDriver } from './pglite/pglite-pg-driver.js';
import { ENTITIES, MIGRATIONS, MIGRATIONS_TABLE } from './persistence.constants.js';

export interface DataSourceSettings {
  /** Hears what the persistence layer decided on its own, such as taking over a stale lock. */
  readonly log?: (message: string) => void;
}

/**
 * TypeORM options for either database. Both go through TypeORM's postgres driver; PGlite only
 * swaps the wire client, so queries, migrations and type handling follow one code path.
 */
export function dataSourceOptions(
  config: DatabaseConfig,
  settings: DataSourceSettings = {},
): DataSourceOptions {
  const common = {
    type: 'postgres',
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: MIGRATIONS_TABLE,
    migrationsTransactionMode: 'each',
    // Never TypeORM's own run at connect, which has no lock: openDataSource migrates under one.
    migrationsRun: false,
    synchronize: false,
    applicationName: 'burnrate',
  } as const;
  switch (config.kind) {
    case 'postgres':
      return { ...common, url: config.url };
    case 'pglite':
      // The embedded database has one session: one connection, lent to one query runner at a time.
      return { ...common, driver: pglitePgDriver(config.dataDir, settings.log), poolSize: 1 };
  }
}

export function createDataSource(config: DatabaseConfig, settings: DataSourceSettings = {}): DataSource {
  return new DataSource(dataSourceOptions(config, settings));
}

/**
 * Connects and applies pending migrations, one process at a time (see runMigrationsLocked): what
 * the server does at boot.
 */
export function openDataSource(
  config: DatabaseConfig,
  settings: DataSourceSettings = {},
): Promise<DataSource> {
  return initializeMigrated(createDataSource(config, settings), config.kind);
}

/**
 * SQL TypeORM would run to make the schema match the entities. Empty after the migrations ran
 * means entities and migrations agree; anything else is drift a new migration must cover.
 */
export async function pendingSchemaChanges(dataSource: DataSource): Promise<string[]> {
  const log = await dataSource.driver.createSchemaBuilder().log();
  return log.upQueries.map((query) => query.query);
}
