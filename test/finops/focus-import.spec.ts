/**
 * FOCUS file import on a real PostgreSQL (COPY) and on embedded PGlite (batched inserts): every
 * total to the cent and beyond (numeric, never floats), allocation from the catalog, idempotent
 * re-imports, corrected files replacing their days, and broken files refused with
 * `file:line: column: what is wrong` and nothing written. A CLI import killed with SIGKILL
 * midway leaves no partial rows.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCatalog } from '@burnrate/catalog';
import { FocusFileError, importFocusFiles } from '@burnrate/finops';
import { openDataSource } from '@burnrate/persistence';

import { aPgliteDatabase, aPostgresDatabase, type TestDatabase } from '../persistence/test-databases.js';
import { buildServer } from '../server/server-process.js';

const WEEK = 'test/finops/fixtures/focus/week.csv';
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'burnrate-focus-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Writes a variant of the week file: `edit` gets the data lines and returns the new ones. */
async function variant(name: string, edit: (lines: string[]) => string[]): Promise<string> {
  const [header, ...lines] = (await readFile(WEEK, 'utf8')).trimEnd().split('\n');
  const path = join(dir, name);
  await writeFile(path, [header, ...edit(lines)].join('\n') + '\n');
  return path;
}

const totals = (db: DataSource) =>
  db.query<{ currency: string; team: string | null; billed: string; effective: string; lines: number }[]>(
    `SELECT currency, team, sum(billed_cost)::text AS billed, sum(effective_cost)::text AS effective, count(*)::int AS lines
     FROM cost_line GROUP BY currency, team ORDER BY currency, team NULLS LAST`,
  );

