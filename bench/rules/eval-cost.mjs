// Rule evaluation cost, ours vs Sloth-shaped rules, for the same 500 SLOs on the same series, in
// one real Prometheus 2.42 each (run one after the other on the same machine):
// - a day of history backfilled with `promtool tsdb create-blocks-from openmetrics`, so day-scale
//   windows read real data (Sloth's 3d rate therefore reads 1 day, which flatters Sloth);
// - a tiny exporter serving the same counters live, scraped every 15s;
// - cost = sum over groups of mean `prometheus_rule_group_last_duration_seconds` x evaluations
//   per minute (group interval), sampled after a warm-up; plus CPU seconds and recorded series.
import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createWriteStream } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { generateRules, toYaml } from '@burnrate/rules';
import { startPrometheus } from '../../test/support/prometheus.ts';
import { syntheticCatalog } from './synthetic-slos.mjs';
import { slothGroups } from './sloth-shape.mjs';

const SERVICES = Number(process.env.BENCH_SERVICES ?? 100);
const WARMUP_S = Number(process.env.BENCH_WARMUP_S ?? 90);
const MEASURE_S = Number(process.env.BENCH_MEASURE_S ?? 330);
const HISTORY_S = 86_400;
const BACKFILL_STEP_S = 120;

const catalog = syntheticCatalog({ services: SERVICES, slosPerService: 5 });
const slos = catalog.services.flatMap((s) => s.slos);
const work = await mkdtemp(join(tmpdir(), 'burnrate-bench-eval-'));

