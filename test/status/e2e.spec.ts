/**
 * End to end: a real Prometheus runs the rules `generate` writes for a test catalog (group
 * intervals shortened to 1s), scraping a demo service whose error share the test scripts. The
 * server refreshes status every second on PostgreSQL. Through an incident, /api/v1/slos must
 * report burn rates and budget within 2% of the values computed by hand from the injected
 * traffic, and its state must go ok -> burning -> ok in step with the ALERTS series Prometheus
 * reports at the same instants.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

import type { NestExpressApplication } from '@nestjs/platform-express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCatalog } from '@burnrate/catalog';
import { generateRules } from '@burnrate/rules';

import { createServer, loadServerConfig } from '../../apps/server/src/server.js';
import { aPostgresDatabase, type TestDatabase } from '../persistence/test-databases.js';
import { startPrometheus, type PrometheusServer } from '../support/prometheus.js';
import { startDemoTraffic, type DemoTraffic } from './demo-traffic.js';

const CATALOG = 'test/status/fixtures/e2e';
const BUDGET = 0.5; // objective 50%
const TILE_MS = 300_000;
const BASELINE_SHARE = 0.05;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Sample {
  evaluatedAt: string;
  state: string;
  burnRates: Record<string, number | null>;
  remaining: number | null;
  /** Whether Prometheus' own page alert was firing at evaluatedAt. */
  alertFiring?: boolean;
  /** When the rule evaluation whose ratios the status read ran (Unix ms). */
  dataAt?: number;
}

let home: string;
let demo: DemoTraffic;
let prometheus: PrometheusServer;
let database: TestDatabase;
let app: NestExpressApplication;
let baseUrl: string;
const samples: Sample[] = [];
let startedAt: number;

async function writeRules(): Promise<string[]> {
  const { catalog } = await loadCatalog([CATALOG]);
  const files = generateRules(catalog, { grafanaUrl: 'http://grafana', promtoolTests: false });
  const paths: string[] = [];
  for (const file of files) {
    const path = join(home, file.path);
    paths.push(path);
    await mkdir(dirname(path), { recursive: true });
    // Seconds, not minutes: the incident plays out in real time.
    await writeFile(path, file.content.replace(/^(\s*)interval: \S+$/gm, '$1interval: 1s'));
  }
  return paths;
}

async function sample(): Promise<void> {
  const response = await fetch(`${baseUrl}/api/v1/slos/demo/availability`);
  const body = (await response.json()) as {
    evaluatedAt: string | null;
    state: string;
    burnRates: Record<string, number | null>;
    errorBudget: { remaining: number | null };
  };
  if (!body.evaluatedAt || samples.at(-1)?.evaluatedAt === body.evaluatedAt) return;
  samples.push({
    evaluatedAt: body.evaluatedAt,
    state: body.state,
    burnRates: body.burnRates,
    remaining: body.errorBudget.remaining,
  });
}

/** Samples the API every 250 ms for `ms`. */
async function watch(ms: number): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    await sample();
    await sleep(250);
  }
}

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'burnrate-e2e-'));
  demo = await startDemoTraffic();
  demo.setErrorShare(BASELINE_SHARE);
  startedAt = Date.now();
  prometheus = await startPrometheus({
    ruleFiles: await writeRules(),
    evaluationInterval: '1s',
    config: {
      scrape_configs: [
        {
          job_name: 'demo',
          scrape_interval: '1s',
          static_configs: [{ targets: [`127.0.0.1:${demo.port}`] }],
        },
      ],
    },
  });
  database = await aPostgresDatabase();
  if (database.config.kind !== 'postgres') throw new Error('expected PostgreSQL');
  const config = loadServerConfig({
    PORT: '0',
    DATABASE_URL: database.config.url,
    PROMETHEUS_URL: prometheus.url,
    CATALOG_PATH: CATALOG,
    SLO_REFRESH_INTERVAL: '1s',
  });
  app = await createServer(config, { logger: ['error'] });
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address();
  if (address === null || typeof address === 'string') throw new Error('server is not listening on TCP');
  baseUrl = `http://127.0.0.1:${address.port}`;

  // The script: 90 s or more at 5% errors, a 45 s outage, then 5% again until the page has cleared
  // and a 5-minute tile boundary has passed since the start (the 1d budget adds up 5m tiles).
  // A tile ending inside the outage, or within seconds of its edges, would hang the budget on a
  // second's timing of scrapes and evaluations: the outage starts where no 5-minute boundary
  // falls within 10 s of it (90 s from now, or 10 s after the boundary that would).
  let outageAt = Date.now() + 90_000;
  const boundary = Math.ceil((outageAt - 10_000) / TILE_MS) * TILE_MS;
  if (boundary <= outageAt + 55_000) outageAt = boundary + 10_000;
  await watch(outageAt - Date.now());
  demo.setErrorShare(1);
  await watch(45_000);
  demo.setErrorShare(BASELINE_SHARE);
  await watch(75_000);
  const firstTile = Math.ceil((startedAt + 20_000) / TILE_MS) * TILE_MS;
  if (Date.now() < firstTile + 5_000) await watch(firstTile + 5_000 - Date.now());

  // What Prometheus itself said at each instant the API reported.
  for (const s of samples) {
    const alerts = await prometheus.query(
      'ALERTS{alertname="DemoAvailabilityBurn", severity="page", alertstate="firing"}',
      Date.parse(s.evaluatedAt) / 1000,
    );
    s.alertFiring = alerts.length > 0;
    const [evaluation] = await prometheus.query(
      'timestamp(slo:sli_error:ratio{service="demo", slo="availability", window="5m"})',
      Date.parse(s.evaluatedAt) / 1000,
    );
    s.dataAt = evaluation ? Number(evaluation.value[1]) * 1000 : undefined;
  }
}, 600_000);

