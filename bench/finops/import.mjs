// Import 1,000,000 FOCUS rows from CSV (`burnrate cost import`'s code path: COPY the raw file,
// check every row and sum to daily lines in PostgreSQL, replace in one transaction) against the floor:
// `psql \copy` of the same file into a bare table of the same columns, in the same run.
import { execFile } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

import pg from 'pg';
import { importFocusFiles } from '@burnrate/finops';
import { openDataSource } from '@burnrate/persistence';

const run = promisify(execFile);
const ROWS = Number(process.env.BENCH_FOCUS_ROWS ?? 1_000_000);
const POSTGRES_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
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
for (let i = 0; i < ROWS; i++) {
  const day = String(1 + (i % 30)).padStart(2, '0');
  const hour = String(i % 24).padStart(2, '0');
  const cost = ((i % 997) / 1000 + 0.0001).toFixed(6);
  const line = `1111222233${i % 10},Main,sub-${i % 40},AWS,AWS,AWS,service-${i % 60},Compute,us-east-1,Usage,,usage,2026-11-01T00:00:00Z,2026-12-01T00:00:00Z,2026-11-${day}T${hour}:00:00Z,2026-11-${day}T${hour}:59:59Z,${cost},${cost},${cost},${cost},1,Hours,USD,"{""team"":""team-${i % 200}"",""env"":""prod""}"\n`;
  if (!out.write(line)) await new Promise((r) => out.once('drain', r));
}
await new Promise((r) => out.end(r));

const database = `bench_focus_${process.pid}`;
const admin = new pg.Client({ connectionString: POSTGRES_URL });
await admin.connect();
await admin.query(`CREATE DATABASE ${database}`);
const url = new URL(POSTGRES_URL);
url.pathname = `/${database}`;
try {
  const db = await openDataSource({ kind: 'postgres', url: url.href });
  await db.query(
    `CREATE TABLE focus_bare (${COLUMNS.map((c) => `"${c}" ${/Cost|Quantity/.test(c) ? 'numeric' : 'text'}`).join(', ')})`,
  );
  const rounds = [];
  for (let round = 0; round < 3; round++) {
    await db.query('TRUNCATE focus_bare');
    let t = performance.now();
    await run('psql', [
      url.href,
      '-q',
      '-c',
      `\\copy focus_bare FROM '${file}' WITH (FORMAT csv, HEADER true)`,
    ]);
    const floor = (performance.now() - t) / 1000;
    t = performance.now();
    const summary = await importFocusFiles(db, [file]);
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
  await db.destroy();
} finally {
  await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  await admin.end();
  await rm(dir, { recursive: true, force: true });
}
