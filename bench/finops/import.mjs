// Import 1,000,000 FOCUS rows from CSV (`burnrate cost import`'s code path: COPY the raw file,
// check every row and sum to daily lines in PostgreSQL, replace in one transaction) against the floor:
// `psql \copy` of the same file into a bare table of the same columns, in the same run. Then the
// weekly cost reports of the file's 200 teams over that data (goal <= 200 ms each).
import { execFile } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

import { scratchDatabase } from '../support/scratch-database.mjs';
import { buildCostReport, importFocusFiles, parseIsoWeek, weekContext } from '@burnrate/finops';
import { openDataSource } from '@burnrate/persistence';

const run = promisify(execFile);
const ROWS = Number(process.env.BENCH_FOCUS_ROWS ?? 1_000_000);
const COLUMNS = [
  'BillingAccountId',
  'BillingAccountName',
  'SubAccountId',
  'ProviderName',
  'PublisherName',
  'InvoiceIssuerName',
  'ServiceName',
  'ServiceCategory',
  'RegionId',
  'ChargeCategory',
  'ChargeClass',
  'ChargeDescription',
  'BillingPeriodStart',
  'BillingPeriodEnd',
  'ChargePeriodStart',
  'ChargePeriodEnd',
  'BilledCost',
  'EffectiveCost',
  'ListCost',
  'ContractedCost',
  'PricingQuantity',
  'PricingUnit',
  'BillingCurrency',
  'Tags',
];

const dir = await mkdtemp(join(tmpdir(), 'burnrate-bench-focus-'));
const file = join(dir, 'focus.csv');
const out = createWriteStream(file);
out.write(`${COLUMNS.join(',')}\n`);
// Hourly charges, as a real export has them: 24 rows per account, service, team and day, so the
// file sums to about 42,000 daily lines, 30 days of November for each of 200 teams.
for (let i = 0; i < ROWS; i++) {
  const j = Math.floor(i / 24);
  const day = String(1 + (j % 30)).padStart(2, '0');
  const hour = String(i % 24).padStart(2, '0');
  const team = Math.floor(j / 30) % 200;
  const service = Math.floor(j / 6000) % 10;
  const cost = ((i % 997) / 1000 + 0.0001).toFixed(6);
  const line = `1111222233${team % 10},Main,sub-${team % 40},AWS,AWS,AWS,service-${service},Compute,us-east-1,Usage,,usage,2026-11-01T00:00:00Z,2026-12-01T00:00:00Z,2026-11-${day}T${hour}:00:00Z,2026-11-${day}T${hour}:59:59Z,${cost},${cost},${cost},${cost},1,Hours,USD,"{""team"":""team-${team}"",""env"":""prod""}"\n`;
  if (!out.write(line)) await new Promise((r) => out.once('drain', r));
}
await new Promise((r) => out.end(r));

const database = await scratchDatabase('bench_focus');
try {
  const db = await openDataSource({ kind: 'postgres', url: database.url });
  await db.query(
    `CREATE TABLE focus_bare (${COLUMNS.map((c) => `"${c}" ${/Cost|Quantity/.test(c) ? 'numeric' : 'text'}`).join(', ')})`,
  );
  const teams = Array.from({ length: 200 }, (_, i) => ({
    name: `team-${i}`,
    cost: { allocation: { tags: { team: [`team-${i}`] }, awsAccounts: [], azureSubscriptions: [] } },
  }));
  const catalog = { teams, defaults: { sharedCosts: [] } };
  const rounds = [];
  for (let round = 0; round < 3; round++) {
    await db.query('TRUNCATE focus_bare');
    let t = performance.now();
    await run('psql', [
      database.url,
      '-q',
      '-c',
      `\\copy focus_bare FROM '${file}' WITH (FORMAT csv, HEADER true)`,
    ]);
    const floor = (performance.now() - t) / 1000;
    t = performance.now();
    const summary = await importFocusFiles(db, [file], { catalog });
    const ours = (performance.now() - t) / 1000;
    // The fast path (COPY of the raw bytes) must have taken the file, or the figure means nothing.
    if (summary.rowByRow.length > 0) throw new Error(`read row by row: ${summary.rowByRow.join(', ')}`);
    rounds.push({ floor, ours, lines: summary.lines, total: summary.totals.USD });
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[1];
  const ours = median(rounds.map((r) => r.ours));
  const floor = median(rounds.map((r) => r.floor));
  console.log(
    JSON.stringify({
      bench: 'focus-import',
      rows: ROWS,
      lines: rounds[0].lines,
      oursSeconds: ours,
      copyFloorSeconds: floor,
      ratio: ours / floor,
      rowsPerSecond: ROWS / ours,
      peakRssMiB: process.resourceUsage().maxRSS / 1024,
    }),
  );
  // The weekly reports of every team over what was just imported.
  const started = performance.now();
  const context = await weekContext(db, parseIsoWeek('2026-W47'), ['team']);
  const each = [];
  for (const team of teams) {
    const t = performance.now();
    await buildCostReport(db, { name: team.name }, context);
    each.push(performance.now() - t);
  }
  each.sort((a, b) => a - b);
  const q = (p) => each[Math.min(each.length - 1, Math.floor(p * each.length))];
  console.log(
    JSON.stringify({
      bench: 'focus-import-reports',
      teams: teams.length,
      week: '2026-W47',
      totalSeconds: (performance.now() - started) / 1000,
      p50Ms: q(0.5),
      p99Ms: q(0.99),
      maxMs: each.at(-1),
      goalMs: 200,
    }),
  );
  await db.destroy();
} finally {
  await database.drop();
  await rm(dir, { recursive: true, force: true });
}