afterAll(async () => {
  await app?.close();
  await prometheus?.stop();
  await demo?.stop();
  await database?.drop();
  await rm(home, { recursive: true, force: true });
});

const withData = () => samples.filter((s) => s.state !== 'no_data');

describe('SLO status end to end, against a live Prometheus and its own alerts', () => {
  it('goes ok -> burning -> ok', () => {
    const states = withData()
      .map((s) => s.state)
      .filter((state, i, all) => state !== all[i - 1]);
    expect(states).toEqual(['ok', 'burning', 'ok']);
  });

  it('says burning exactly when Prometheus fires the page, away from the transitions', () => {
    const data = withData();
    const flips = data
      .filter((s, i) => i > 0 && s.alertFiring !== data[i - 1]!.alertFiring)
      .map((s) => Date.parse(s.evaluatedAt));
    expect(flips).toHaveLength(2);
    // Within one evaluation of a flip, the API and ALERTS may have read neighbouring evaluations.
    const settled = data.filter((s) => flips.every((f) => Math.abs(Date.parse(s.evaluatedAt) - f) > 1_500));
    const disagree = settled.filter((s) => (s.state === 'burning') !== s.alertFiring);
    expect(settled.length).toBeGreaterThan(100);
    expect(disagree).toEqual([]);
  });

  it('reports burn rates within 2% of the injected traffic, before the incident and after it', () => {
    // Moments whose windows hold no moving edge of the outage: the steady 5% before it (30 s of
    // data at least), and the end, when the 5m window holds the whole outage.
    const data = withData();
    const before = data.filter((s) => {
      const age = Date.parse(s.evaluatedAt) - startedAt;
      return age > 30_000 && age < 85_000;
    });
    const after = data.slice(-10);
    expect(before.length).toBeGreaterThan(30);
    for (const s of [...before, ...after]) {
      // The hand count over the windows of the rule evaluation the status read: on a loaded
      // machine Prometheus' evaluations may trail the refresh by seconds.
      const at = s.dataAt!;
      for (const [window, ms] of [
        ['5m', 300_000],
        ['30m', 1_800_000],
        ['1h', 3_600_000],
      ] as const) {
        const hand = demo.ratioBetween(at - ms, at) / BUDGET;
        const why = `${window} at ${s.evaluatedAt} (data of ${new Date(at).toISOString()}): ours ${s.burnRates[window]}, by hand ${hand}; ${JSON.stringify(s.burnRates)}; log ${demo.log[0]!.at}..${demo.log.at(-1)!.at}, started ${startedAt}`;
        expect(Math.abs(s.burnRates[window]! - hand), why).toBeLessThanOrEqual(0.02 * hand);
      }
    }
    // The outage is in the end's windows: well above the baseline's 0.1.
    expect(after.at(-1)!.burnRates['5m']).toBeGreaterThan(0.3);
  });

  it('spends the budget from the 5m tiles of the 1d window, within 2% of the injected traffic', async () => {
    const last = withData().at(-1)!;
    // The 1d ratio the status read, and the tiles it summed, are those of Prometheus' own
    // evaluations: on a loaded machine they trail the 5-minute boundaries and the API's instant
    // by seconds, which near the outage's edges moves a tile's error share by several percent.
    const [ratio] = await prometheus.query(
      'timestamp(slo:sli_error:ratio{service="demo", slo="availability", window="1d"})',
      Date.parse(last.evaluatedAt) / 1000,
    );
    expect(ratio).toBeDefined();
    const at = Number(ratio!.value[1]) * 1000;
    let errors = 0;
    let total = 0;
    let tiles = 0;
    for (
      let boundary = Math.floor(at / TILE_MS) * TILE_MS;
      boundary > demo.firstScrapeAt!;
      boundary -= TILE_MS
    ) {
      // Each tile is the 5m rate recorded last at or before its boundary: its 5 minutes end there.
      const [tile] = await prometheus.query(
        'timestamp(slo:sli_errors:rate5m{service="demo", slo="availability"})',
        boundary / 1000,
      );
      if (!tile) continue;
      const end = Number(tile.value[1]) * 1000;
      for (const entry of demo.log) {
        if (entry.at > Math.max(end - TILE_MS, demo.firstScrapeAt!) && entry.at <= end) {
          errors += entry.errors;
          total += entry.total;
        }
      }
      tiles += 1;
    }
    expect(tiles).toBeGreaterThan(0);
    const hand = 1 - errors / total / BUDGET;
    expect(last.remaining).not.toBeNull();
    expect(
      Math.abs(last.remaining! - hand),
      `ours ${last.remaining}, by hand ${hand} over ${tiles} tiles`,
    ).toBeLessThanOrEqual(0.02 * Math.abs(hand));
  });
});
