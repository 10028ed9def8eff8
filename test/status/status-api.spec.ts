/**
 * The status service end to end inside one server: a real Prometheus serving backfilled
 * recorded series, a real database (PostgreSQL server and embedded PGlite), the HTTP API. The
 * refresh runs at the fixture's instant through the job itself (`tick`), as the scheduler runs it.
 */
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { NestExpressApplication } from '@nestjs/platform-express';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createServer, loadServerConfig, type Environment } from '../../apps/server/src/server.js';
import { StatusRefreshService } from '../../apps/server/src/status/status-refresh.service.js';
import { aPostgresDatabase, type TestDatabase } from '../persistence/test-databases.js';
import { backfill } from '../support/backfill.js';
import { freePort, startPrometheus, type PrometheusServer } from '../support/prometheus.js';
import { FIXTURE_CATALOG, NOW, samples } from './status-fixture.js';

const ADMIN = 'admin-token-for-tests';
const ITEM_FIELDS = [
  'burnRates',
  'errorBudget',
  'evaluatedAt',
  'exhaustsAt',
  'id',
  'objective',
  'service',
  'since',
  'sli',
  'slo',
  'stale',
  'state',
  'team',
  'window',
];

interface Backend {
  readonly backend: string;
  readonly environment: () => Promise<{ env: Environment; database?: TestDatabase }>;
}

const backends: Backend[] = [
  {
    backend: 'PostgreSQL server',
    environment: async () => {
      const database = await aPostgresDatabase();
      if (database.config.kind !== 'postgres') throw new Error('expected a PostgreSQL database');
      return { env: { DATABASE_URL: database.config.url }, database };
    },
  },
  { backend: 'embedded PGlite', environment: () => Promise.resolve({ env: { DATA_DIR: 'memory://' } }) },
];

let dataDir: string;
beforeAll(async () => {
  dataDir = await backfill(samples());
});

