// `npm run bench`: every benchmark in a fresh Node process (so peak memory is its own), printed
// as JSON lines and a summary with the side-by-side ratios. Benchmarks compared with each other
// run interleaved, `BENCH_ROUNDS` times (default 5), and the summary takes their medians, so a
// burst of load on a shared machine moves both sides alike.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const only = process.argv.slice(2);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);

/** [name, script, args, rounds] */
const benches = [
  ['validate', 'bench/validate/validate.mjs', ['ours'], ROUNDS],
  ['validate-floor', 'bench/validate/validate.mjs', ['floor'], ROUNDS],
  ['rules-generate', 'bench/rules/generate.mjs', [], 1],
  ['rules-eval-cost', 'bench/rules/eval-cost.mjs', [], 1],
  ['yaml-writer-ours', 'bench/rules/yaml-writer.mjs', ['ours'], 3],
  ['yaml-writer-library', 'bench/rules/yaml-writer.mjs', ['library'], 3],
  ['dashboards-generate', 'bench/dashboards/generate.mjs', [], 1],
  // Server start to ready and idle RSS, embedded PGlite against PostgreSQL (DATABASE_URL or the local test server).
  ['server-startup-pglite', 'bench/server/startup.mjs', ['pglite'], ROUNDS],
  ['server-startup-postgres', 'bench/server/startup.mjs', ['postgres'], ROUNDS],
  // 10,000 SLOs: refresh cycle (queries, time, RSS), snapshot writes against psql \copy, history, API latency.
  ['status-refresh', 'bench/status/refresh.mjs', [], 1],
  // 2,000 alert groups through the webhook: acknowledgement p50/p99, time until all are delivered.
  ['alerts-burst-unthrottled', 'bench/alerts/burst.mjs', ['unthrottled'], 1],
  ['alerts-burst-slack', 'bench/alerts/burst.mjs', ['slack'], 1],
  // 1,000,000 FOCUS rows: `cost import` against `psql \copy` of the same file (3 rounds, medians).
  ['focus-import', 'bench/finops/import.mjs', [], 1],
  // 200 teams' weekly cost reports over five weeks of rollups: time per report (goal <= 200 ms).
  ['cost-reports', 'bench/finops/reports.mjs', [], 1],
];

const selected = benches.filter(([name, script]) => {
  if (only.length > 0 && !only.some((o) => name.startsWith(o))) return false;
  if (existsSync(`${root}${script}`)) return true;
  console.error(`skip ${name}: ${script} not present`);
  return false;
});

