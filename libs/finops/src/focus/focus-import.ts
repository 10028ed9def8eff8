import { randomBytes } from 'node:crypto';
import { stat } from 'node:fs/promises';

import type { DataSource, QueryRunner } from 'typeorm';
import { from as copyFrom } from 'pg-copy-streams';

import { applyAllocation, claimSql, type CostCatalog } from '../allocation/allocate.js';
import { pipeFocusFile, readFocusFile, readFocusHeader, type FocusCharge } from './focus-reader.js';

export interface ImportSummary {
  files: number;
  /** Charges read from the files. */
  rows: number;
  /** Cost lines written (charges summed per account, service, region, category, day, tags). */
  lines: number;
  days: number;
  /** Billed cost per currency, decimal strings: currencies are never added together. */
  totals: Record<string, string>;
  pullId: string;
  /**
   * Files read row by row in Node rather than by COPY: all of them on PGlite; on PostgreSQL the
   * files COPY or its checks refused that turned out valid (a blank line, padded values).
   */
  rowByRow: string[];
}

/** How far an import has read, in bytes of the files as stored (a progress bar). */
export interface ImportProgress {
  bytes: number;
  totalBytes: number;
}

export interface ImportOptions {
  /** Allocation rules (`Team.spec.cost.allocation`); without a catalog every line is unallocated. */
  catalog?: CostCatalog;
  progress?: (read: ImportProgress) => void;
}

const STAGE_COLUMNS =
  'billing_account text, sub_account text, service_name text, region text, charge_category text, day_start date, day_end date, billed numeric, effective numeric, currency text, tags jsonb, rows int';

/** The FOCUS columns a cost line is made of, and whether a file may leave them out. */
const FIELDS = {
  account: ['BillingAccountId', true],
  subAccount: ['SubAccountId', false],
  service: ['ServiceName', true],
  region: ['RegionId', false],
  category: ['ChargeCategory', true],
  start: ['ChargePeriodStart', true],
  end: ['ChargePeriodEnd', true],
  billed: ['BilledCost', true],
  effective: ['EffectiveCost', true],
  currency: ['BillingCurrency', true],
  tags: ['Tags', false],
} as const;
type Field = keyof typeof FIELDS;

/** The checks of `readFocusFile`, in SQL: the same patterns, on the trimmed text. */
const DATETIME_SQL = String.raw`'^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]00:?00)?)?$'`;
const CATEGORIES_SQL = `('Usage', 'Purchase', 'Tax', 'Credit', 'Adjustment')`;
/** The layout FOCUS gives instants in, as a LIKE pattern (which cannot say digits). */
const FOCUS_LAYOUT_SQL = `'____-__-__T__:__:__Z'`;
/** Planner costs that let a scan of a freshly loaded table (no statistics yet) use workers. */
const PARALLEL_SCAN = [
  ['parallel_setup_cost', '0'],
  ['parallel_tuple_cost', '0'],
  ['min_parallel_table_scan_size', '0'],
] as const;
/**
 * What PostgreSQL's numeric input takes that a FOCUS decimal is not: hexadecimal, octal and
 * binary and digits grouped by underscores (PostgreSQL 16 on). The cast refuses anything else
 * but NaN and infinities, which a sum keeps, so the groups' sums catch those.
 */
const NOT_DECIMAL_SQL = String.raw`ARRAY['%x%', '%X%', '%o%', '%O%', '%b%', '%B%', '%\_%']`;
const NOT_FINITE_SQL = `('NaN', 'Infinity', '-Infinity')`;

type CopyClient = { query: (stream: unknown) => NodeJS.WritableStream };
type CopySink = NodeJS.WritableStream & { destroy(error?: Error): unknown };

/**
 * The fast path, on PostgreSQL: the file's bytes go to COPY untouched (PostgreSQL parses the
 * CSV), one hash aggregate over the raw rows checks every amount and sums the amounts per
 * account, service, region, category, charge period, currency and tags, and the checks on the
 * rest (dates, an end after its start, currency, category, Tags) run on those far fewer groups.
 * False when anything is wrong or PostgreSQL refuses the file: the caller then reads it row by
 * row, which names the line and column, or finds it fine after all (a blank line that COPY
 * refuses and FOCUS allows).
 */
