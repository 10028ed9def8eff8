/**
 * `burnrate verify` against a real Prometheus scraping the demo service (classic histograms with
 * the buckets 0.005 ... 10) and a native histogram: the example catalog passes, an SLO whose
 * threshold is no bucket boundary (300ms) is named with the buckets that do exist.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, request, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Histogram, Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PrometheusClient, PrometheusClientError } from '@burnrate/status';
import { run } from '../../apps/cli/src/program.js';
import { serveRegistry, startDemoService, type DemoService } from '../dashboards/demo-service.js';
import {
  startNativeHistogramTarget,
  type NativeHistogramTarget,
} from '../dashboards/native-histogram-target.js';
import { freePort, startPrometheus, type PrometheusServer } from '../support/prometheus.js';

const root = resolve(import.meta.dirname, '../..');
/** A public Sloth spec (SOURCES.md): latency as `_count - _bucket{le="250"}`, in milliseconds. */
const kuadrantSpec = join(root, 'test/cli/fixtures/verify/kuadrant-slo-latency.yaml');
/** Istio's default buckets for request durations, in milliseconds. */
const ISTIO_BUCKETS = [
  0.5, 1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000, 300000, 600000, 1800000,
  3600000,
];

async function cli(argv: string[], env: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const io = { stdout: (l: string) => out.push(l), stderr: (l: string) => err.push(l), exit: () => {}, env };
  const code = await run(argv, io);
  return { code, stdout: out.join('\n'), stderr: err.join('\n') };
}

/** Payments-gateway SLOs on the demo's classic histogram: 250ms is a bucket bound, 300ms is not. */
const BROKEN_CATALOG = `apiVersion: burnrate.dev/v1
kind: Service
metadata:
  name: payments-gateway
  team: payments
spec:
  slos:
    - name: availability
      objective: 99.9
      window: 30d
      sli:
        events:
          errorQuery: sum(rate(http_requests_total{job="payments-gateway",code=~"5.."}[{{.window}}]))
          totalQuery: sum(rate(http_requests_total{job="payments-gateway"}[{{.window}}]))
    - name: fast-enough
      objective: 99
      window: 30d
      sli:
        latency:
          metric: http_request_duration_seconds
          matchers: 'job="payments-gateway",handler="/authorize"'
          threshold: 250ms
    - name: authorize-latency
      objective: 99
      window: 30d
      sli:
        latency:
          metric: http_request_duration_seconds
          matchers: 'job="payments-gateway",handler="/authorize"'
          threshold: 300ms
    - name: renamed-metric
      objective: 99.9
      window: 30d
      sli:
        events:
          errorQuery: sum(rate(payments_requests_total{code=~"5.."}[{{.window}}]))
          totalQuery: sum(rate(payments_requests_total[{{.window}}]))
`;

let demo: DemoService;
let istio: DemoService;
let kuadrant300: string;
let native: NativeHistogramTarget;
let prometheus: PrometheusServer;
let work: string;
let brokenFile: string;
let traffic: NodeJS.Timeout;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'burnrate-verify-'));
  brokenFile = join(work, 'payments-gateway.yaml');
  await writeFile(brokenFile, BROKEN_CATALOG);
  kuadrant300 = join(work, 'kuadrant-slo-latency-300.yaml');
  await writeFile(kuadrant300, (await readFile(kuadrantSpec, 'utf8')).replace('le="250"', 'le="300"'));
  demo = await startDemoService();
  const registry = new Registry();
  const istioDuration = new Histogram({
    name: 'istio_request_duration_milliseconds',
    help: 'Istio request duration.',
    labelNames: ['job', 'response_code', 'request_host'],
    buckets: ISTIO_BUCKETS,
    registers: [registry],
  });
  for (const ms of [40, 120, 180, 600])
    istioDuration.observe(
      { job: 'ingress-metrics-proxy', response_code: '200', request_host: 'api.example.com' },
      ms,
    );
  istio = await serveRegistry(registry);
  // storefront-web's page-latency SLO reads a native histogram, which prom-client cannot expose.
  native = await startNativeHistogramTarget('http_server_request_duration_seconds', {
    service_name: 'storefront-web',
    http_route: '/',
    http_request_method: 'GET',
  });
  traffic = setInterval(() => native.observe(0.1), 200);
  prometheus = await startPrometheus({
    extraArgs: ['--enable-feature=native-histograms'],
    config: {
      scrape_configs: [
        {
          job_name: 'demo',
          scrape_interval: '1s',
          honor_labels: true,
          static_configs: [{ targets: [`127.0.0.1:${demo.port}`] }],
        },
        {
          job_name: 'native',
          scrape_interval: '1s',
          honor_labels: true,
          static_configs: [{ targets: [`127.0.0.1:${native.port}`] }],
        },
        {
          job_name: 'istio',
          scrape_interval: '1s',
          honor_labels: true,
          static_configs: [{ targets: [`127.0.0.1:${istio.port}`] }],
        },
      ],
    },
  });
  const deadline = Date.now() + 60_000;
  while (
    (
      await prometheus.query(
        'count(up == 1) == 3 and on() count(http_server_request_duration_seconds{service_name="storefront-web"})',
      )
    ).length === 0
  ) {
    if (Date.now() > deadline) throw new Error('Prometheus never scraped both targets');
    await new Promise((r) => setTimeout(r, 500));
  }
}, 120_000);

