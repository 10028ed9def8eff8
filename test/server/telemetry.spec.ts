/**
 * The server's own telemetry as an operator meets it: the built server (`npm start`) writing JSON
 * logs, exporting spans over OTLP/HTTP to a local receiver when OTEL_EXPORTER_OTLP_ENDPOINT is
 * set, exposing its job metrics, and exiting 0 on SIGTERM.
 */
import { createServer, type Server } from 'node:http';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startPrometheus, type PrometheusServer } from '../support/prometheus.js';
import { buildServer, startServerProcess, type ServerProcess } from './server-process.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let prometheus: PrometheusServer;
let receiver: Server;
let server: ServerProcess;
const exports: { path: string; contentType: string | undefined; body: string }[] = [];

beforeAll(async () => {
  await buildServer();
  prometheus = await startPrometheus();
  receiver = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      exports.push({ path: request.url ?? '', contentType: request.headers['content-type'], body });
      response.writeHead(200, { 'Content-Type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const address = receiver.address();
  if (address === null || typeof address === 'string') throw new Error('receiver is not on TCP');
  server = await startServerProcess({
    DATA_DIR: 'memory://',
    LOG_LEVEL: 'log',
    PROMETHEUS_URL: prometheus.url,
    CATALOG_PATH: 'test/status/fixtures/catalog',
    SLO_REFRESH_INTERVAL: '1s',
    OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${address.port}`,
  });
  await server.ready();
}, 180_000);

afterAll(async () => {
  await server?.stop();
  await prometheus?.stop();
  await new Promise((resolve) => receiver?.close(resolve));
});

describe('the server’s own telemetry', () => {
  it('exports its refresh and Prometheus query spans over OTLP/HTTP', async () => {
    for (let i = 0; i < 40 && !exports.some((e) => e.body.includes('burnrate.status.refresh')); i++)
      await sleep(250);
    const traces = exports.filter((e) => e.path === '/v1/traces');
    expect(traces.length).toBeGreaterThan(0);
    const all = traces.map((e) => e.body).join('\n');
    expect(all).toContain('burnrate.status.refresh');
    expect(all).toContain('prometheus.query');
    expect(all).toContain('"burnrate"');
  });

  it('reports its jobs, queries, SLO states and snapshot rows on /metrics', async () => {
    const text = await (await fetch(`http://127.0.0.1:${server.port}/metrics`)).text();
    expect(text).toMatch(
      /^burnrate_job_duration_seconds_count\{job="slo-status-refresh",outcome="ok"\} [1-9]/m,
    );
    expect(text).toMatch(/^burnrate_prometheus_queries_total\{outcome="ok"\} [1-9]/m);
    // Prometheus holds nothing for the fixture's SLOs at this instant: four without data.
    expect(text).toMatch(/^burnrate_slos\{state="no_data"\} 4$/m);
    expect(text).toMatch(/^burnrate_snapshot_rows_written_total [1-9]/m);
  });

  it('logs one JSON object per line, and exits 0 on SIGTERM', async () => {
    expect(await server.stop()).toBe(0);
    const json = server
      .output()
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { level: string; msg: string; context?: string });
    expect(json.length).toBeGreaterThan(0);
    expect(json.some((l) => l.level === 'info' && l.context === 'StatusRefreshService')).toBe(true);
    // Every line on stdout is JSON; the start-up summary goes to stderr as plain text.
    expect(server.output()).toContain('burnrate: SLO status: refresh every 1s');
  });
});