describe.each([
  ['PostgreSQL', aPostgresDatabase],
  ['PGlite', () => Promise.resolve(aPgliteDatabase())],
] as const)('FOCUS import on %s', (engine, makeDatabase) => {
  let database: TestDatabase;
  let db: DataSource;
  let catalog: Awaited<ReturnType<typeof loadCatalog>>['catalog'];

  beforeAll(async () => {
    database = await makeDatabase();
    db = await openDataSource(database.config);
    ({ catalog } = await loadCatalog(['test/finops/fixtures/catalog']));
  }, 120_000);
  afterAll(async () => {
    await db?.destroy();
    await database?.drop();
  });

  it('sums charges to daily lines exactly, per currency, and allocates them from the catalog', async () => {
    const summary = await importFocusFiles(db, [WEEK], { catalog });
    expect(summary).toMatchObject({
      files: 1,
      rows: 6,
      lines: 5,
      days: 2,
      totals: { EUR: '1.25', USD: '20.0900000003' },
      // PostgreSQL parses the CSV itself (COPY); PGlite has no COPY from a client stream.
      rowByRow: engine === 'PostgreSQL' ? [] : [WEEK],
    });
    expect(await totals(db)).toEqual([
      { currency: 'EUR', team: 'search', billed: '1.2500000000', effective: '1.2500000000', lines: 1 },
      { currency: 'USD', team: 'payments', billed: '0.3000000003', effective: '0.2700000000', lines: 1 },
      { currency: 'USD', team: 'search', billed: '19.8400000000', effective: '19.8400000000', lines: 2 },
      { currency: 'USD', team: null, billed: '-0.0500000000', effective: '-0.0500000000', lines: 1 },
    ]);
    // Hourly charges become one line for their day, end exclusive.
    const [ec2] = await db.query<{ start: string; end: string }[]>(
      `SELECT charge_period_start::text AS start, charge_period_end::text AS end FROM cost_line WHERE service_name = 'Amazon EC2'`,
    );
    expect(ec2).toEqual({ start: '2026-11-30', end: '2026-12-01' });
  });

  it('changes nothing when the same file comes again, and lets a corrected file replace its days', async () => {
    const before = await totals(db);
    await importFocusFiles(db, [WEEK], { catalog });
    expect(await totals(db)).toEqual(before);
    const corrected = await variant('corrected.csv', (lines) =>
      lines.map((l) => l.replace(',12.34,12.34,', ',10.00,10.00,')),
    );
    await importFocusFiles(db, [corrected], { catalog });
    const after = await totals(db);
    expect(after.find((t) => t.currency === 'USD' && t.team === 'search')?.billed).toBe('17.5000000000');
    expect(after.reduce((n, t) => n + t.lines, 0)).toBe(5);
  });

  it('reads row by row what COPY refuses and FOCUS allows, to the same totals', async () => {
    await importFocusFiles(db, [WEEK], { catalog });
    const before = await totals(db);
    // Blank lines between rows (COPY refuses them) and padded amounts.
    const loose = await variant('loose.csv', (lines) =>
      lines.map((l) => `${l.replace(',0.1000000001,', ',\t0.1000000001 ,')}\n`),
    );
    const summary = await importFocusFiles(db, [loose], { catalog });
    expect(summary).toMatchObject({ rows: 6, rowByRow: [loose] });
    expect(await totals(db)).toEqual(before);
  });

  it('takes the other layouts FOCUS allows (a space, fractions, +00:00, a day alone) by COPY, to the same totals', async () => {
    await importFocusFiles(db, [WEEK], { catalog });
    const before = await totals(db);
    const layouts = await variant('layouts.csv', (lines) => [
      lines[0]!.replace(
        '2026-11-30T00:00:00Z,2026-11-30T01:00:00Z',
        '2026-11-30 00:00:00+00:00,2026-11-30T00:59:59.999Z',
      ),
      lines[1]!.replace(
        '2026-11-30T01:00:00Z,2026-11-30T02:00:00Z',
        '2026-11-30T01:00,2026-11-30T02:00:00-0000',
      ),
      lines[2]!.replace('2026-11-30T00:00:00Z,2026-12-01T00:00:00Z', '2026-11-30,2026-12-01'),
      ...lines.slice(3),
    ]);
    const summary = await importFocusFiles(db, [layouts], { catalog });
    expect(summary.rowByRow).toEqual(engine === 'PostgreSQL' ? [] : [layouts]);
    expect(await totals(db)).toEqual(before);
  });

  it.each<[string, (lines: string[]) => string[], string]>([
    [
      'punctuation where a digit belongs, which a cast to timestamp skips',
      (l: string[]) => [
        l[0]!,
        l[1]!.replace(',2026-11-30T01:00:00Z,2026-11-30T02', ',2026-11-30T!1:00:00Z,2026-11-30T02'),
      ],
      ':3: ChargePeriodStart: must be an ISO 8601 UTC date/time',
    ],
    [
      'a zone other than UTC',
      (l: string[]) => [
        l[0]!,
        l[1]!.replace(',2026-11-30T01:00:00Z,2026-11-30T02', ',2026-11-30T01:00:00+02:00,2026-11-30T02'),
      ],
      ':3: ChargePeriodStart: must be an ISO 8601 UTC date/time',
    ],
    ...['NaN', 'Infinity', '0x1A', '1_000'].map((amount): [string, (lines: string[]) => string[], string] => [
      `an amount of ${amount}, which PostgreSQL's numeric takes`,
      (l: string[]) => [l[0]!, l[1]!.replace(',0.2000000002,', `,${amount},`)],
      `:3: BilledCost: must be a decimal number such as 12.34, got "${amount}"`,
    ]),
    [
      'an amount PostgreSQL refuses too',
      (l: string[]) => [l[0]!, l[1]!.replace(',0.2000000002,', ',1e,')],
      ':3: BilledCost: must be a decimal number such as 12.34, got "1e"',
    ],
    [
      'a day that does not exist',
      (l: string[]) => [
        l[0]!,
        l[1]!.replace(',2026-11-30T01:00:00Z,2026-11-30T02', ',2026-11-31T01:00:00Z,2026-11-30T02'),
      ],
      ':3: ChargePeriodStart: must be an ISO 8601 UTC date/time',
    ],
    [
      'a thousands separator',
      (l: string[]) => [l[0]!, l[1]!.replace(',0.2000000002,', ',"1,000.20",')],
      ':3: BilledCost: must be a decimal number such as 12.34, got "1,000.20"',
    ],
    [
      'an end before its start',
      (l: string[]) => [l[0]!.replace('2026-11-30T01:00:00Z,0.1', '2026-11-29T23:00:00Z,0.1')],
      ':2: ChargePeriodEnd: must be after ChargePeriodStart (2026-11-30T00:00:00Z), got "2026-11-29T23:00:00Z"',
    ],
    [
      'a currency that is not ISO 4217',
      (l: string[]) => [l[0]!, l[1]!.replace(',USD,', ',usd,')],
      ':3: BillingCurrency: must be an ISO 4217 code such as USD, got "usd"',
    ],
    [
      'a date that is not ISO 8601',
      (l: string[]) => [l[0]!.replace('2026-11-30T00:00:00Z,2026-11-30T01', '30/11/2026,2026-11-30T01')],
      ':2: ChargePeriodStart: must be an ISO 8601 UTC date/time',
    ],
    [
      'Tags that are not a JSON object',
      (l: string[]) => [l[0]!.replace(/"\{.*\}"$/, '"[1,2]"')],
      ':2: Tags: must be a JSON object of key-value pairs',
    ],
    [
      'an unknown charge category',
      (l: string[]) => [l[0]!.replace(',Usage,', ',Refund,')],
      ':2: ChargeCategory: must be one of Usage, Purchase, Tax, Credit, Adjustment, got "Refund"',
    ],
    ['a short row', (l: string[]) => [l[0]!, l[1]!.split(',').slice(0, 10).join(',')], ':3: not valid CSV'],
  ])(
    'refuses a file with %s, naming file, line and column, and writes nothing',
    async (name, edit, message) => {
      const before = await totals(db);
      const broken = await variant(`${name.replace(/\W+/g, '-')}.csv`, edit);
      // A good file first in the same import: it is rolled back too.
      const error = await importFocusFiles(db, [WEEK, broken], { catalog }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(FocusFileError);
      expect((error as Error).message).toContain(`${broken}${message}`);
      expect(await totals(db)).toEqual(before);
    },
  );

  it('reads gzip files and refuses the reference FOCUS excerpt, which lacks required columns', async () => {
    const gz = join(dir, 'week.csv.gz');
    await writeFile(gz, gzipSync(await readFile(WEEK)));
    expect((await importFocusFiles(db, [gz], { catalog })).rows).toBe(6);
    const sample = 'test/fixtures/finops/focus-1.2-commitment-discount-usage-scenario-1.csv';
    await expect(importFocusFiles(db, [sample])).rejects.toThrow(
      `${sample}:1: missing required FOCUS columns BillingAccountId, BillingCurrency, ServiceName`,
    );
    const notGzip = join(dir, 'broken.csv.gz');
    await writeFile(notGzip, gzipSync(await readFile(WEEK)).subarray(0, 40));
    await expect(importFocusFiles(db, [notGzip])).rejects.toBeInstanceOf(FocusFileError);
  });
});

describe('a CLI import killed midway', () => {
  it('leaves no partial rows, and running it again gives the totals of one import', async () => {
    await buildServer();
    const database = await aPostgresDatabase();
    const big = join(dir, 'big.csv');
    const [header] = (await readFile(WEEK, 'utf8')).split('\n');
    const rows = Array.from(
      { length: 300_000 },
      (_, i) =>
        `111122223333,Main,111122223333,AWS,AWS,AWS,svc-${i % 50},Compute,us-east-1,Usage,,x,2026-11-01T00:00:00Z,2026-12-01T00:00:00Z,2026-11-${String(1 + (i % 28)).padStart(2, '0')}T00:00:00Z,2026-11-${String(2 + (i % 28)).padStart(2, '0')}T00:00:00Z,0.01,0.01,0.01,0.01,1,Hours,USD,"{""team"":""payments""}"`,
    );
    await writeFile(big, [header, ...rows].join('\n') + '\n');
    const cli = (kill: boolean) =>
      new Promise<number | string>((resolve) => {
        const child = spawn(
          process.execPath,
          [
            'apps/cli/dist/main.js',
            'cost',
            'import',
            '--file',
            big,
            '--catalog',
            'test/finops/fixtures/catalog',
          ],
          {
            env: { PATH: process.env['PATH'] ?? '', DATABASE_URL: (database.config as { url: string }).url },
            stdio: 'ignore',
          },
        );
        child.on('exit', (code, signal) => resolve(code ?? signal ?? -1));
        if (kill) void killMidCopy(child);
      });
    // Killed once PostgreSQL reports the import's COPY under way: inside its transaction, however
    // fast the machine (a fixed delay either missed the import or landed after it).
    const killMidCopy = async (child: ReturnType<typeof spawn>) => {
      while (child.exitCode === null) {
        const [copying] = await db.query<{ n: number }[]>(
          `SELECT count(*)::int AS n FROM pg_stat_progress_copy WHERE datname = current_database() AND bytes_processed > 0`,
        );
        if (copying!.n > 0) {
          child.kill('SIGKILL');
          return;
        }
        await new Promise((r) => setTimeout(r, 5));
      }
    };
    // Migrate first, so the kill lands in the import rather than in the migrations.
    const db = await openDataSource(database.config);
    try {
      expect(await cli(true)).toBe('SIGKILL');
      expect(await db.query(`SELECT count(*)::int AS n FROM cost_line`)).toEqual([{ n: 0 }]);
      // Nor its raw table: created inside the transaction, it goes with it.
      expect(
        await db.query(
          `SELECT count(*)::int AS n FROM pg_tables WHERE tablename LIKE 'burnrate_focus_raw_%'`,
        ),
      ).toEqual([{ n: 0 }]);
      expect(await cli(false)).toBe(0);
      expect(await cli(false)).toBe(0);
      expect(
        await db.query(`SELECT sum(billed_cost)::text AS total, count(*)::int AS n FROM cost_line`),
      ).toEqual([{ total: '3000.0000000000', n: 700 }]);
      await db.destroy();
    } finally {
      await database.drop();
    }
  }, 240_000);
});
