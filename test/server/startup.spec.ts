import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';

import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

import { MIGRATIONS, MIGRATIONS_LOCK_KEY, MIGRATIONS_TABLE } from '@burnrate/persistence';

import { aPostgresDatabase, type TestDatabase } from '../persistence/test-databases.js';
import { freePort } from '../support/prometheus.js';
import { buildServer, startServerProcess, type ServerProcess } from './server-process.js';

// Real server processes, started as `npm start` starts them: what replicas and users meet.
const running: ServerProcess[] = [];
const start = async (env: Record<string, string>) => {
  const server = await startServerProcess(env);
  running.push(server);
  return server;
};

beforeAll(buildServer);

afterEach(async () => {
  await Promise.all(running.splice(0).map((server) => server.stop()));
});

describe('servers started together on one PostgreSQL', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await aPostgresDatabase();
  });

  afterAll(async () => {
    await database?.drop();
  });

  it('both come up, and the migrations ran once', async () => {
    if (database.config.kind !== 'postgres') throw new Error('expected a PostgreSQL database');
    const { url } = database.config;
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      // Hold the migrations lock, so the servers meet at it however their start-up times differ.
      await client.query('SELECT pg_advisory_lock($1)', [MIGRATIONS_LOCK_KEY]);
      const servers = await Promise.all([0, 1, 2].map(() => start({ DATABASE_URL: url })));
      await waitFor(async () => (await waitingForAdvisoryLock(client)) === servers.length);

      expect(await tableExists(client, MIGRATIONS_TABLE)).toBe(false);

      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATIONS_LOCK_KEY]);
      await Promise.all(servers.map((server) => server.ready()));

      const { rows } = await client.query<{ name: string }>(
        `SELECT name FROM "${MIGRATIONS_TABLE}" ORDER BY id`,
      );
      expect(rows.map((row) => row.name)).toEqual(MIGRATIONS.map((migration) => migration.name));
      for (const server of servers)
        expect((await fetch(`http://127.0.0.1:${server.port}/readyz`)).status).toBe(200);
    } finally {
      await client.end();
    }
  });
});

async function waitingForAdvisoryLock(client: pg.Client): Promise<number> {
  const { rows } = await client.query<{ waiting: string }>(
    `SELECT count(*) AS waiting FROM pg_locks l JOIN pg_database d ON d.oid = l.database
     WHERE l.locktype = 'advisory' AND NOT l.granted AND d.datname = current_database()`,
  );
  return Number(rows[0]?.waiting);
}

async function tableExists(client: pg.Client, table: string): Promise<boolean> {
  const { rows } = await client.query<{ found: boolean }>('SELECT to_regclass($1) IS NOT NULL AS found', [
    table,
  ]);
  return rows[0]?.found === true;
}

async function waitFor(condition: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`condition not met in ${timeoutMs} ms`);
    await new Promise((wait) => setTimeout(wait, 100));
  }
}

describe('servers on one embedded PGlite data folder', () => {
  let dataDir: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'burnrate-startup-'));
  });

  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('refuse a second one at once, naming the process that holds the folder, with exit code 1', async () => {
    const first = await start({ DATA_DIR: dataDir });
    await first.ready();

    const started = Date.now();
    const second = await start({ DATA_DIR: dataDir });
    const code = await second.exited;

    expect(code).toBe(1);
    expect(second.output()).toContain(
      `burnrate: cannot start: the embedded database in ${join(dataDir, 'pglite')} is in use by process ${first.child.pid} on ${hostname()} (started 20`,
    );
    expect(second.output()).not.toMatch(/^\s+at /m);
    // Refused before any database work: the time it takes to load the server's code.
    expect(Date.now() - started).toBeLessThan(10_000);
    expect((await fetch(`http://127.0.0.1:${first.port}/readyz`)).status).toBe(200);
  });

  it('free the folder on shutdown, so the next server starts on the same data', async () => {
    const first = await start({ DATA_DIR: dataDir });
    await first.ready();
    expect(existsSync(join(dataDir, 'pglite.lock'))).toBe(true);

    // SIGTERM closes the app (the database flushed, the lock freed), then exits 0.
    expect(await first.stop()).toBe(0);

    expect(existsSync(join(dataDir, 'pglite.lock'))).toBe(false);
    const next = await start({ DATA_DIR: dataDir });
    await next.ready();
  });

  it('take over the lock of a process that no longer runs, and say so', async () => {
    const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {
      encoding: 'utf8',
    });
    const lock = { pid: Number(gone.stdout), hostname: hostname(), startedAt: '2026-01-01T00:00:00.000Z' };
    await writeFile(join(dataDir, 'pglite.lock'), JSON.stringify(lock));

    const server = await start({ DATA_DIR: dataDir });
    await server.ready();

    expect(server.output()).toContain(
      `taking over ${join(dataDir, 'pglite.lock')}: process ${lock.pid} (started ${lock.startedAt}) no longer runs on this host`,
    );
    expect(JSON.parse(await readFile(join(dataDir, 'pglite.lock'), 'utf8'))).toMatchObject({
      pid: server.child.pid,
      hostname: hostname(),
    });
  });
});

describe('a server whose port is taken', () => {
  let blocker: Server;
  let port: number;

  beforeAll(async () => {
    port = await freePort();
    blocker = createServer();
    await new Promise<void>((listening) => blocker.listen(port, listening));
  });

  afterAll(async () => {
    await new Promise((closed) => blocker.close(closed));
  });

  it('exits 1 at once with a message saying which port and what to set', async () => {
    // On a data folder: the embedded database's open files once kept such a server from exiting.
    const dataDir = await mkdtemp(join(tmpdir(), 'burnrate-port-'));
    const server = await start({ DATA_DIR: dataDir, PORT: String(port) });

    const code = await Promise.race([
      server.exited,
      new Promise((timeout) => setTimeout(() => timeout('still running after 15 s'), 15_000)),
    ]);

    expect(code).toBe(1);
    expect(server.output()).toContain(`burnrate: cannot start: port ${port} is in use: set PORT`);
    expect(server.output()).not.toMatch(/^\s+at /m);
    await rm(dataDir, { recursive: true, force: true });
  });
});