afterAll(async () => {
  clearInterval(traffic);
  await prometheus?.stop();
  await demo?.stop();
  await istio?.stop();
  await native?.stop();
  await rm(work, { recursive: true, force: true });
});

describe('burnrate verify', () => {
  it('passes the example catalog: every SLO reads series the demo service exposes', async () => {
    const result = await cli(['verify', '--prometheus', prometheus.url, '--catalog', join(root, 'catalog')]);
    expect(result.stderr).not.toMatch(/could never alert:/);
    expect(result.stderr).toMatch(
      /^ok: 19 SLOs checked against http:\/\/127\.0\.0\.1:\d+ over 1h: \d+ can alert, 0 could never alert/m,
    );
    expect(result.code, result.stderr).toBe(0);
  });

  it('names the SLO whose threshold bucket does not exist, with the buckets that do, and exits 1', async () => {
    const result = await cli(['verify', '--prometheus', prometheus.url, '--catalog', brokenFile]);
    const lines = result.stderr.split('\n').filter((l) => l.includes(': could never alert:'));
    expect(lines).toEqual([
      `${brokenFile}:23:7: payments-gateway/authorize-latency: could never alert: bucket le="0.3" does not exist; ` +
        'http_request_duration_seconds_bucket{job="payments-gateway", handler="/authorize"} has le 0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10, +Inf',
      `${brokenFile}:31:7: payments-gateway/renamed-metric: could never alert: no series payments_requests_total in the last 1h`,
    ]);
    expect(result.stderr).toMatch(/^failed: 4 SLOs checked .*: 2 can alert, 2 could never alert$/m);
    expect(result.code).toBe(1);
  });

  it('checks the bucket a Sloth latency SLI reads in its error query (a public spec as written)', async () => {
    const passing = await cli(['verify', '--prometheus', prometheus.url, '--catalog', kuadrantSpec]);
    expect(passing.stderr).toMatch(/^ok: 1 SLO checked .*: 1 can alert, 0 could never alert$/m);
    expect(passing.code).toBe(0);
    const failing = await cli(['verify', '--prometheus', prometheus.url, '--catalog', kuadrant300]);
    expect(failing.stderr).toContain(
      `${kuadrant300}:11:7: kuadrant/requests-latency: could never alert: bucket le="300" does not exist; ` +
        'istio_request_duration_milliseconds_bucket{job="ingress-metrics-proxy", response_code="200"} has le 0.5, 1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000, 300000, 600000, 1800000, 3600000, +Inf',
    );
    expect(failing.code).toBe(1);
  });

  it('reports the same findings as JSON', async () => {
    const result = await cli([
      'verify',
      '--prometheus',
      prometheus.url,
      '--catalog',
      brokenFile,
      '--format',
      'json',
    ]);
    const report = JSON.parse(result.stdout) as {
      ok: boolean;
      slos: {
        slo: string;
        outcome: string;
        series: { selector: string; exists: boolean; histogramLes?: string[] }[];
      }[];
    };
    expect(result.code).toBe(1);
    expect(report.ok).toBe(false);
    expect(report.slos.map((s) => [s.slo, s.outcome])).toEqual([
      ['availability', 'ok'],
      ['fast-enough', 'ok'],
      ['authorize-latency', 'never-alerts'],
      ['renamed-metric', 'never-alerts'],
    ]);
    const bucket = report.slos[2]!.series[1]!;
    expect(bucket).toMatchObject({
      selector:
        'http_request_duration_seconds_bucket{job="payments-gateway", handler="/authorize", le="0.3"}',
      exists: false,
    });
    expect(bucket.histogramLes).toContain('0.25');
  });

  it('sends --header and the bearer token from PROMETHEUS_BEARER_TOKEN', async () => {
    const seen: Record<string, string | string[] | undefined>[] = [];
    const proxy = await startProxy(prometheus.url, (headers) =>
      seen.push({ tenant: headers['x-scope-orgid'], auth: headers.authorization }),
    );
    try {
      const result = await cli(
        [
          'verify',
          '--prometheus',
          proxy.url,
          '--catalog',
          join(root, 'catalog'),
          '--header',
          'X-Scope-OrgID: team-a',
        ],
        { PROMETHEUS_BEARER_TOKEN: 's3cret' },
      );
      expect(result.code, result.stderr).toBe(0);
      expect(seen.length).toBeGreaterThan(0);
      expect(seen.every((h) => h.tenant === 'team-a' && h.auth === 'Bearer s3cret')).toBe(true);
    } finally {
      await proxy.stop();
    }
  });

  it('says so when Prometheus is unreachable, with exit 1 and no stack trace', async () => {
    const url = `http://127.0.0.1:${await freePort()}`;
    const result = await cli(['verify', '--prometheus', url, '--catalog', brokenFile]);
    expect(result.stderr).toBe(
      `burnrate: cannot reach Prometheus at ${url}: connect ECONNREFUSED ${url.slice(7)}`,
    );
    expect(result.code).toBe(1);
  });

  it('says so when the URL answers no Prometheus API, with exit 1', async () => {
    const result = await cli([
      'verify',
      '--prometheus',
      `${prometheus.url}/not-prometheus`,
      '--catalog',
      brokenFile,
    ]);
    expect(result.stderr).toMatch(
      /^burnrate: http:\/\/127\.0\.0\.1:\d+\/not-prometheus\/api\/v1\/query answered 404 with no Prometheus API answer: 404 page not found$/,
    );
    expect(result.code).toBe(1);
  });

  it("passes on Prometheus' own error for a query it refuses", async () => {
    const client = new PrometheusClient({ baseUrl: prometheus.url, fetch: (url, init) => fetch(url, init) });
    const error = await client.query('sum(').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PrometheusClientError);
    expect(error).toMatchObject({ code: 'prometheus-error', status: 400 });
    expect((error as Error).message).toMatch(/\/api\/v1\/query answered 400: bad_data: .*parse error/);
  });

  it('answers usage mistakes with exit 2', async () => {
    expect((await cli(['verify', '--catalog', brokenFile])).code).toBe(2);
    expect((await cli(['verify', '--prometheus', 'localhost:9090', '--catalog', brokenFile])).code).toBe(2);
    expect((await cli(['verify', '--prometheus', prometheus.url, '--lookback', 'an hour'])).code).toBe(2);
    expect((await cli(['verify', '--prometheus', prometheus.url, '--header', 'no colon'])).code).toBe(2);
    expect((await cli(['verify', '--prometheus', prometheus.url, '--format', 'xml'])).code).toBe(2);
  });

  // It stops the native-histogram target: keep it after the tests that read it.
  it('counts a series as existing only within --lookback', async () => {
    const storefront = join(root, 'catalog/storefront/storefront-web.yaml');
    clearInterval(traffic);
    await native.stop();
    await new Promise((r) => setTimeout(r, 3000));
    const recent = await cli([
      'verify',
      '--prometheus',
      prometheus.url,
      '--catalog',
      storefront,
      '--lookback',
      '2s',
    ]);
    expect(recent.stderr).toMatch(
      /storefront-web\/page-latency: could never alert: no series http_server_request_duration_seconds\{service_name="storefront-web", http_request_method="GET"\} in the last 2s/,
    );
    expect(recent.code).toBe(1);
    const hour = await cli(['verify', '--prometheus', prometheus.url, '--catalog', storefront]);
    expect(hour.code, hour.stderr).toBe(0);
  });

  it('refuses an invalid catalog before asking Prometheus', async () => {
    const result = await cli([
      'verify',
      '--prometheus',
      prometheus.url,
      '--catalog',
      join(root, 'test/catalog/bad'),
    ]);
    expect(result.stderr).toMatch(/invalid catalog: \d+ errors; nothing verified/);
    expect(result.code).toBe(1);
  });
});

/** A pass-through proxy in front of the real Prometheus that records the request headers. */
async function startProxy(
  target: string,
  onRequest: (headers: Record<string, string | string[] | undefined>) => void,
) {
  const upstream = new URL(target);
  const server: Server = createServer((req, res) => {
    onRequest(req.headers);
    const forward = request(
      {
        host: upstream.hostname,
        port: upstream.port,
        path: req.url,
        method: req.method,
        headers: req.headers,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    req.pipe(forward);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { url: `http://127.0.0.1:${port}`, stop: () => new Promise<void>((r) => server.close(() => r())) };
}
