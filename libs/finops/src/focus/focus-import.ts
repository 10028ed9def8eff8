import type { DataSource, QueryRunner } from 'typeorm';
import { from as copyFrom } from 'pg-copy-streams';

import { applyAllocation, type CostCatalog } from '../allocation/allocate.js';
import { readFocusFile, type FocusCharge } from './focus-reader.js';

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
}

export interface ImportOptions {
  /** Allocation rules (`Team.spec.cost.allocation`); without a catalog every line is unallocated. */
  catalog?: CostCatalog;
  /** Told how many rows were read so far (a progress bar). */
  progress?: (rows: number) => void;
}

const STAGE_COLUMNS =
  'billing_account text, sub_account text, service_name text, region text, charge_category text, day_start date, day_end date, billed numeric, effective numeric, currency text, tags jsonb';

/** A CSV field for COPY: quoted, quotes doubled; null is the unquoted empty field. */
const csvField = (value: string | null): string => (value === null ? '' : `"${value.replace(/"/g, '""')}"`);
const csvLine = (c: FocusCharge): string =>
  [
    c.billingAccount,
    c.subAccount,
    c.serviceName,
    c.region,
    c.chargeCategory,
    c.dayStart,
    c.dayEnd,
    c.billedCost,
    c.effectiveCost,
    c.currency,
    c.tags,
  ]
    .map(csvField)
    .join(',') + '\n';

/** Stages rows with COPY on PostgreSQL (the fast path), with batched inserts on PGlite. */
async function stage(
  runner: QueryRunner,
  batches: AsyncIterable<FocusCharge[]>,
  onRows: (n: number) => void,
  copy: boolean,
) {
  if (!copy) {
    for await (const batch of batches) {
      await runner.query(
        `INSERT INTO focus_stage SELECT * FROM jsonb_to_recordset($1::jsonb) AS r(${STAGE_COLUMNS})`,
        [
          JSON.stringify(
            batch.map((c) => ({
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
            })),
          ),
        ],
      );
      onRows(batch.length);
    }
    return;
  }
  const client = (await runner.connect()) as { query: (stream: unknown) => NodeJS.WritableStream };
  const sink = client.query(copyFrom(`COPY focus_stage FROM STDIN (FORMAT csv)`)) as NodeJS.WritableStream & {
    on(event: 'finish' | 'error', listener: (error?: Error) => void): void;
  };
  const finished = new Promise<void>((resolve, reject) => {
    sink.on('finish', () => resolve());
    sink.on('error', (error) => reject(error instanceof Error ? error : new Error('COPY failed')));
  });
  try {
    for await (const batch of batches) {
      const ok = sink.write(batch.map(csvLine).join(''));
      onRows(batch.length);
      if (!ok) await new Promise((resolve) => sink.once('drain', resolve));
    }
  } catch (error) {
    // A broken file: end the COPY with an error so the transaction can roll back cleanly.
    (sink as unknown as { destroy(error: Error): void }).destroy(error as Error);
    await finished.catch(() => undefined);
    throw error;
  }
  sink.end();
  await finished;
}

/**
 * Imports FOCUS files in one transaction: every row is checked while it streams into a staging
 * table, then each billing account's days in the files replace what an earlier import wrote for
 * them (a corrected export replaces the old one; the same file twice changes nothing), summed to
 * daily lines in PostgreSQL `numeric`. A broken row anywhere rolls everything back.
 */
export async function importFocusFiles(
  dataSource: DataSource,
  files: readonly string[],
  options: ImportOptions = {},
): Promise<ImportSummary> {
  const copy = 'url' in dataSource.options && dataSource.options.url !== undefined;
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  await runner.startTransaction();
  try {
    await runner.query(`CREATE TEMP TABLE focus_stage (${STAGE_COLUMNS}) ON COMMIT DROP`);
    let rows = 0;
    for (const file of files) {
      await stage(
        runner,
        readFocusFile(file),
        (n) => {
          rows += n;
          options.progress?.(rows);
        },
        copy,
      );
    }
    const [pull] = (await runner.query(
      `INSERT INTO cost_pull (provider, source, period_start, period_end, rows)
       SELECT 'focus', $1, COALESCE(min(day_start), CURRENT_DATE), COALESCE(max(day_end), CURRENT_DATE), count(*)::int FROM focus_stage
       RETURNING id::text AS id`,
      [files.join(',')],
    )) as { id: string }[];
    await runner.query(
      `DELETE FROM cost_line c USING (SELECT DISTINCT billing_account, day_start FROM focus_stage) s
       WHERE c.provider = 'focus' AND c.billing_account = s.billing_account AND c.charge_period_start = s.day_start`,
    );
    const inserted = (await runner.query(
      `WITH ins AS (
         INSERT INTO cost_line (provider, billing_account, sub_account, service_name, region, charge_category,
           charge_period_start, charge_period_end, billed_cost, effective_cost, currency, tags, pull_id)
         SELECT 'focus', billing_account, sub_account, service_name, region, charge_category, day_start, day_end,
           sum(billed), sum(effective), currency, tags, $1::bigint
         FROM focus_stage
         GROUP BY billing_account, sub_account, service_name, region, charge_category, day_start, day_end, currency, tags
         RETURNING 1)
       SELECT count(*)::int AS n FROM ins`,
      [pull!.id],
    )) as { n: number }[];
    const [span] = (await runner.query(
      `SELECT min(day_start)::text AS "from", max(day_start)::text AS "to" FROM focus_stage`,
    )) as { from: string | null; to: string | null }[];
    if (span?.from && span.to)
      await applyAllocation(runner, options.catalog, { pullId: pull!.id, from: span.from, to: span.to });
    const totals = (await runner.query(
      `SELECT currency, sum(billed)::text AS total, count(DISTINCT day_start)::int AS days FROM focus_stage GROUP BY currency ORDER BY currency`,
    )) as { currency: string; total: string; days: number }[];
    const days = (await runner.query(`SELECT count(DISTINCT day_start)::int AS n FROM focus_stage`)) as {
      n: number;
    }[];
    await runner.commitTransaction();
    return {
      files: files.length,
      rows,
      lines: inserted[0]!.n,
      days: days[0]!.n,
      totals: Object.fromEntries(totals.map((t) => [t.currency, trimDecimal(t.total)])),
      pullId: pull!.id,
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
