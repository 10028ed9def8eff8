// A database of a bench's own on the PostgreSQL of DATABASE_URL (the local test server by
// default), created fresh and dropped afterwards, so a bench never reads another run's rows.
import pg from 'pg';

export const POSTGRES_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** Creates `${prefix}_${pid}`; `url` reaches it, `drop()` removes it, connections and all. */
export async function scratchDatabase(prefix) {
  const name = `${prefix}_${process.pid}`;
  const admin = new pg.Client({ connectionString: POSTGRES_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  const url = new URL(POSTGRES_URL);
  url.pathname = `/${name}`;
  return {
    url: url.href,
    async drop() {
      await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await admin.end();
    },
  };
}
