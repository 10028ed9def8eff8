/**
 * Prometheus misbehaving under a running server: slow past PROMETHEUS_TIMEOUT, answering 5xx,
 * answering garbage. No crash; every SLO keeps its last good values marked stale, readiness
 * says Prometheus is down and why, and the next good cycle clears both. Between the server and a
 * real Prometheus (backfilled) sits a proxy whose behaviour the test switches.
 */
import { createServer, type Server } from 'node:http';

import type { NestExpressApplication } from '@nestjs/platform-express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createServer as createBurnrate, loadServerConfig } from '../../apps/server/src/server.js';
import { StatusRefreshService } from '../../apps/server/src/status/status-refresh.service.js';
import { backfill } from '../support/backfill.js';
import { startPrometheus, type PrometheusServer } from '../support/prometheus.js';
import { FIXTURE_CATALOG, NOW, samples } from './status-fixture.js';

type Mode = 'pass' | 'slow' | '503' | 'garbage';

let prometheus: PrometheusServer;
let proxy: Server;
let mode: Mode = 'pass';
let app: NestExpressApplication;
let baseUrl: string;
const DAY = 86_400_000;

/**
 * The fixture's instant repeated a day apart for nine days (window ratios and the guard's events):
 * each tick of the test (one a day, the refresh interval) finds the same figures.
 */
function repeated() {
  const base = samples();
  const daily = base.filter((s) => s.name === 'slo:sli_error:ratio' || s.labels.slo === 'availability');
  return [
    ...base,
    ...[1, 2, 3, 4, 5, 6, 7, 8].flatMap((d) => daily.map((s) => ({ ...s, time: s.time + d * 86_400 }))),
  ];
}

beforeAll(async () => {
  prometheus = await startPrometheus({ dataDir: await backfill(repeated()) });
  proxy = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      if (mode === 'slow') return; // never answers
      if (mode === '503') {
        response.writeHead(503, { 'Content-Type': 'text/html' }).end('<html>upstream overloaded</html>');
        return;
      }
      if (mode === 'garbage') {
        response.writeHead(200, { 'Content-Type': 'application/json' }).end('{"status":"success","data":');
        return;
      }
      void fetch(`${prometheus.url}${request.url}`, {
        method: request.method,
        headers: { 'Content-Type': request.headers['content-type'] ?? 'application/x-www-form-urlencoded' },
        ...(request.method === 'POST' ? { body } : {}),
      }).then(async (answer) => {
        response.writeHead(answer.status, { 'Content-Type': 'application/json' }).end(await answer.text());
      });
    });
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  const address = proxy.address();
  if (address === null || typeof address === 'string') throw new Error('proxy is not on TCP');
  app = await createBurnrate(
    loadServerConfig({
      PORT: '0',
      DATA_DIR: 'memory://',
      PROMETHEUS_URL: `http://127.0.0.1:${address.port}`,
      PROMETHEUS_TIMEOUT: '1s',
      CATALOG_PATH: FIXTURE_CATALOG,
      SLO_REFRESH_INTERVAL: '1d',
    }),
    { logger: ['error'] },
  );
  await app.listen(0, '127.0.0.1');
  const listening = app.getHttpServer().address();
  if (listening === null || typeof listening === 'string') throw new Error('server is not on TCP');
  baseUrl = `http://127.0.0.1:${listening.port}`;
  await app.get(StatusRefreshService).tick();
}, 120_000);

afterAll(async () => {
  await app?.close();
  proxy?.closeAllConnections();
  await new Promise((resolve) => proxy?.close(resolve));
  await prometheus?.stop();
});

const tick = (day: number) => app.get(StatusRefreshService).tick(new Date(NOW * 1000 + day * DAY));
const availability = async () =>
  (await (await fetch(`${baseUrl}/api/v1/slos/cart/availability`)).json()) as {
    state: string;
    stale: boolean;
    evaluatedAt: string;
  };
const readiness = async () => {
  const response = await fetch(`${baseUrl}/readyz`);
  return {
    status: response.status,
    body: (await response.json()) as { checks: Record<string, { status: string; error?: string }> },
  };
};

describe('Prometheus faults under a running server', () => {
  it.each([
    ['slow past PROMETHEUS_TIMEOUT', 'slow', /gave no answer within 1000 ms/, 0],
    ['answering 503', '503', /503/, 3],
    ['answering garbage', 'garbage', /no Prometheus API answer/, 6],
  ] as const)(
    '%s: the last good values stay, stale; readiness names it; the next good cycle clears it',
    async (_name, fault, reason, day) => {
      mode = 'pass';
      await tick(day);
      const good = await availability();
      expect(good).toMatchObject({ state: 'burning', stale: false });

      mode = fault;
      await tick(day + 1);
      const stale = await availability();
      expect(stale).toEqual({ ...good, stale: true });
      const ready = await readiness();
      expect(ready.status).toBe(503);
      expect(ready.body.checks.prometheus?.status).toBe('down');
      expect(ready.body.checks.prometheus?.error).toMatch(reason);

      mode = 'pass';
      await tick(day + 2);
      expect((await availability()).stale).toBe(false);
      expect((await readiness()).status).toBe(200);
    },
  );
});
