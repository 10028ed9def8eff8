// SLO status at scale: 10,000 SLOs (2,000 services, 40 teams; every 20th SLO a calendar month)
// whose recorded series are backfilled into a real Prometheus 2.42 with
// `promtool tsdb create-blocks-from openmetrics`, and a fresh PostgreSQL database. Measures:
// - one refresh cycle (the bulk queries and every SLO's evaluation): Prometheus queries, time, RSS;
// - writing the cycle (status, events, one snapshot per SLO) against the floor, `psql \copy` of
//   the same snapshot rows;
// - the history of one SLO over 90 days (48 h raw at 1 min, then hourly) in a table that also
//   holds a day of 5-minute snapshots of every SLO;
// - GET /api/v1/slos?team= on the built server (`npm start`) over the 10,000 SLOs: p50 and p99.
import { execFile, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

import pg from 'pg';
import { loadCatalog } from '@burnrate/catalog';
import { openDataSource } from '@burnrate/persistence';
import { PrometheusClient, refreshStatus, StatusStore, trackedSlos } from '@burnrate/status';

import { backfill } from '../../test/support/backfill.ts';
import { freePort, startPrometheus } from '../../test/support/prometheus.ts';
import { writeSyntheticCatalog } from '../support/synthetic-catalog.mjs';

const run = promisify(execFile);
const SERVICES = Number(process.env.BENCH_SERVICES ?? 2000);
const CYCLES = 5;
const API_REQUESTS = Number(process.env.BENCH_API_REQUESTS ?? 500);
const POSTGRES_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const WINDOWS = ['5m', '30m', '1h', '2h', '6h', '1d', '3d'];
const TILE = 300;
const DAY = 86_400;

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const percentile = (values, p) => [...values].sort((a, b) => a - b)[Math.ceil((p / 100) * values.length) - 1];
const seconds = (start) => (performance.now() - start) / 1000;

// `refresh.mjs cycle <prometheus> <catalog> <at>`: only the refresh cycles, in a process of their
// own, so the peak RSS is the refresh's (catalog loaded, answers parsed, statuses evaluated).
if (process.argv[2] === 'cycle') {
  const [, , , url, dir, instant] = process.argv;
  const { catalog } = await loadCatalog([dir]);
  const tracked = trackedSlos(catalog);
  const client = new PrometheusClient({ baseUrl: url, fetch, timeoutMs: 60_000 });
  const times = [];
  let cycle;
  for (let i = 0; i < CYCLES; i++) {
    const started = performance.now();
    cycle = await refreshStatus(client, tracked, new Date(Number(instant) * 1000));
    times.push((performance.now() - started) / 1000);
  }
  console.log(
    JSON.stringify({
      times,
      queries: cycle.queries,
      samples: cycle.samples,
      states: Object.fromEntries(
        ['ok', 'warning', 'burning', 'exhausted', 'no_data'].map((s) => [
          s,
          cycle.statuses.filter((x) => x.state === s).length,
        ]),
      ),
      peakRssMiB: process.resourceUsage().maxRSS / 1024,
    }),
  );
  process.exit(0);
}

const work = await mkdtemp(join(tmpdir(), 'burnrate-bench-status-'));
const catalogDir = join(work, 'catalog');
await writeSyntheticCatalog(catalogDir, {
  services: SERVICES,
  slosPerService: 5,
  teams: 40,
  calendarEvery: 20,
});
const { catalog } = await loadCatalog([catalogDir]);
const slos = trackedSlos(catalog);

// The refresh instant: 3 days into this month (or the last one), 00:00 UTC, so the month to date
// reads 864 tiles. The cost of that query grows with the day of the month.
const today = new Date();
let at = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), 4) / 1000;
if (at * 1000 > Date.now() - 3600_000)
  at = Date.UTC(today.getUTCFullYear(), today.getUTCMonth() - 1, 4) / 1000;
const monthStart = at - 3 * DAY;

function* samples() {
  for (const [index, slo] of slos.entries()) {
    const labels = { service: slo.service, slo: slo.slo };
    const ratio = (index % 7) / 10_000;
    const period = slo.window.kind === 'calendar' ? '30d' : slo.windowLabel;
    for (const window of [...WINDOWS, period]) {
      yield { name: 'slo:sli_error:ratio', labels: { ...labels, window }, time: at, value: ratio };
    }
    if (slo.window.kind !== 'calendar') continue;
    for (let t = monthStart - TILE; t <= at; t += TILE) {
      yield { name: 'slo:sli_errors:rate5m', labels, time: t, value: ratio * 10 };
      yield { name: 'slo:sli_total:rate5m', labels, time: t, value: 10 };
      yield {
        name: 'slo:objective:ratio',
        labels: { ...labels, team: slo.team, period: 'month', window: '30d' },
        time: t,
        value: slo.objective / 100,
      };
    }
  }
}

let started = performance.now();
const dataDir = await backfill([...samples()]);
const backfillSeconds = seconds(started);
const prometheus = await startPrometheus({ dataDir });
const client = new PrometheusClient({ baseUrl: prometheus.url, fetch, timeoutMs: 60_000 });

const adminUrl = new URL(POSTGRES_URL);
const dbName = `burnrate_bench_${process.pid}`;
const admin = new pg.Client({ connectionString: POSTGRES_URL });
await admin.connect();
await admin.query(`CREATE DATABASE "${dbName}"`);
const dbUrl = new URL(adminUrl);
dbUrl.pathname = `/${dbName}`;

