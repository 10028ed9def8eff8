import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Gauge, Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCatalog } from '@burnrate/catalog';
import { generateDashboards } from '@burnrate/dashboards';
import { generateRules } from '@burnrate/rules';
import { startPrometheus, type PrometheusServer } from '../support/prometheus.js';
import { queriesOf, type DashboardJson } from './dashboard-checks.js';
import { serveRegistry, startDemoService, type DemoService } from './demo-service.js';
import { startNativeHistogramTarget, type NativeHistogramTarget } from './native-histogram-target.js';

/**
 * The dashboards' PromQL against a real Prometheus running the generated rules over a demo
 * service's metrics. To get data in seconds instead of hours, the loaded copy of the rules
 * evaluates every second and tiles long windows by the second instead of by five minutes;
 * the dashboard queries themselves run exactly as generated.
 */
const root = join(import.meta.dirname, '../..');

let prometheus: PrometheusServer;
let demo: DemoService;
let native: NativeHistogramTarget;
let lokiRuler: DemoService;
let traffic: NodeJS.Timeout;
let work: string;
let boards: DashboardJson[];

beforeAll(async () => {
  const { catalog } = await loadCatalog([join(root, 'catalog')]);
  demo = await startDemoService();
  // storefront-web's page-latency SLO reads a native histogram, which prom-client cannot expose.
  native = await startNativeHistogramTarget('http_server_request_duration_seconds', {
    service_name: 'storefront-web',
    http_route: '/',
    http_request_method: 'GET',
  });
  let tick = 0;
  traffic = setInterval(() => {
    for (let i = 0; i < 50; i++) native.observe(0.02 * (((tick * 50 + i) % 60) + 1)); // 20 ms to 1.2 s
    tick++;
  }, 200);
  // No Loki runs here: a target stands in for the Loki ruler, exposing the two series its
  // recording rules remote-write for event-ingest's logs SLI (2% error lines).
  const ruler = new Registry();
  for (const [name, value] of [
    ['slo:sli_total:rate5m', 50],
    ['slo:sli_errors:rate5m', 1],
  ] as const) {
    new Gauge({
      name,
      help: 'As the Loki ruler records it.',
      labelNames: ['service', 'slo'],
      registers: [ruler],
    }).set({ service: 'event-ingest', slo: 'batch-success' }, value);
  }
  lokiRuler = await serveRegistry(ruler);
  work = await mkdtemp(join(tmpdir(), 'burnrate-dash-'));
  const ruleFiles: string[] = [];
  for (const file of generateRules(catalog, { grafanaUrl: 'http://grafana', promtoolTests: false })) {
    if (!file.path.startsWith('rules/prometheus/')) continue;
    const path = join(work, file.path.replaceAll('/', '_'));
    await writeFile(path, file.content.replace(/interval: \d+m/g, 'interval: 1s').replace(/:5m\]/g, ':1s]'));
    ruleFiles.push(path);
  }
  prometheus = await startPrometheus({
    ruleFiles,
    extraArgs: ['--enable-feature=native-histograms'],
    evaluationInterval: '1s',
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
          job_name: 'loki-ruler',
          scrape_interval: '1s',
          honor_labels: true,
          static_configs: [{ targets: [`127.0.0.1:${lokiRuler.port}`] }],
        },
      ],
    },
  });
  boards = generateDashboards(catalog, { grafanaUrl: 'http://grafana' })
    .filter((f) => f.path.endsWith('.json'))
    .map((f) => JSON.parse(f.content) as DashboardJson);
  // Enough scrapes for rate() and every recorded window to hold samples.
  // Wait until each of the 19 example SLOs has its period ratio.
  await waitFor(
    async () => (await prometheus.query('slo:sli_error:ratio{window=~"30d|28d|7d"}')).length >= 19,
    90_000,
  );
  // The demo's 1% of errors burns the 99.9% SLOs ten times too fast: every team has alerts
  // firing, so the panels listing them have rows too.
  await waitFor(
    async () => (await prometheus.query('count by (team) (ALERTS{alertstate="firing"})')).length === 4,
    60_000,
  );
}, 150_000);

afterAll(async () => {
  clearInterval(traffic);
  await prometheus?.stop();
  await demo?.stop();
  await native?.stop();
  await lokiRuler?.stop();
  await rm(work, { recursive: true, force: true });
});

describe('dashboard queries against Prometheus running the generated rules', () => {
  it('read the native-histogram SLI: 23 of every 60 page loads take longer than 750 ms', async () => {
    const [ratio] = await prometheus.query(
      'slo:sli_error:ratio{service="storefront-web", slo="page-latency", window="5m"}',
    );
    expect(Number(ratio?.value[1])).toBeCloseTo(23 / 60, 1);
  });

  it('return data for the demo services', async () => {
    const queries = boards.flatMap((b) =>
      queriesOf(b)
        .filter((q) => q.language === 'promql')
        .map((q) => ({ ...q, board: b.uid })),
    );
    expect(queries.length).toBeGreaterThan(100);
    const empty: string[] = [];
    let ran = 0;
    for (const { board, panel, query } of queries) {
      const expr = query
        .replace(/\$__rate_interval/g, '1m')
        .replace(/\$__range/g, '10m')
        .replace(/\$service/g, 'checkout-api')
        .replace(/\$slo/g, 'availability');
      ran++;
      if ((await prometheus.query(expr)).length === 0) empty.push(`${board} / ${panel}: ${expr}`);
    }
    expect(empty).toEqual([]);
    expect(ran).toBeGreaterThan(100);
  });
});

async function waitFor(check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 1000));
  }
  throw new Error(`not ready within ${timeoutMs} ms`);
}
