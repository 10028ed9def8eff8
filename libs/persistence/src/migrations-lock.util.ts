import type { DataSource, Migration } from 'typeorm';

import type { DatabaseConfig } from './database-config.type.js';

/**
 * Advisory lock key that serialises migrations across every Burnrate process on one database:
 * 'burnrate' in ASCII, read as a signed 64-bit integer.
 */
export const MIGRATIONS_LOCK_KEY = '7094702606683042917';

/**
 * Applies pending migrations, one process at a time. Replicas start together: on PostgreSQL the
 * first one takes `pg_advisory_lock` on a connection of its own, migrates and lets go; the
 * others wait, then find nothing left to apply. PGlite has one connection and one process (its
 * data folder is locked), so it migrates without the lock.
 */
export async function runMigrationsLocked(
  dataSource: DataSource,
  kind: DatabaseConfig['kind'],
): Promise<Migration[]> {
  if (kind === 'pglite') {
    return dataSource.runMigrations({ transaction: 'each' });
  }
  const lockHolder = dataSource.createQueryRunner();
  try {
    await lockHolder.query('SELECT pg_advisory_lock($1)', [MIGRATIONS_LOCK_KEY]);
    try {
      return await dataSource.runMigrations({ transaction: 'each' });
    } finally {
      await lockHolder.query('SELECT pg_advisory_unlock($1)', [MIGRATIONS_LOCK_KEY]);
    }
  } finally {
    // Releasing the connection ends nothing on the server; the unlock above (or, if the process
    // dies, the closed session) is what frees the lock.
    await lockHolder.release();
  }
}

/** Connects, then migrates under the lock; a failed migration closes the connection again. */
export async function initializeMigrated(
  dataSource: DataSource,
  kind: DatabaseConfig['kind'],
): Promise<DataSource> {
  await dataSource.initialize();
  try {
    await runMigrationsLocked(dataSource, kind);
  } catch (error) {
    await dataSource.destroy();
    throw error;
  }
  return dataSource;
}
