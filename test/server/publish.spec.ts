import { createServer as createHttpServer, type Server } from 'node:http';
import { join } from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createServer, loadServerConfig, type Environment } from '../../apps/server/src/server.js';
import { startGrafanaFake, type GrafanaFake } from '../publish/grafana-fake.js';
import { freePort } from '../support/prometheus.js';

const root = join(import.meta.dirname, '../..');

async function serve(env: Environment): Promise<{ app: NestExpressApplication; url: string }> {
  const app = await createServer(loadServerConfig({ DATA_DIR: 'memory://', PORT: '0', ...env }, root), {
    logger: ['error'],
  });
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address();
  if (address === null || typeof address === 'string') throw new Error('not listening');
  return { app, url: `http://127.0.0.1:${address.port}` };
}

describe('publishing dashboards from the server', () => {
  let grafana: GrafanaFake;
  let server: { app: NestExpressApplication; url: string };

  beforeAll(async () => {
    grafana = await startGrafanaFake();
    server = await serve({
      GRAFANA_URL: grafana.url,
      GRAFANA_API_TOKEN: grafana.token,
      ADMIN_TOKEN: 'admin-secret',
      CATALOG_REVISION: 'abc1234',
    });
  }, 60_000);

  afterAll(async () => {
    await server?.app.close();
    await grafana?.stop();
  });

  const publish = (token?: string, query = '') =>
    fetch(`${server.url}/api/v1/dashboards/publish${query}`, {
      method: 'POST',
      headers: token ? { Authorization: `Bearer ${token}` } : {},
    });

  it('refuses callers without the admin token', async () => {
    expect((await publish()).status).toBe(401);
    expect((await publish('wrong-secret')).status).toBe(401);
  });

  it('publishes every dashboard of the catalog into a folder per team, naming the revision', async () => {
    const response = await publish('admin-secret');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      revision: 'abc1234',
      published: 20,
      unchanged: 0,
      conflicts: [],
      removed: [],
    });
    expect([...grafana.folders.keys()].sort()).toEqual([
      'burnrate',
      'burnrate-data',
      'burnrate-payments',
      'burnrate-platform',
      'burnrate-storefront',
    ]);
    expect(grafana.dashboards.get('svc-payments-checkout-api')).toMatchObject({
      folderUid: 'burnrate-payments',
      message: 'burnrate: catalog at abc1234',
    });
  });

  it('adds no Grafana version when the catalog did not change', async () => {
    const before = grafana.dashboards.get('svc-payments-checkout-api')!.version;
    const again = (await (await publish('admin-secret')).json()) as { published: number; unchanged: number };
    expect(again).toMatchObject({ published: 20, unchanged: 20 });
    expect(grafana.dashboards.get('svc-payments-checkout-api')!.version).toBe(before);
  });

  it('reports dashboards changed in Grafana as conflicts unless asked to overwrite', async () => {
    grafana.editInUi('burnrate-overview');
    const kept = (await (await publish('admin-secret')).json()) as { conflicts: { uid: string }[] };
    expect(kept.conflicts.map((c) => c.uid)).toEqual(['burnrate-overview']);
    const replaced = (await (await publish('admin-secret', '?overwrite=true')).json()) as {
      conflicts: unknown[];
      published: number;
    };
    expect(replaced).toMatchObject({ conflicts: [], published: 20, unchanged: 19 });
  });

  it('answers 503 when Grafana is not configured', async () => {
    const bare = await serve({ ADMIN_TOKEN: 'admin-secret' });
    try {
      const response = await fetch(`${bare.url}/api/v1/dashboards/publish`, {
        method: 'POST',
        headers: { Authorization: 'Bearer admin-secret' },
      });
      expect(response.status).toBe(503);
      expect(await response.json()).toMatchObject({
        status: 503,
        code: 'grafana-not-configured',
        title: 'Service Unavailable',
      });
    } finally {
      await bare.app.close();
    }
  }, 60_000);

  it('answers 502 naming Grafana when Grafana cannot be reached', async () => {
    const closed = `http://127.0.0.1:${await freePort()}`;
    const unreachable = await serve({
      GRAFANA_URL: closed,
      GRAFANA_API_TOKEN: 't',
      ADMIN_TOKEN: 'admin-secret',
    });
    try {
      const response = await fetch(`${unreachable.url}/api/v1/dashboards/publish`, {
        method: 'POST',
        headers: { Authorization: 'Bearer admin-secret' },
      });
      expect(response.status).toBe(502);
      expect(await response.json()).toMatchObject({
        status: 502,
        code: 'grafana-unreachable',
        upstream: `Grafana at ${closed}`,
        detail: `Grafana at ${closed} is unreachable: connect ECONNREFUSED ${closed.slice(7)}`,
      });
    } finally {
      await unreachable.app.close();
    }
  }, 60_000);

  it('answers 422 without publishing anything when the catalog is invalid', async () => {
    const broken = await serve({
      GRAFANA_URL: grafana.url,
      GRAFANA_API_TOKEN: grafana.token,
      ADMIN_TOKEN: 'admin-secret',
      CATALOG_PATH: 'test/catalog/bad',
    });
    const before = grafana.dashboards.size;
    try {
      const response = await fetch(`${broken.url}/api/v1/dashboards/publish`, {
        method: 'POST',
        headers: { Authorization: 'Bearer admin-secret' },
      });
      expect(response.status).toBe(422);
      expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(await response.json()).toMatchObject({
        status: 422,
        code: 'invalid-catalog',
        detail: expect.stringMatching(/burnrate validate/),
      });
      expect(grafana.dashboards.size).toBe(before);
    } finally {
      await broken.app.close();
    }
  }, 60_000);
});