const result = { bench: 'status-refresh', slos: slos.length, backfillSeconds };
let server;
try {
  // Refresh cycles, in a process of their own.
  const child = await run(
    process.execPath,
    [new URL(import.meta.url).pathname, 'cycle', prometheus.url, catalogDir, String(at)],
    {
      maxBuffer: 16 * 1024 * 1024,
    },
  );
  const cycles = JSON.parse(child.stdout.trim().split('\n').at(-1));
  result.queriesPerCycle = cycles.queries;
  result.samplesPerCycle = cycles.samples;
  result.cycleSecondsMedian = median(cycles.times);
  result.cycleSecondsMax = Math.max(...cycles.times);
  result.cyclePeakRssMiB = cycles.peakRssMiB;
  result.states = cycles.states;
  const cycle = await refreshStatus(client, slos, new Date(at * 1000));

  // Writing cycles: ours, then the floor.
  const dataSource = await openDataSource({ kind: 'postgres', url: dbUrl.toString() });
  const store = new StatusStore(dataSource);
  await store.syncCatalog(
    {
      teams: catalog.teams.map((t) => ({ name: t.name, displayName: null })),
      services: catalog.services.map((s) => ({ name: s.name, team: s.team, runbook: null })),
      slos: slos.map((slo) => ({ slo, detail: {} })),
    },
    new Date(at * 1000),
  );
  const writeTimes = [];
  for (let i = 0; i < CYCLES; i++) {
    const shifted = { ...cycle, evaluatedAt: new Date((at + 60 * (i + 1)) * 1000) };
    started = performance.now();
    await store.recordCycle(shifted);
    writeTimes.push(seconds(started));
  }
  result.snapshotWriteSecondsMedian = median(writeTimes);
  const csv = join(work, 'snapshots.csv');
  await writeFile(
    csv,
    cycle.statuses
      .map(
        (s) =>
          `${s.slo.id},raw,${new Date((at - 60) * 1000).toISOString()},${s.state},${s.sli ?? ''},${s.errorBudget.remaining ?? ''},"${JSON.stringify(s.burnRates).replace(/"/g, '""')}"`,
      )
      .join('\n'),
  );
  started = performance.now();
  await run('psql', [
    dbUrl.toString(),
    '-c',
    `\\copy slo_snapshot (slo_id, resolution, evaluated_at, state, sli, budget_remaining, burn_rates) FROM '${csv}' CSV`,
  ]);
  result.copyFloorSeconds = seconds(started);
  result.snapshotWriteVsCopy = result.snapshotWriteSecondsMedian / result.copyFloorSeconds;

  // History over 90 days for one SLO, in a table holding a day of every SLO's 5-minute snapshots.
  const id = slos[0].id;
  const now = at + 3600;
  await dataSource.query(
    `INSERT INTO slo_snapshot (slo_id, resolution, evaluated_at, state, sli, budget_remaining, burn_rates)
     SELECT s.id, 'raw', to_timestamp(t), 'ok', 0.999, 0.5, '{"5m":0.1,"1h":0.2}'
     FROM unnest($1::text[]) AS s(id), generate_series($2::bigint, $3::bigint, 300) AS t
     ON CONFLICT DO NOTHING`,
    [slos.slice(1).map((s) => s.id), now - DAY, now],
  );
  await dataSource.query(
    `INSERT INTO slo_snapshot (slo_id, resolution, evaluated_at, state, sli, budget_remaining, burn_rates)
     SELECT $1, CASE WHEN t > $3::bigint - 172800 THEN 'raw' ELSE 'hour' END, to_timestamp(t), 'ok', 0.999, 0.5, '{}'
     FROM generate_series($2::bigint, $3::bigint, 60) AS t
     WHERE t > $3::bigint - 172800 OR t % 3600 = 0
     ON CONFLICT DO NOTHING`,
    [id, now - 90 * DAY, now],
  );
  await dataSource.query('ANALYZE slo_snapshot');
  const [{ rows }] = await dataSource.query('SELECT count(*)::int AS rows FROM slo_snapshot');
  result.snapshotRows = rows;
  const historyTimes = [];
  let points;
  for (let i = 0; i < 20; i++) {
    started = performance.now();
    points = await store.history(id, new Date((now - 90 * DAY) * 1000), new Date(now * 1000), 3600);
    historyTimes.push(seconds(started) * 1000);
  }
  result.history90dPoints = points.length;
  result.history90dMsMedian = median(historyTimes);
  await dataSource.destroy();

  // The read API of the built server over the same database.
  const port = await freePort();
  server = spawn(process.execPath, ['apps/server/dist/main.js'], {
    env: {
      PATH: process.env.PATH,
      LOG_LEVEL: 'warn',
      PORT: String(port),
      DATABASE_URL: dbUrl.toString(),
      CATALOG_PATH: catalogDir,
      PROMETHEUS_URL: prometheus.url,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 600; i++) {
    const ok = await fetch(`${base}/readyz`).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ok) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const latencies = [];
  let items = 0;
  for (let i = 0; i < API_REQUESTS; i++) {
    started = performance.now();
    const response = await fetch(`${base}/api/v1/slos?team=team-${i % 40}`);
    const body = await response.json();
    latencies.push(seconds(started) * 1000);
    items = body.items.length;
  }
  result.apiItemsPerPage = items;
  result.apiP50Ms = percentile(latencies, 50);
  result.apiP99Ms = percentile(latencies, 99);
} finally {
  server?.kill('SIGTERM');
  await prometheus.stop();
  await admin.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
  await admin.end();
  await rm(work, { recursive: true, force: true });
}
console.log(JSON.stringify(result));