const results = {};
const rounds = Math.max(0, ...selected.map(([, , , n]) => n));
for (let round = 1; round <= rounds; round++) {
  for (const [name, script, args, n] of selected) {
    if (round > n) continue;
    const run = spawnSync(process.execPath, [script, ...args], {
      cwd: root,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    if (run.status !== 0) {
      console.error(`${name} failed with exit ${run.status}`);
      process.exitCode = 1;
      continue;
    }
    const lines = run.stdout
      .trim()
      .split('\n')
      .filter((l) => l.startsWith('{'));
    (results[name] ??= []).push(...lines.map((l) => JSON.parse(l)));
    for (const line of lines) console.log(line);
  }
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

const ours = results.validate;
const floor = results['validate-floor'];
if (ours?.length && floor?.length) {
  const [o, f] = [median(ours.map((r) => r.seconds)), median(floor.map((r) => r.seconds))];
  const ratios = ours.map((r, i) => (floor[i] ? r.seconds / floor[i].seconds : NaN)).filter(Number.isFinite);
  console.log(
    `validate ${ours[0].services} services / ${ours[0].slos} SLOs: median ${o.toFixed(2)} s of ${ours.length} runs, ` +
      `peak RSS ${Math.max(...ours.map((r) => r.peakRssMiB)).toFixed(0)} MiB; YAML-parse floor median ${f.toFixed(2)} s ` +
      `(ratio ${(o / f).toFixed(2)}x; per round ${Math.min(...ratios).toFixed(2)}-${Math.max(...ratios).toFixed(2)}x)`,
  );
}

const writerOurs = results['yaml-writer-ours'];
const writerLibrary = results['yaml-writer-library'];
if (writerOurs?.length && writerLibrary?.length) {
  const [o, l] = [median(writerOurs.map((r) => r.seconds)), median(writerLibrary.map((r) => r.seconds))];
  console.log(
    `yaml writer, ${writerOurs[0].files} rule files: ours median ${o.toFixed(2)} s, the yaml library's stringify ${l.toFixed(2)} s (ratio ${(l / o).toFixed(1)}x)`,
  );
}

const startups = [...(results['server-startup-pglite'] ?? []), ...(results['server-startup-postgres'] ?? [])];
for (const key of [...new Set(startups.map((r) => `${r.bench}/${r.data}`))]) {
  const runs = startups.filter((r) => `${r.bench}/${r.data}` === key);
  console.log(
    `${key.replace('server-startup-', 'server start on ')} data: ready in median ${median(runs.map((r) => r.readySeconds)).toFixed(2)} s, ` +
      `idle RSS median ${median(runs.map((r) => r.idleRssMiB)).toFixed(0)} MiB of ${runs.length} runs`,
  );
}

for (const name of ['focus-import-reports', 'cost-reports']) {
  const reports = Object.values(results)
    .flat()
    .find((r) => r.bench === name);
  if (!reports) continue;
  console.log(
    `weekly cost reports of ${reports.teams} teams (${name === 'cost-reports' ? `${reports.dailyLines} pulled daily lines` : 'over the imported FOCUS file'}): ` +
      `per report p50 ${reports.p50Ms.toFixed(1)} ms, p99 ${reports.p99Ms.toFixed(1)} ms, max ${reports.maxMs.toFixed(1)} ms (goal <= ${reports.goalMs} ms)`,
  );
}

const status = results['status-refresh']?.[0];
if (status) {
  console.log(
    `status refresh, ${status.slos} SLOs: ${status.queriesPerCycle} Prometheus queries per cycle (${status.samplesPerCycle} series), ` +
      `cycle median ${status.cycleSecondsMedian.toFixed(2)} s (max ${status.cycleSecondsMax.toFixed(2)} s), peak RSS ${status.cyclePeakRssMiB.toFixed(0)} MiB; ` +
      `writing a cycle ${(status.snapshotWriteSecondsMedian * 1000).toFixed(0)} ms against psql \\copy of its snapshots ${(status.copyFloorSeconds * 1000).toFixed(0)} ms ` +
      `(ratio ${status.snapshotWriteVsCopy.toFixed(2)}x); 90-day history of one SLO (${status.history90dPoints} points, ${status.snapshotRows} rows in the table) ` +
      `median ${status.history90dMsMedian.toFixed(1)} ms; GET /api/v1/slos?team= (${status.apiItemsPerPage} items) p50 ${status.apiP50Ms.toFixed(1)} ms, p99 ${status.apiP99Ms.toFixed(1)} ms`,
  );
}

for (const mode of ['unthrottled', 'slack']) {
  const burst = results[`alerts-burst-${mode}`]?.[0];
  if (!burst) continue;
  console.log(
    `alerts burst, ${burst.groups} groups to ${burst.destinations} ${mode === 'slack' ? 'Slack webhooks (1 message/s each)' : 'unthrottled webhooks'}: ` +
      `webhook ack with ${burst.concurrency} requests in flight p50 ${burst.ackP50Ms.toFixed(1)} ms, p99 ${burst.ackP99Ms.toFixed(1)} ms (max ${burst.ackMaxMs.toFixed(0)} ms), ` +
      `one at a time p50 ${burst.sequentialAckP50Ms.toFixed(1)} ms, p99 ${burst.sequentialAckP99Ms.toFixed(1)} ms; ` +
      `all delivered in ${burst.deliveredSeconds.toFixed(1)} s${mode === 'slack' ? ` (the limit's floor ${burst.floorSeconds} s, ratio ${(burst.deliveredSeconds / burst.floorSeconds).toFixed(2)}x)` : ''}; ` +
      `${burst.duplicates} duplicates, ${burst.rateLimitBreaches} rate-limit breaches`,
  );
}

const focus = results['focus-import']?.[0];
if (focus) {
  console.log(
    `FOCUS import, ${focus.rows} rows (${focus.lines} daily lines): ours median ${focus.oursSeconds.toFixed(1)} s ` +
      `(${Math.round(focus.rowsPerSecond)} rows/s), psql \\copy into a bare table ${focus.copyFloorSeconds.toFixed(1)} s ` +
      `(ratio ${focus.ratio.toFixed(2)}x), peak RSS ${focus.peakRssMiB.toFixed(0)} MiB`,
  );
}
