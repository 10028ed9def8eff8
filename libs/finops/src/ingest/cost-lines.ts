import type { DataSource } from 'typeorm';

import { applyAllocation, type CostCatalog } from '../allocation/allocate.js';
import { trimDecimal } from '../focus/focus-import.js';

/** One day of one group of a provider's bill, as the provider's API answered it. */
/** How far a pull has got: told after every page, and before every wait for a throttled one. */
export interface PullProgress {
  /** API requests (pages) so far. */
  requests: number;
  /** Cost rows received so far. */
  rows: number;
  /** Set when the API throttled a request: how long the pull waits before asking again. */
  waitMs?: number;
}

export interface DailyCostLine {
  /** The scope the pull replaces: `aws`, or an Azure scope such as `subscriptions/<id>`. */
  billingAccount: string;
  /** AWS linked account or Azure subscription, `''` when the grouping does not say. */
  subAccount: string;
  serviceName: string;
  region: string;
  chargeCategory: string;
  /** `YYYY-MM-DD`, UTC. */
  day: string;
  /** Decimal string exactly as the provider sent it: summed in PostgreSQL `numeric`. */
  billedCost: string;
  effectiveCost: string | null;
  currency: string;
  tags: Record<string, string>;
  /** The provider still estimates the day; the next pull replaces it. */
  estimated: boolean;
}

export interface PullSummary {
  provider: string;
  pullId: string;
  /** Lines the provider answered, before summing. */
  rows: number;
  lines: number;
  days: number;
  estimatedDays: number;
  totals: Record<string, string>;
}

export interface PullWindow {
  provider: 'aws' | 'azure';
  /** What was asked (shown in `cost_pull.source`). */
  source: string;
  /** Every scope the pull covered: their lines in the window are replaced, even by nothing. */
  billingAccounts: readonly string[];
  /** Both days included, `YYYY-MM-DD`. */
  from: string;
  to: string;
}

const STAGE = `billing_account text, sub_account text, service_name text, region text, charge_category text,
  day date, billed numeric, effective numeric, currency text, tags jsonb, estimated boolean`;
const BATCH = 5_000;

/**
 * Writes a provider pull in one transaction: every line of the covered scopes and days is
 * replaced by what the provider answered now (the same days twice change nothing; final figures
 * replace estimates; a day the provider no longer bills disappears), then allocated to teams.
 * The network calls happen before: a pull killed while fetching writes nothing, one killed while
 * writing rolls back.
 */
export async function writePull(
  dataSource: DataSource,
  window: PullWindow,
  lines: readonly DailyCostLine[],
  options: { catalog?: CostCatalog } = {},
): Promise<PullSummary> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  await runner.startTransaction();
  try {
    await runner.query(`CREATE TEMP TABLE pull_stage (${STAGE}) ON COMMIT DROP`);
    for (let i = 0; i < lines.length; i += BATCH) {
      const batch = lines.slice(i, i + BATCH).map((l) => ({
        billing_account: l.billingAccount,
        sub_account: l.subAccount,
        service_name: l.serviceName,
        region: l.region,
        charge_category: l.chargeCategory,
        day: l.day,
        billed: l.billedCost,
        effective: l.effectiveCost,
        currency: l.currency,
        tags: l.tags,
        estimated: l.estimated,
      }));
      await runner.query(
        `INSERT INTO pull_stage SELECT * FROM jsonb_to_recordset($1::jsonb) AS r(${STAGE})`,
        [JSON.stringify(batch)],
      );
    }
    const [pull] = (await runner.query(
      `INSERT INTO cost_pull (provider, source, period_start, period_end, rows)
       VALUES ($1, $2, $3::date, $4::date, $5) RETURNING id::text AS id`,
      [window.provider, window.source, window.from, window.to, lines.length],
    )) as { id: string }[];
    await runner.query(
      `DELETE FROM cost_line WHERE provider = $1 AND billing_account = ANY($2::text[])
         AND charge_period_start BETWEEN $3::date AND $4::date`,
      [window.provider, window.billingAccounts, window.from, window.to],
    );
    const [inserted] = (await runner.query(
      `WITH ins AS (
         INSERT INTO cost_line (provider, billing_account, sub_account, service_name, region, charge_category,
           charge_period_start, charge_period_end, billed_cost, effective_cost, currency, tags, estimated, pull_id)
         SELECT $1, billing_account, sub_account, service_name, region, charge_category, day, day + 1,
           sum(billed), sum(effective), currency, tags, bool_or(estimated), $2::bigint
         FROM pull_stage
         GROUP BY billing_account, sub_account, service_name, region, charge_category, day, currency, tags
         RETURNING 1)
       SELECT count(*)::int AS n FROM ins`,
      [window.provider, pull!.id],
    )) as { n: number }[];
    await applyAllocation(runner, options.catalog, { pullId: pull!.id, from: window.from, to: window.to });
    const totals = (await runner.query(
      `SELECT currency, sum(billed)::text AS total FROM pull_stage GROUP BY currency ORDER BY currency`,
    )) as { currency: string; total: string }[];
    const [days] = (await runner.query(
      `SELECT count(DISTINCT day)::int AS days, count(DISTINCT day) FILTER (WHERE estimated)::int AS estimated
       FROM pull_stage`,
    )) as { days: number; estimated: number }[];
    await runner.commitTransaction();
    return {
      provider: window.provider,
      pullId: pull!.id,
      rows: lines.length,
      lines: inserted!.n,
      days: days!.days,
      estimatedDays: days!.estimated,
      totals: Object.fromEntries(totals.map((t) => [t.currency, trimDecimal(t.total)])),
    };
  } catch (error) {
    await runner.rollbackTransaction().catch(() => undefined);
    throw error;
  } finally {
    await runner.release();
  }
}

/** A provider answered something the pull cannot store: nothing is written. */
export class ProviderResponseError extends Error {
  override name = 'ProviderResponseError';
}

const DECIMAL = /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/;

/** The amount as a decimal string, refusing anything else (`N/A`, empty, a float's `NaN`). */
export function decimalAmount(value: unknown, where: string): string {
  const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : '';
  if (!DECIMAL.test(text))
    throw new ProviderResponseError(`${where}: amount ${JSON.stringify(value)} is not a decimal`);
  return text;
}

/** `YYYY-MM-DD` plus `days`, in UTC. */
export function addDays(day: string, days: number): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}
