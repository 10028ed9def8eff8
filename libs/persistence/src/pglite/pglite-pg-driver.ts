import { EventEmitter } from 'node:events';
import { mkdir } from 'node:fs/promises';

import { PGlite, types, type PGliteOptions, type Results } from '@electric-sql/pglite';

import { lockDataDir, type DataDirLock } from './data-dir-lock.js';
import { hasCluster, initialiseDataDir } from './pglite-initdb.js';
import { PGLITE_START_PARAMS } from './pglite-settings.js';

type QueryCallback = (error: Error | null, result?: Results) => void;
type ConnectCallback = (
  error: Error | null,
  client?: PGliteClient,
  release?: (error?: unknown) => void,
) => void;

// Parsers and serializers that make PGlite hand TypeORM the same values node-postgres does, so
// entities and raw queries behave alike on both databases.
const PG_COMPATIBLE_TYPES: Pick<PGliteOptions, 'parsers' | 'serializers'> = {
  parsers: {
    // node-postgres returns int8 (bigint ids, count(*)) as strings: numbers lose precision.
    [types.INT8]: (value: string) => value,
    // A calendar date has no time zone; keep 'YYYY-MM-DD' instead of a UTC-midnight Date.
    [types.DATE]: (value: string) => value,
  },
  serializers: {
    // node-postgres sends String(value): 'false' and 0 mean false, unlike PGlite's truthiness.
    [types.BOOL]: (value: unknown) => {
      if (value === true || value === 'true' || value === 1 || value === 't') return 't';
      if (value === false || value === 'false' || value === 0 || value === 'f') return 'f';
      return String(value);
    },
  },
};

/** One session of the embedded database, shaped like a node-postgres client. */
class PGliteClient extends EventEmitter {
  constructor(
    private readonly db: PGlite,
    private readonly lock: DataDirLock | undefined,
  ) {
    super();
  }

  async close(): Promise<void> {
    try {
      await this.db.close();
    } finally {
      this.lock?.release();
    }
  }

  query(sql: string, params?: unknown[] | QueryCallback, callback?: QueryCallback): Promise<Results> {
    const cb = typeof params === 'function' ? params : callback;
    const values = Array.isArray(params) ? params : [];
    // Like node-postgres: without parameters the simple protocol runs (several statements allowed).
    const run =
      values.length > 0
        ? this.db.query<Record<string, unknown>>(sql, values)
        : this.db.exec(sql).then((results) => results.at(-1) ?? { rows: [], fields: [] });
    return run.then(
      (result) => {
        cb?.(null, result);
        return result;
      },
      (error: Error) => {
        cb?.(error);
        throw error;
      },
    );
  }
}

/**
 * A pool of exactly one connection over an in-process PGlite database. PGlite is a single
 * session, so the client is lent to one query runner at a time: a transaction never interleaves
 * with another caller's statements, which is what a real pool guarantees on PostgreSQL.
 */
class PGlitePool extends EventEmitter {
  private readonly ready: Promise<PGliteClient>;
  private readonly waiting: Array<() => void> = [];
  private lent = false;

  constructor(
    private readonly dataDir: string | undefined,
    private readonly log: (message: string) => void,
  ) {
    super();
    this.ready = this.open();
    // Surface open failures through connect(); keep an early rejection from going unhandled.
    this.ready.catch(() => undefined);
  }

  connect(callback: ConnectCallback): void {
    this.ready.then(
      (client) => this.lend(client, callback),
      (error: Error) => callback(error),
    );
  }

  end(callback?: (error?: Error) => void): void {
    this.ready
      .then((client) => client.close())
      .then(
        () => callback?.(),
        (error: Error) => callback?.(error),
      );
  }

  private async open(): Promise<PGliteClient> {
    const options = { startParams: [...PGLITE_START_PARAMS], ...PG_COMPATIBLE_TYPES };
    if (this.dataDir === undefined) return new PGliteClient(await PGlite.create(options), undefined);
    // PGlite is one process's database: a second process on the folder would corrupt it.
    const lock = await lockDataDir(this.dataDir, this.log);
    try {
      await mkdir(this.dataDir, { recursive: true });
      if (!hasCluster(this.dataDir)) await initialiseDataDir(this.dataDir);
      return new PGliteClient(await PGlite.create({ dataDir: this.dataDir, ...options }), lock);
    } catch (error) {
      lock.release();
      throw error;
    }
  }

  private lend(client: PGliteClient, callback: ConnectCallback): void {
    if (this.lent) {
      this.waiting.push(() => this.lend(client, callback));
      return;
    }
    this.lent = true;
    let released = false;
    callback(null, client, () => {
      if (released) return;
      released = true;
      this.lent = false;
      this.waiting.shift()?.();
    });
  }
}

/**
 * The `driver` option for TypeORM's postgres driver that runs on PGlite. `dataDir` undefined
 * keeps the database in memory. Each call makes its own database: no process-wide singleton.
 * `log` hears what the pool decided on its own (taking over a stale lock).
 */
export function pglitePgDriver(
  dataDir: string | undefined,
  log: (message: string) => void = () => undefined,
): { Pool: new () => PGlitePool } {
  return {
    Pool: class extends PGlitePool {
      constructor() {
        super(dataDir, log);
      }
    },
  };
}