/** Every raw series with its rate per second; counters are rate x seconds since `epoch`. */
function rawSeries() {
  const out = [];
  for (const slo of slos) {
    const sel = `service="${slo.service}",route="/r${slo.name.split('-').pop()}"`;
    for (const instance of ['a', 'b']) {
      if (slo.sli.kind === 'events') {
        out.push({
          name: 'http_requests_total',
          labels: `${sel},code="200",instance="${instance}"`,
          rate: 10,
        });
        out.push({
          name: 'http_requests_total',
          labels: `${sel},code="500",instance="${instance}"`,
          rate: 0.01,
        });
      } else {
        out.push({
          name: 'http_request_duration_seconds_count',
          labels: `${sel},instance="${instance}"`,
          rate: 10,
        });
        out.push({
          name: 'http_request_duration_seconds_bucket',
          labels: `${sel},instance="${instance}",le="0.3"`,
          rate: 9.95,
        });
      }
    }
  }
  return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

const series = rawSeries();
const now = Math.floor(Date.now() / 1000);
const epoch = now - HISTORY_S;
const value = (s, t) => (s.rate * (t - epoch)).toFixed(3);

async function backfill() {
  const file = join(work, 'history.om');
  const out = createWriteStream(file);
  const write = (text) => (out.write(text) ? undefined : new Promise((r) => out.once('drain', r)));
  const end = now - 60;
  for (const s of series) {
    let chunk = '';
    for (let t = epoch; t <= end; t += BACKFILL_STEP_S)
      chunk += `${s.name}{${s.labels}} ${value(s, t)} ${t}\n`;
    await write(chunk);
  }
  await write('# EOF\n');
  await new Promise((r) => out.end(r));
  const blocks = join(work, 'blocks');
  await promisify(execFile)('promtool', ['tsdb', 'create-blocks-from', 'openmetrics', file, blocks], {
    maxBuffer: 1 << 26,
  });
  await rm(file);
  return blocks;
}

function startExporter() {
  const server = createServer((_req, res) => {
    const t = Math.floor(Date.now() / 1000);
    res.setHeader('Content-Type', 'text/plain; version=0.0.4');
    res.end(series.map((s) => `${s.name}{${s.labels}} ${value(s, t)}\n`).join(''));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

async function measure(name, ruleTexts, blocks, exporterPort) {
  const dir = join(work, name);
  await mkdir(join(dir, 'rules'), { recursive: true });
  await Promise.all(ruleTexts.map((text, i) => writeFile(join(dir, 'rules', `${i}.yaml`), text)));
  const rules = join(dir, 'rules', '*.yaml');
  await cp(blocks, join(dir, 'data'), { recursive: true });
  const prom = await startPrometheus({
    ruleFiles: [rules],
    dataDir: join(dir, 'data'),
    evaluationInterval: '1m',
    config: {
      scrape_configs: [
        {
          job_name: 'synthetic',
          scrape_interval: '15s',
          static_configs: [{ targets: [`127.0.0.1:${exporterPort}`] }],
        },
      ],
    },
  });
  try {
    await sleep(WARMUP_S * 1000);
    const cpu0 = await selfMetric(prom, 'process_cpu_seconds_total');
    const seen = new Map(); // group -> Map(evaluation timestamp -> duration)
    const deadline = Date.now() + MEASURE_S * 1000;
    while (Date.now() < deadline) {
      for (const group of await prom.ruleGroups()) {
        if (!group.lastEvaluation || group.lastEvaluation.startsWith('0001')) continue;
        const evals = seen.get(group.name) ?? new Map();
        evals.set(group.lastEvaluation, { seconds: group.evaluationTime, interval: group.interval });
        seen.set(group.name, evals);
      }
      await sleep(10_000);
    }
    const cpu1 = await selfMetric(prom, 'process_cpu_seconds_total');
    let perMinute = 0;
    let evaluations = 0;
    for (const evals of seen.values()) {
      const list = [...evals.values()];
      const mean = list.reduce((n, e) => n + e.seconds, 0) / list.length;
      perMinute += mean * (60 / list[0].interval);
      evaluations += list.length;
    }
    const recorded = await scalar(prom, 'count({__name__=~"slo:.+|sloth_slo_info"})');
    const rulesCount = (await prom.ruleGroups()).reduce((n, g) => n + g.rules.length, 0);
    return {
      groups: seen.size,
      rules: rulesCount,
      evaluations,
      evalSecondsPerMinute: perMinute,
      cpuSecondsPerMinute: ((cpu1 - cpu0) / MEASURE_S) * 60,
      recordedSeries: recorded,
      headSeries: await selfMetric(prom, 'prometheus_tsdb_head_series'),
    };
  } finally {
    await prom.stop();
  }
}

/** A metric of Prometheus itself, read from its /metrics (it does not scrape itself here). */
async function selfMetric(prom, name) {
  const text = await (await fetch(`${prom.url}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  return line ? Number(line.split(' ')[1]) : NaN;
}

async function scalar(prom, expr) {
  const result = await prom.query(expr);
  return result.length > 0 ? Number(result[0].value[1]) : 0;
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

try {
  const started = performance.now();
  const blocks = await backfill();
  const backfillSeconds = (performance.now() - started) / 1000;
  const exporter = await startExporter();
  const port = exporter.address().port;
  const oursFiles = generateRules(catalog, { grafanaUrl: 'http://grafana', promtoolTests: false })
    .filter((f) => f.path.startsWith('rules/prometheus/'))
    .map((f) => f.content);
  const ours = await measure('ours', oursFiles, blocks, port);
  const sloth = await measure('sloth', [toYaml({ groups: slothGroups(catalog) })], blocks, port);
  exporter.close();
  console.log(
    JSON.stringify({
      bench: 'rules-eval-cost',
      slos: slos.length,
      rawSeries: series.length,
      historyHours: HISTORY_S / 3600,
      backfillSeconds,
      ours,
      sloth,
      evalCostRatio: ours.evalSecondsPerMinute / sloth.evalSecondsPerMinute,
      cpuRatio: ours.cpuSecondsPerMinute / sloth.cpuSecondsPerMinute,
      recordedSeriesRatio: ours.recordedSeries / sloth.recordedSeries,
    }),
  );
} finally {
  await rm(work, { recursive: true, force: true });
}
