/**
 * Status refresh as it runs in production: built server processes (`npm start`) on one
 * PostgreSQL. Two replicas run each tick once between them; a PostgreSQL restart under a running
 * server loses at most the cycle in flight; SIGTERM ends a server cleanly with exit 0.
 */
import { execFile } from 'node:child_process';
import { createServer } from 'node:http';
import { readdir } from 'node:fs/promises';
import { promisify } from 'node:util';

import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { aPostgresDatabase, type TestDatabase } from '../persistence/test-databases.js';
import { backfill } from '../support/backfill.js';
import { startPrometheus, type PrometheusServer } from '../support/prometheus.js';
import { buildServer, startServerProcess, type ServerProcess } from '../server/server-process.js';
import { FIXTURE_CATALOG, samples } from './status-fixture.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let prometheus: PrometheusServer;
let database: TestDatabase;
let url: string;

/** The one row a query answers. */
async function query<T>(sql: string): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows[0] as T;
  } finally {
    await client.end();
  }
}

const serverEnv = () => ({
  DATABASE_URL: url,
  PROMETHEUS_URL: prometheus.url,
  CATALOG_PATH: FIXTURE_CATALOG,
  SLO_REFRESH_INTERVAL: '1s',
});

/** How many refresh cycles a server ran, from its own /metrics. */
async function cyclesRun(server: ServerProcess): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${server.port}/metrics`)).text();
  const match = /^burnrate_job_duration_seconds_count\{job="slo-status-refresh",outcome="ok"\} (\d+)$/m.exec(
    text,
  );
  return Number(match?.[1] ?? 0);
}

beforeAll(async () => {
  await buildServer();
  prometheus = await startPrometheus({ dataDir: await backfill(samples()) });
  database = await aPostgresDatabase();
  if (database.config.kind !== 'postgres') throw new Error('expected PostgreSQL');
  url = database.config.url;
}, 180_000);

afterAll(async () => {
  await prometheus?.stop();
  await database?.drop();
});

describe('status refresh across processes', () => {
  it('two replicas on one PostgreSQL run each tick once between them, and stop cleanly on SIGTERM', async () => {
    const replicas = await Promise.all([startServerProcess(serverEnv()), startServerProcess(serverEnv())]);
    try {
      await Promise.all(replicas.map((r) => r.ready()));
      await sleep(8_000);
      const perReplica = await Promise.all(replicas.map(cyclesRun));
      const exits = await Promise.all(replicas.map((r) => r.stop()));
      expect(exits).toEqual([0, 0]);

      const { ticks, runners } = await query<{ ticks: number; runners: number }>(
        `SELECT count(*)::int AS ticks, count(DISTINCT claimed_by)::int AS runners
         FROM job_tick WHERE job = 'slo-status-refresh'`,
      );
      const { cycles, rows } = await query<{ cycles: number; rows: number }>(
        `SELECT count(DISTINCT evaluated_at)::int AS cycles, count(*)::int AS rows FROM slo_snapshot`,
      );
      // Every claimed tick ran once, on one replica, and wrote one snapshot per SLO.
      expect(ticks).toBeGreaterThanOrEqual(6);
      expect(perReplica[0]! + perReplica[1]!).toBe(ticks);
      expect(cycles).toBe(ticks);
      expect(rows).toBe(4 * ticks);
      // Each process ran the job at most once per tick: never two cycles for one second.
      const { seconds } = await query<{ seconds: number }>(
        `SELECT (max(tick) - min(tick) + 1)::int AS seconds FROM job_tick WHERE job = 'slo-status-refresh'`,
      );
      expect(ticks).toBeLessThanOrEqual(seconds);
      expect(runners).toBeGreaterThanOrEqual(1);
    } finally {
      await Promise.all(replicas.map((r) => r.stop()));
    }
  }, 120_000);

  it('rides out a PostgreSQL restart: readiness says so, and refreshes resume by themselves', async () => {
    const server = await startServerProcess(serverEnv());
    try {
      await server.ready();
      const version = (await readdir('/etc/postgresql'))[0]!;
      await promisify(execFile)('pg_ctlcluster', ['--skip-systemctl-redirect', version, 'main', 'restart']);
      const restartedAt = new Date();
      // Ready again, and cycles evaluated after the restart written, without any help.
      await server.ready(60_000);
      let after = 0;
      for (let i = 0; i < 60 && after === 0; i++) {
        await sleep(500);
        const { count } = await query<{ count: number }>(
          `SELECT count(*)::int AS count FROM slo_snapshot WHERE evaluated_at > '${restartedAt.toISOString()}'`,
        );
        after = count;
      }
      expect(after).toBeGreaterThan(0);
      expect(server.output()).not.toMatch(/UnhandledPromiseRejection|ERROR.*ExceptionHandler/);
      expect(await server.stop()).toBe(0);
    } finally {
      await server.stop();
    }
  }, 120_000);

  it('abandons the cycle in flight on SIGTERM: exits 0 at once, nothing of it written', async () => {
    // A Prometheus that answers readiness probes and never answers the status queries.
    const hanging = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        if (decodeURIComponent(body).includes('vector(1)'))
          response
            .writeHead(200, { 'Content-Type': 'application/json' })
            .end('{"status":"success","data":{"resultType":"vector","result":[]}}');
      });
    });
    await new Promise<void>((resolve) => hanging.listen(0, '127.0.0.1', resolve));
    const address = hanging.address();
    if (address === null || typeof address === 'string') throw new Error('not on TCP');
    const fresh = await aPostgresDatabase();
    if (fresh.config.kind !== 'postgres') throw new Error('expected PostgreSQL');
    const server = await startServerProcess({
      ...serverEnv(),
      DATABASE_URL: fresh.config.url,
      PROMETHEUS_URL: `http://127.0.0.1:${address.port}`,
      PROMETHEUS_TIMEOUT: '5m',
    });
    try {
      await server.ready();
      await sleep(1_500); // the first cycle's queries are in flight, hanging
      const stopping = Date.now();
      expect(await server.stop()).toBe(0);
      expect(Date.now() - stopping).toBeLessThan(5_000);
      const client = new pg.Client({ connectionString: fresh.config.url });
      await client.connect();
      const { rows } = await client.query<{ snapshots: number; statuses: number }>(
        `SELECT (SELECT count(*)::int FROM slo_snapshot) AS snapshots, (SELECT count(*)::int FROM slo_status) AS statuses`,
      );
      await client.end();
      expect(rows[0]).toEqual({ snapshots: 0, statuses: 0 });
    } finally {
      await server.stop();
      hanging.closeAllConnections();
      await new Promise((resolve) => hanging.close(resolve));
      await fresh.drop();
    }
  }, 120_000);
});
