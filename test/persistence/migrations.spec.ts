import 'reflect-metadata';

import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { MIGRATIONS, MIGRATIONS_TABLE, createDataSource, pendingSchemaChanges } from '@burnrate/persistence';

import { aPgliteDatabase, aPostgresDatabase, type TestDatabase } from './test-databases.js';

const FOUNDATION_TABLES = [
  'alert_outbox',
  'catalog_service',
  'catalog_slo',
  'catalog_team',
  'cost_allocation',
  'cost_daily',
  'cost_line',
  'cost_pull',
  'delivery_lane',
  'job_tick',
  'slo_event',
  'slo_snapshot',
  'slack_message',
  'slo_status',
];

describe.each([
  { backend: 'PostgreSQL server', database: aPostgresDatabase },
  { backend: 'embedded PGlite', database: () => Promise.resolve(aPgliteDatabase()) },
])('migrations on $backend', ({ database }) => {
  let db: TestDatabase;
  let dataSource: DataSource;

  beforeAll(async () => {
    db = await database();
    dataSource = createDataSource(db.config);
    await dataSource.initialize();
  });

  afterAll(async () => {
    if (dataSource?.isInitialized) await dataSource.destroy();
    await db?.drop();
  });

  const tables = async (): Promise<string[]> => {
    const rows: Array<{ table_name: string }> = await dataSource.query(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() ORDER BY 1`,
    );
    return rows.map((row) => row.table_name);
  };

  it('creates every table when migrated up', async () => {
    const applied = await dataSource.runMigrations();

    expect(applied.map((migration) => migration.name)).toEqual(MIGRATIONS.map((m) => m.name));
    expect(await tables()).toEqual([...FOUNDATION_TABLES, MIGRATIONS_TABLE].sort());
  });

  it('leaves nothing for the entities to change once migrated', async () => {
    expect(await pendingSchemaChanges(dataSource)).toEqual([]);
  });

  it('applies nothing when migrated up again', async () => {
    expect(await dataSource.runMigrations()).toEqual([]);
  });

  it('drops every table it created when migrated all the way down', async () => {
    for (let i = 0; i < MIGRATIONS.length; i++) await dataSource.undoLastMigration();

    expect(await tables()).toEqual([MIGRATIONS_TABLE]);
    expect(await dataSource.query(`SELECT * FROM "${MIGRATIONS_TABLE}"`)).toEqual([]);
  });
});
