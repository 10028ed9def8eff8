import { randomBytes } from 'node:crypto';

import pg from 'pg';

import type { DatabaseConfig } from '@burnrate/persistence';

const SERVER_URL = process.env['DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface TestDatabase {
  readonly config: DatabaseConfig;
  /** Removes what the database left behind; safe to call after a failed test. */
  drop(): Promise<void>;
}

/** A fresh, uniquely named database on the PostgreSQL server, so parallel runs never collide. */
export async function aPostgresDatabase(): Promise<TestDatabase> {
  const name = `burnrate_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  await withAdminClient((client) => client.query(`CREATE DATABASE "${name}"`));
  const url = new URL(SERVER_URL);
  url.pathname = `/${name}`;
  return {
    config: { kind: 'postgres', url: url.toString() },
    drop: async () => {
      await withAdminClient((client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
    },
  };
}

/** An embedded database in memory: nothing to clean up once its data source is destroyed. */
export function aPgliteDatabase(): TestDatabase {
  return { config: { kind: 'pglite', dataDir: undefined }, drop: () => Promise.resolve() };
}

async function withAdminClient<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: SERVER_URL });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