async function copyFile(
  runner: QueryRunner,
  file: string,
  header: readonly string[],
  onBytes: (bytes: number) => void,
): Promise<boolean> {
  const index = new Map(header.map((name, i) => [name, i]));
  const raw = (field: Field): string => {
    const i = index.get(FIELDS[field][0]);
    return i === undefined ? 'NULL::text' : `c${i}`;
  };
  const columns = header.map((_, i) => `c${i}`);
  // A table of the database's own, unlogged, rather than a temporary one: PostgreSQL scans it
  // with parallel workers, and its pages go through shared buffers, not the session's 8 MB of
  // temporary ones. Created inside the import's transaction, no other session ever sees it, and
  // a failed import (or a crash) leaves nothing behind.
  const table = `burnrate_focus_raw_${randomBytes(6).toString('hex')}`;
  await runner.query(`CREATE UNLOGGED TABLE ${table} (${columns.map((c) => `${c} text`).join(', ')})`);
  const client = (await runner.connect()) as CopyClient;
  const sink = client.query(
    copyFrom(`COPY ${table} (${columns.join(', ')}) FROM STDIN (FORMAT csv, HEADER true)`),
  ) as CopySink;
  await new Promise<void>((resolve, reject) => {
    sink.on('finish', () => resolve());
    sink.on('error', reject);
    pipeFocusFile(file, sink, onBytes).catch(reject);
  });

  // Per row only what is cheap: the amounts (the sums catch the rest), the day as the text's first
  // ten characters, whether an end is at midnight (its time holds only zeros). The instants are
  // checked once per distinct start and end, which an export repeats on every row of the hour or
  // day: FOCUS's own layout (2026-11-01T15:00:00Z) by the cast, which refuses a day or hour that
  // does not exist, and a comparison with PostgreSQL's own text of it, which refuses whatever the
  // cast skipped (punctuation, spaces); two instants in that layout compare as their bytes. The
  // other layouts the format allows (a day alone, fractions of a second, +00:00) go through the
  // pattern and a comparison of the casts.
  const [start, end] = [raw('start'), raw('end')];
  const canonical = (column: string) =>
    `${column} LIKE ${FOCUS_LAYOUT_SQL} AND replace(${column}::timestamp::text, ' ', 'T') || 'Z' = ${column}`;
  const pattern = (column: string) => `${column} ~ ${DATETIME_SQL}`;
  const endAtMidnight = `${end} LIKE '%T00:00:00Z'
    OR (${end} NOT LIKE ${FOCUS_LAYOUT_SQL} AND btrim(substr(${end}, 12), '0:.Z+-') = '')`;
  // Planned without statistics, the scans would look too small for workers.
  for (const setting of PARALLEL_SCAN) await runner.query(`SET LOCAL ${setting[0]} = ${setting[1]}`);
  const [{ instantsOk }] = (await runner.query(
    `SELECT coalesce(bool_and(${canonical('s')} AND ${canonical('e')} AND e COLLATE "C" > s COLLATE "C"
         OR ${pattern('s')} AND ${pattern('e')} AND e::timestamp > s::timestamp), true) AS "instantsOk"
     FROM (SELECT ${start} AS s, ${end} AS e FROM ${table} GROUP BY 1, 2) instants`,
  )) as [{ instantsOk: boolean }];
  if (!instantsOk) return false;
  await runner.query(
    `CREATE TEMP TABLE focus_groups AS
     SELECT ${raw('account')} AS account, ${raw('subAccount')} AS sub_account, ${raw('service')} AS service,
       ${raw('region')} AS region, ${raw('category')} AS category, left(${start}, 10) AS start_day,
       left(${end}, 10) AS end_day, (${endAtMidnight}) AS end_at_midnight,
       ${raw('currency')} AS currency, ${raw('tags')} AS tags,
       sum(${raw('billed')}::numeric) AS billed, sum(${raw('effective')}::numeric) AS effective, count(*)::int AS rows,
       (count(${raw('billed')}) + count(${raw('effective')}))::int AS amounts,
       bool_and(NOT (${raw('billed')} || ${raw('effective')}) LIKE ANY (${NOT_DECIMAL_SQL})) AS good_rows
     FROM ${table} GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10`,
  );
  for (const setting of PARALLEL_SCAN) await runner.query(`SET LOCAL ${setting[0]} = DEFAULT`);
  await runner.query(`DROP TABLE ${table}`);
  const [{ ok }] = (await runner.query(
    `SELECT coalesce(bool_and(CASE
         WHEN good_rows AND amounts = 2 * rows AND start_day IS NOT NULL AND end_day IS NOT NULL
           AND billed::text NOT IN ${NOT_FINITE_SQL} AND effective::text NOT IN ${NOT_FINITE_SQL}
           AND btrim(account) <> '' AND btrim(service) <> '' AND btrim(category) IN ${CATEGORIES_SQL}
           AND btrim(currency) ~ '^[A-Z]{3}$'
         THEN jsonb_typeof(coalesce(nullif(btrim(tags), ''), '{}')::jsonb) = 'object'
         ELSE false END), true) AS ok
     FROM focus_groups`,
  )) as [{ ok: boolean }];
  if (!ok) return false;
  // A timestamp without time zone reads the wall time and ignores the zone, which the
  // checks above allow only as UTC: the first ten characters are the day.
  await runner.query(
    `INSERT INTO focus_stage
     SELECT btrim(account), coalesce(btrim(sub_account), ''), btrim(service), coalesce(btrim(region), ''),
       btrim(category), start_day::date,
       greatest(start_day::date + 1, end_day::date + CASE WHEN end_at_midnight THEN 0 ELSE 1 END),
       billed, effective, btrim(currency), coalesce(nullif(btrim(tags), ''), '{}')::jsonb, rows
     FROM focus_groups`,
  );
  await runner.query(`DROP TABLE focus_groups`);
  return true;
}