describe('publishing rules from the server', () => {
  const received: { method: string; url: string; tenant: string | undefined }[] = [];
  let ruler: Server;
  let rulerUrl: string;

  beforeAll(async () => {
    ruler = createHttpServer((req, res) => {
      req.resume();
      req.on('end', () => {
        received.push({
          method: req.method!,
          url: req.url!,
          tenant: req.headers['x-scope-orgid'] as string | undefined,
        });
        res.statusCode = req.url!.startsWith('/loki/') && req.url!.includes('event-ingest') ? 400 : 202;
        res.end(res.statusCode === 400 ? 'bad rule group' : '');
      });
    });
    await new Promise<void>((resolve) => ruler.listen(0, '127.0.0.1', resolve));
    const address = ruler.address();
    rulerUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  });
  afterAll(() => new Promise<void>((resolve) => ruler.close(() => resolve())));

  it('pushes every service to Mimir as one namespace, with the tenant', async () => {
    const server = await serve({
      ADMIN_TOKEN: 'admin-secret',
      MIMIR_RULER_URL: rulerUrl,
      RULER_TENANT: 'platform',
    });
    try {
      received.length = 0;
      const response = await fetch(`${server.url}/api/v1/rules/publish`, {
        method: 'POST',
        headers: { Authorization: 'Bearer admin-secret' },
      });
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ prometheusNamespaces: 13, lokiNamespaces: 0 });
      expect(new Set(received.map((r) => r.url))).toContain(
        '/prometheus/config/v1/rules/payments.checkout-api',
      );
      // Pushes, then one listing of the tenant's namespaces to find those that left the catalog.
      expect(received.filter((r) => r.method !== 'POST').map((r) => [r.method, r.url])).toEqual([
        ['GET', '/prometheus/config/v1/rules'],
      ]);
      expect(received.every((r) => r.tenant === 'platform')).toBe(true);
    } finally {
      await server.app.close();
    }
  }, 60_000);

  it("answers 502 with the ruler's reason when the ruler refuses a group", async () => {
    const server = await serve({ ADMIN_TOKEN: 'admin-secret', LOKI_RULER_URL: rulerUrl });
    try {
      const response = await fetch(`${server.url}/api/v1/rules/publish`, {
        method: 'POST',
        headers: { Authorization: 'Bearer admin-secret' },
      });
      expect(response.status).toBe(502);
      expect(await response.json()).toMatchObject({
        code: 'ruler-refused',
        upstream: `Loki ruler at ${rulerUrl}/loki/api/v1`,
        detail: expect.stringMatching(/\/loki\/api\/v1\/rules\/data\.event-ingest: HTTP 400: bad rule group/),
      });
    } finally {
      await server.app.close();
    }
  }, 60_000);
});