describe.each(backends)('SLO status on $backend', ({ environment }) => {
  let database: TestDatabase | undefined;
  let app: NestExpressApplication;
  let baseUrl: string;
  let prometheus: PrometheusServer;
  let port: number;
  let catalogDir: string;
  const at = (seconds: number) => new Date((NOW + seconds) * 1000);
  const tick = (seconds = 0) => app.get(StatusRefreshService).tick(at(seconds));

  beforeAll(async () => {
    port = await freePort();
    prometheus = await startPrometheus({ dataDir, port });
    catalogDir = await mkdtemp(join(tmpdir(), 'burnrate-status-catalog-'));
    await cp(FIXTURE_CATALOG, catalogDir, { recursive: true });
    const setup = await environment();
    database = setup.database;
    const config = loadServerConfig({
      ...setup.env,
      PORT: '0',
      PROMETHEUS_URL: prometheus.url,
      CATALOG_PATH: catalogDir,
      // One tick a day: the test drives the cycles at the fixture's instants.
      SLO_REFRESH_INTERVAL: '1d',
      ADMIN_TOKEN: ADMIN,
    });
    app = await createServer(config, { logger: ['error'] });
    await app.listen(0, '127.0.0.1');
    const address = app.getHttpServer().address();
    if (address === null || typeof address === 'string') throw new Error('server is not listening on TCP');
    baseUrl = `http://127.0.0.1:${address.port}`;
    // The start-up cycle ran at the real now, where Prometheus has nothing: wait for it and start
    // from an empty history, then run the fixture's cycle.
    await app.get(StatusRefreshService).tick();
    const db = app.get(DataSource);
    for (const table of ['slo_event', 'slo_snapshot', 'slo_status']) await db.query(`DELETE FROM ${table}`);
    await tick(0);
  });

  afterAll(async () => {
    await app?.close();
    await prometheus?.stop();
    await database?.drop();
    await rm(catalogDir, { recursive: true, force: true });
  });

  const get = async (path: string) => {
    const response = await fetch(`${baseUrl}${path}`);
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- answers are checked field by field
    const body: any = await response.json();
    return { status: response.status, type: response.headers.get('content-type'), body };
  };

  it('lists every SLO with exactly the documented fields, from the cycle it evaluated', async () => {
    const { status, body } = await get('/api/v1/slos');
    expect(status).toBe(200);
    expect(body.nextCursor).toBeNull();
    expect(body.items.map((i: { id: string }) => i.id)).toEqual([
      'cart/availability',
      'cart/freeform',
      'cart/monthly',
      'cart/quiet',
    ]);
    for (const item of body.items) expect(Object.keys(item).sort()).toEqual(ITEM_FIELDS);
    const availability = body.items[0];
    expect(availability).toMatchObject({
      service: 'cart',
      slo: 'availability',
      team: 'shop',
      objective: 99.9,
      window: '30d',
      state: 'burning',
      stale: false,
      evaluatedAt: at(0).toISOString(),
      since: at(0).toISOString(),
    });
    expect(availability.burnRates['1h']).toBeCloseTo(20, 9);
    expect(availability.errorBudget.remaining).toBeCloseTo(0.6, 9);
    expect(body.items[2]).toMatchObject({ window: 'calendar-month', state: 'burning' });
    expect(body.items[2].errorBudget.consumed).toBeCloseTo(20 / 30, 9);
    expect(body.items[3]).toMatchObject({ state: 'no_data', sli: null });
  });

  it('documents the status API in OpenAPI, from the DTOs', async () => {
    const { body } = await get('/docs-json');
    expect(Object.keys(body.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/slos',
        '/api/v1/slos/{service}/{slo}',
        '/api/v1/slos/{service}/{slo}/history',
        '/api/v1/teams',
        '/api/v1/teams/{team}',
        '/api/v1/services/{service}',
        '/api/v1/catalog',
        '/api/v1/catalog/reload',
      ]),
    );
    expect(Object.keys(body.components.schemas.SloItemDto.properties).sort()).toEqual(ITEM_FIELDS);
  });

  it('pages with a cursor and filters by team, service and state', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const { body } = await get(`/api/v1/slos?limit=1${cursor ? `&cursor=${cursor}` : ''}`);
      expect(body.items).toHaveLength(1);
      seen.push(body.items[0].id);
      cursor = body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(['cart/availability', 'cart/freeform', 'cart/monthly', 'cart/quiet']);
    const burning = await get('/api/v1/slos?state=burning&team=shop&service=cart');
    expect(burning.body.items.map((i: { id: string }) => i.id)).toEqual([
      'cart/availability',
      'cart/monthly',
    ]);
    expect((await get('/api/v1/slos?team=nobody')).body.items).toEqual([]);
  });

  it.each([
    ['limit=0', 'limit'],
    ['limit=ten', 'limit'],
    ['state=on_fire', 'state'],
    ['cursor=not-a-cursor', 'cursor'],
  ])('answers %s with a 400 problem naming %s', async (query, parameter) => {
    const { status, type, body } = await get(`/api/v1/slos?${query}`);
    expect(status).toBe(400);
    expect(type).toContain('application/problem+json');
    expect(body).toMatchObject({ status: 400, parameter });
    expect(body.detail).toContain(parameter);
  });

  it('details one SLO: tiers from the alert policy, events, links; 404 for an unknown one', async () => {
    const { status, body } = await get('/api/v1/slos/cart/availability');
    expect(status).toBe(200);
    expect(body.tiers).toHaveLength(4);
    expect(body.tiers[0]).toEqual({
      severity: 'page',
      longWindow: '1h',
      shortWindow: '5m',
      budgetPercent: 2,
      burnRate: 14.4,
      errorRatioThreshold: 0.0144,
    });
    expect(body.events[0]).toMatchObject({ to: 'burning', at: at(0).toISOString() });
    expect(body.links.dashboard).toMatch(/\/d\//);
    const missing = await get('/api/v1/slos/cart/nope');
    expect(missing.status).toBe(404);
    expect(missing.type).toContain('application/problem+json');
    expect(missing.body.detail).toContain('cart/nope');
  });

  it('writes one snapshot per SLO per cycle, never twice for one tick, and serves them as history', async () => {
    await tick(0); // the same tick again: claimed already, nothing runs
    await tick(86_400); // the next day's tick
    const { body } = await get(
      `/api/v1/slos/cart/availability/history?from=${NOW - 60}&to=${NOW + 86_400}&step=1m`,
    );
    expect(body.points.map((p: { at: string }) => p.at)).toEqual([
      at(0).toISOString(),
      at(86_400).toISOString(),
    ]);
    const [{ count }] = await app.get(DataSource).query(`SELECT count(*)::int AS count FROM slo_snapshot`);
    expect(count).toBe(2 * 4);
    // The next day Prometheus has no samples left within its lookback: no data, one event.
    const detail = await get('/api/v1/slos/cart/availability');
    expect(detail.body.state).toBe('no_data');
    expect(detail.body.events.map((e: { from: string | null; to: string }) => [e.from, e.to])).toEqual([
      ['burning', 'no_data'],
      [null, 'burning'],
    ]);
    expect(detail.body.since).toBe(at(86_400).toISOString());
    const bad = await get(`/api/v1/slos/cart/availability/history?from=${NOW}&to=${NOW - 1}`);
    expect(bad).toMatchObject({ status: 400, body: { parameter: 'from' } });
  });

  it('counts SLOs by state per team and names its worst SLO', async () => {
    const { body } = await get('/api/v1/teams');
    expect(body).toHaveLength(1);
    expect(body[0]).toMatchObject({ name: 'shop', slos: { no_data: 4 } });
    expect(body[0].worst.team).toBe('shop');
    const team = await get('/api/v1/teams/shop');
    expect(team.body.items).toHaveLength(4);
    expect((await get('/api/v1/teams/ghosts')).status).toBe(404);
    const service = await get('/api/v1/services/cart');
    expect(service.body).toMatchObject({ name: 'cart', team: 'shop' });
    expect(service.body.slos).toHaveLength(4);
  });

  it('keeps the last good values, stale, while Prometheus is down, and clears it on the next good cycle', async () => {
    const beforeDown = (await get('/api/v1/slos?limit=1')).body.items[0];
    await prometheus.stop();
    await tick(3 * 86_400);
    const stale = (await get('/api/v1/slos?limit=1')).body.items[0];
    expect(stale).toEqual({ ...beforeDown, stale: true });
    const ready = await get('/readyz');
    expect(ready.status).toBe(503);
    expect(ready.body.checks.prometheus.status).toBe('down');
    expect(ready.body.checks.database.status).toBe('up');

    prometheus = await startPrometheus({ dataDir, port });
    await tick(4 * 86_400);
    expect((await get('/api/v1/slos?limit=1')).body.items[0].stale).toBe(false);
    expect((await get('/readyz')).body.checks.prometheus.status).toBe('up');
  });

  it('follows the catalog: a removed SLO leaves the API with its history kept, a bad change keeps the last good catalog', async () => {
    const file = join(catalogDir, 'shop.yaml');
    const original = await readFile(file, 'utf8');
    const post = (path: string) =>
      fetch(`${baseUrl}${path}`, { method: 'POST', headers: { Authorization: `Bearer ${ADMIN}` } });
    try {
      expect((await fetch(`${baseUrl}/api/v1/catalog/reload`, { method: 'POST' })).status).toBe(401);

      await writeFile(file, original.replace(/ {4}- name: quiet[\s\S]*$/, ''));
      expect((await post('/api/v1/catalog/reload')).status).toBe(200);
      expect((await get('/api/v1/slos')).body.items).toHaveLength(3);
      expect((await get('/api/v1/slos/cart/quiet')).status).toBe(404);
      const rows = await app
        .get(DataSource)
        .query(`SELECT removed_at FROM catalog_slo WHERE id = 'cart/quiet'`);
      expect(rows[0].removed_at).not.toBeNull();

      await writeFile(
        file,
        original.replace('objective: 99.9\n      window: 30d', 'objective: 0.999\n      window: 30dd'),
      );
      const refused = await post('/api/v1/catalog/reload');
      expect(refused.status).toBe(422);
      const state = await get('/api/v1/catalog');
      expect(state.body.status).toBe('refused');
      expect(state.body.problems.join('\n')).toMatch(/shop\.yaml:\d+:\d+: error: /);
      expect((await get('/api/v1/slos')).body.items).toHaveLength(3);
      expect((await get('/readyz')).body.checks.catalog).toMatchObject({ status: 'up' });
      expect((await get('/readyz')).body.checks.catalog.detail).toContain('errors');

      await writeFile(file, original);
      expect((await post('/api/v1/catalog/reload')).status).toBe(200);
      expect((await get('/api/v1/slos')).body.items).toHaveLength(4);
      expect((await get('/api/v1/catalog')).body).toMatchObject({ status: 'ok', slos: 4 });
    } finally {
      await writeFile(file, original);
    }
  });

  it('reloads the catalog by itself when its files change', async () => {
    const file = join(catalogDir, 'shop.yaml');
    const original = await readFile(file, 'utf8');
    const slosWithin = async (count: number) => {
      for (let i = 0; i < 50; i++) {
        if ((await get('/api/v1/slos')).body.items.length === count) return true;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      return false;
    };
    try {
      await writeFile(file, original.replace(/ {4}- name: quiet[\s\S]*$/, ''));
      expect(await slosWithin(3)).toBe(true);
    } finally {
      await writeFile(file, original);
    }
    expect(await slosWithin(4)).toBe(true);
  });
});