/** The row-by-row path (PGlite, and files the fast path refused): every row checked in Node. */
async function stageRows(runner: QueryRunner, file: string, onBytes: (bytes: number) => void): Promise<void> {
  for await (const batch of readFocusFile(file, { onBytes })) {
    await runner.query(
      `INSERT INTO focus_stage SELECT * FROM jsonb_to_recordset($1::jsonb) AS r(${STAGE_COLUMNS})`,
      [JSON.stringify(batch.map(stageRecord))],
    );
  }
}

const stageRecord = (c: FocusCharge) => ({
  billing_account: c.billingAccount,
  sub_account: c.subAccount,
  service_name: c.serviceName,
  region: c.region,
  charge_category: c.chargeCategory,
  day_start: c.dayStart,
  day_end: c.dayEnd,
  billed: c.billedCost,
  effective: c.effectiveCost,
  currency: c.currency,
  tags: JSON.parse(c.tags) as unknown,
  rows: 1,
});

/** One file into `focus_stage`: the fast path where it can, else (or on doubt) row by row. */
async function stageFile(
  runner: QueryRunner,
  file: string,
  copy: boolean,
  onBytes: (bytes: number) => void,
): Promise<'copy' | 'row-by-row'> {
  const header = await readFocusHeader(file);
  if (copy) {
    await runner.query('SAVEPOINT focus_file');
    const staged = await copyFile(runner, file, header, onBytes).catch(() => false);
    if (staged) {
      await runner.query('RELEASE SAVEPOINT focus_file');
      return 'copy';
    }
    await runner.query('ROLLBACK TO SAVEPOINT focus_file');
  }
  await stageRows(runner, file, onBytes);
  return 'row-by-row';
}

/**
 * Imports FOCUS files in one transaction: every row is checked while the files are staged, then
 * each billing account's days in the files replace what an earlier import wrote for them (a
 * corrected export replaces the old one; the same file twice changes nothing), summed to daily
 * lines in PostgreSQL `numeric`. A broken row anywhere rolls everything back.
 */
