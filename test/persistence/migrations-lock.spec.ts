import 'reflect-metadata';

import pg from 'pg';
import type { DataSource } from 'typeorm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { MIGRATIONS, MIGRATIONS_LOCK_KEY, MIGRATIONS_TABLE, openDataSource } from '@burnrate/persistence';

import { aPostgresDatabase, type TestDatabase } from './test-databases.js';

describe('migrations on PostgreSQL, with several processes starting at once', () => {
  let database: TestDatabase;
  let url: string;
  let admin: pg.Client;
  const open: DataSource[] = [];

  beforeEach(async () => {
    database = await aPostgresDatabase();
    if (database.config.kind !== 'postgres') throw new Error('expected a PostgreSQL database');
    url = database.config.url;
    admin = new pg.Client({ connectionString: url });
    await admin.connect();
  });

  afterEach(async () => {
    for (const dataSource of open.splice(0)) if (dataSource.isInitialized) await dataSource.destroy();
    await admin?.end();
    await database?.drop();
  });

  const openOne = async () => {
    const dataSource = await openDataSource(database.config);
    open.push(dataSource);
    return dataSource;
  };
  const migrationsTableExists = async () =>
    (
      await admin.query<{ exists: boolean }>(`SELECT to_regclass($1) IS NOT NULL AS exists`, [
        MIGRATIONS_TABLE,
      ])
    ).rows[0]?.exists;

  it('apply each migration once when four connect together', async () => {
    await Promise.all([openOne(), openOne(), openOne(), openOne()]);

    const { rows } = await admin.query<{ name: string }>(
      `SELECT name FROM "${MIGRATIONS_TABLE}" ORDER BY id`,
    );
    expect(rows.map((row) => row.name)).toEqual(MIGRATIONS.map((migration) => migration.name));
  });

  it('wait while another process holds the migrations lock, then migrate', async () => {
    await admin.query('SELECT pg_advisory_lock($1)', [MIGRATIONS_LOCK_KEY]);

    let opened = false;
    const opening = openOne().then(() => (opened = true));
    await new Promise((wait) => setTimeout(wait, 1_000));

    expect(opened).toBe(false);
    expect(await migrationsTableExists()).toBe(false);

    await admin.query('SELECT pg_advisory_unlock($1)', [MIGRATIONS_LOCK_KEY]);
    await opening;
    expect(await migrationsTableExists()).toBe(true);
  });

  it('let go of the lock once migrated, on a connection that stays in the pool', async () => {
    await openOne();

    const { rows } = await admin.query<{ taken: boolean }>('SELECT pg_try_advisory_lock($1) AS taken', [
      MIGRATIONS_LOCK_KEY,
    ]);
    expect(rows[0]?.taken).toBe(true);
  });
});
