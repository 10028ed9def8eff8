import type { NestExpressApplication } from '@nestjs/platform-express';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createServer, loadServerConfig, type Environment } from '../../apps/server/src/server.js';
import { aPostgresDatabase, type TestDatabase } from '../persistence/test-databases.js';

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

describe.each(backends)('the server on $backend', ({ environment }) => {
  let database: TestDatabase | undefined;
  let app: NestExpressApplication;
  let baseUrl: string;

  beforeAll(async () => {
    const setup = await environment();
    database = setup.database;
    app = await createServer(loadServerConfig({ ...setup.env, PORT: '0' }), { logger: ['error', 'warn'] });
    await app.listen(0, '127.0.0.1');
    const address = app.getHttpServer().address();
    if (address === null || typeof address === 'string') throw new Error('server is not listening on TCP');
    baseUrl = `http://127.0.0.1:${address.port}`;
  });

  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  const get = (path: string) => fetch(`${baseUrl}${path}`);

  it('answers the liveness probe', async () => {
    const response = await get('/healthz');

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it('is ready once the database answers', async () => {
    const response = await get('/readyz');

    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'ready', checks: { database: { status: 'up' } } });
  });

  it('applied the migrations while booting', async () => {
    const tables: Array<{ table_name: string }> = await app
      .get(DataSource)
      .query(`SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()`);

    expect(tables.map((row) => row.table_name)).toEqual(
      expect.arrayContaining(['slo_status', 'alert_outbox', 'cost_line', 'migrations']),
    );
  });

  it('exposes its own metrics, including the requests it answered, in the Prometheus format', async () => {
    await get('/healthz');

    const response = await get('/metrics');
    const text = await response.text();

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(text).toMatch(/^burnrate_build_info\{service="burnrate",version="[^"]+"\} 1$/m);
    expect(text).toMatch(
      /^burnrate_http_requests_total\{method="GET",route="\/healthz",status="200"\} \d+$/m,
    );
    expect(text).toContain('burnrate_http_request_duration_seconds_bucket{');
    expect(text).toContain('process_resident_memory_bytes');
    expect(text).toContain('nodejs_eventloop_lag_seconds');
  });

  it('serves the OpenAPI document and its UI under /docs', async () => {
    const ui = await get('/docs');
    const document = (await (await get('/docs-json')).json()) as { openapi: string; paths: object };

    expect(ui.status).toBe(200);
    expect(await ui.text()).toContain('swagger-ui');
    expect(document.openapi).toMatch(/^3\./);
    expect(Object.keys(document.paths)).toEqual(expect.arrayContaining(['/healthz', '/readyz', '/metrics']));
  });

  it('is not ready, and says why, once the database is gone', async () => {
    await app.get(DataSource).destroy();

    const response = await get('/readyz');

    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({
      status: 'not_ready',
      checks: { database: { status: 'down', error: 'database connection is not open' } },
    });
  });
});