export async function importFocusFiles(
  dataSource: DataSource,
  files: readonly string[],
  options: ImportOptions = {},
): Promise<ImportSummary> {
  const copy = 'url' in dataSource.options && dataSource.options.url !== undefined;
  const sizes = await Promise.all(
    files.map((file) =>
      stat(file).then(
        (s) => s.size,
        () => 0,
      ),
    ),
  );
  const totalBytes = sizes.reduce((a, b) => a + b, 0);
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  await runner.startTransaction();
  try {
    // Room for the hash aggregate of the fast path (it spills to disk beyond it, never fails).
    if (copy) {
      await runner.query(`SET LOCAL work_mem = '256MB'`);
      // The fast path compares instants with their text as PostgreSQL writes it.
      await runner.query(`SET LOCAL DateStyle = 'ISO, MDY'`);
    }
    await runner.query(`CREATE TEMP TABLE focus_stage (${STAGE_COLUMNS}) ON COMMIT DROP`);
    let done = 0;
    const rowByRow: string[] = [];
    for (const [i, file] of files.entries()) {
      const path = await stageFile(runner, file, copy, (bytes) =>
        options.progress?.({ bytes: done + bytes, totalBytes }),
      );
      if (path === 'row-by-row') rowByRow.push(file);
      done += sizes[i]!;
    }
    const [pull] = (await runner.query(
      `INSERT INTO cost_pull (provider, source, period_start, period_end, rows)
       SELECT 'focus', $1, COALESCE(min(day_start), CURRENT_DATE), COALESCE(max(day_end), CURRENT_DATE), COALESCE(sum(rows), 0)::int FROM focus_stage
       RETURNING id::text AS id`,
      [files.join(',')],
    )) as { id: string }[];
    await runner.query(
      `DELETE FROM cost_line c USING (SELECT DISTINCT billing_account, day_start FROM focus_stage) s
       WHERE c.provider = 'focus' AND c.billing_account = s.billing_account AND c.charge_period_start = s.day_start`,
    );
    // Each line is written with its team (no second write of every line to allocate it), looked
    // up once per account and tags: far fewer than the lines.
    const params: unknown[] = [pull!.id];
    const param = (value: unknown) => `$${params.push(value)}`;
    const claim = options.catalog
      ? claimSql(options.catalog, param, { subAccount: 'owner.sub_account', tags: 'owner.tags' })
      : 'NULL::jsonb';
    const inserted = (await runner.query(
      `WITH line AS (
         SELECT billing_account, sub_account, service_name, region, charge_category, day_start, day_end,
           sum(billed) AS billed, sum(effective) AS effective, currency, tags
         FROM focus_stage
         GROUP BY billing_account, sub_account, service_name, region, charge_category, day_start, day_end, currency, tags),
       owner AS MATERIALIZED (
         SELECT sub_account, tags, ${claim} AS claim FROM (SELECT DISTINCT sub_account, tags FROM line) owner),
       ins AS (
         INSERT INTO cost_line (provider, billing_account, sub_account, service_name, region, charge_category,
           charge_period_start, charge_period_end, billed_cost, effective_cost, currency, tags, pull_id, team, shared_rule)
         SELECT 'focus', billing_account, sub_account, service_name, region, charge_category, day_start, day_end,
           billed, effective, currency, tags, $1::bigint, claim->>1, claim->>2
         FROM line JOIN owner USING (sub_account, tags)
         RETURNING 1)
       SELECT count(*)::int AS n FROM ins`,
      params,
    )) as { n: number }[];
    const [span] = (await runner.query(
      `SELECT min(day_start)::text AS "from", max(day_start)::text AS "to" FROM focus_stage`,
    )) as { from: string | null; to: string | null }[];
    if (span?.from && span.to)
      await applyAllocation(runner, options.catalog, {
        pullId: pull!.id,
        from: span.from,
        to: span.to,
        allocated: true,
      });
    const totals = (await runner.query(
      `SELECT currency, sum(billed)::text AS total, count(DISTINCT day_start)::int AS days FROM focus_stage GROUP BY currency ORDER BY currency`,
    )) as { currency: string; total: string; days: number }[];
    const [read] = (await runner.query(
      `SELECT count(DISTINCT day_start)::int AS days, COALESCE(sum(rows), 0)::int AS rows FROM focus_stage`,
    )) as { days: number; rows: number }[];
    await runner.commitTransaction();
    return {
      files: files.length,
      rows: read!.rows,
      lines: inserted[0]!.n,
      days: read!.days,
      totals: Object.fromEntries(totals.map((t) => [t.currency, trimDecimal(t.total)])),
      pullId: pull!.id,
      rowByRow,
    };
  } catch (error) {
    await runner.rollbackTransaction().catch(() => undefined);
    throw error;
  } finally {
    await runner.release();
  }
}

/** `12.3400000000` as `12.34`; never through a float. */
export function trimDecimal(text: string): string {
  if (!text.includes('.')) return text;
  const trimmed = text.replace(/0+$/, '').replace(/\.$/, '');
  return trimmed === '-0' ? '0' : trimmed;
}
