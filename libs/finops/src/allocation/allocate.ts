import { createHash } from 'node:crypto';

import type { DataSource, QueryRunner } from 'typeorm';
import type { Catalog, CostAllocation, SharedCost } from '@burnrate/catalog';

/** What allocation reads of a catalog: the teams' rules and the shared costs. */
export type CostCatalog = Pick<Catalog, 'teams'> & { defaults?: { sharedCosts?: readonly SharedCost[] } };

/** Days, both included (`YYYY-MM-DD`); undefined is every day in the table. */
export type DayRange = { from: string; to: string } | undefined;

interface Rule {
  match: CostAllocation;
  team?: string;
  shared?: string;
}

const rulesOf = (catalog: CostCatalog): Rule[] => [
  ...catalog.teams.flatMap((t) => (t.cost ? [{ match: t.cost.allocation, team: t.name }] : [])),
  ...(catalog.defaults?.sharedCosts ?? []).map((s) => ({ match: s.match, shared: s.name })),
];

/** A fingerprint of the rules: when it changes, every past line is allocated again. */
export function allocationFingerprint(catalog: CostCatalog | undefined): string {
  const teams = (catalog?.teams ?? []).filter((t) => t.cost).map((t) => [t.name, t.cost!.allocation]);
  const shared = (catalog?.defaults?.sharedCosts ?? []).map(
    ({ source: _source, declaredBy: _by, ...rule }) => rule,
  );
  return createHash('sha256').update(JSON.stringify({ teams, shared })).digest('hex');
}

/** The rule a line matches: its place in the order, then the team or the shared cost it names. */
type Claim = [order: number, team: string | null, shared: string | null];

/**
 * Allocation goes in order: whole accounts and subscriptions first (a team that owns an account
 * owns all of it, whatever its tags say; a shared account is shared), then tag values. The
 * catalog refuses two rules claiming one tag value or account, so within a kind order is moot;
 * were there two, the first in the catalog would win.
 *
 * SQL for the claim of a line (jsonb `[order, team, shared]`, null when no rule claims it) from
 * its account and tags columns. The rules go to PostgreSQL as two JSON maps, account to claim
 * and tag key and value to claim, so a line costs one lookup per tag it carries, however many
 * teams the catalog holds. Each map is a subquery of its own, so PostgreSQL reads it once per
 * statement, not once per line.
 */
export function claimSql(
  catalog: CostCatalog,
  param: (value: unknown) => string,
  line: { subAccount: string; tags: string },
): string {
  const rules = rulesOf(catalog);
  // Without a prototype, so that a tag called `constructor` is a key like any other.
  const table = <T>(): Record<string, T> => Object.create(null) as Record<string, T>;
  const accounts = table<Claim>();
  const tags = table<Record<string, Claim>>();
  rules.forEach((rule, i) => {
    const claim: Claim = [i, rule.team ?? null, rule.shared ?? null];
    for (const id of [...rule.match.awsAccounts, ...rule.match.azureSubscriptions]) accounts[id] ??= claim;
  });
  rules.forEach((rule, i) => {
    const claim: Claim = [rules.length + i, rule.team ?? null, rule.shared ?? null];
    for (const [key, values] of Object.entries(rule.match.tags))
      for (const value of values) (tags[key] ??= table<Claim>())[value] ??= claim;
  });
  return `(SELECT claim FROM (
      SELECT (SELECT ${param(JSON.stringify(accounts))}::jsonb) -> ${line.subAccount} AS claim
      UNION ALL
      SELECT (SELECT ${param(JSON.stringify(tags))}::jsonb) #> ARRAY[t.key, t.value] FROM jsonb_each_text(${line.tags}) t
    ) matches
    WHERE claim IS NOT NULL ORDER BY (claim->>0)::int LIMIT 1)`;
}

/**
 * Gives cost lines their team, or the shared cost that claims them, from the catalog; what no
 * rule claims keeps a null team and is reported as unallocated, never dropped. `pullId` narrows
 * it to one pull's lines; without it every line is allocated again (the catalog changed).
 */
export async function allocate(
  runner: QueryRunner,
  catalog: CostCatalog,
  where: { pullId?: string } = {},
): Promise<void> {
  const params: unknown[] = [];
  const param = (value: unknown) => `$${params.push(value)}`;
  const claim = claimSql(catalog, param, { subAccount: 'l.sub_account', tags: 'l.tags' });
  const filter = where.pullId === undefined ? '' : `WHERE pull_id = ${param(where.pullId)}`;
  await runner.query(
    `UPDATE cost_line l SET (team, shared_rule) = (SELECT claim->>1, claim->>2 FROM (SELECT ${claim} AS claim OFFSET 0) c) ${filter}`,
    params,
  );
}

/**
 * Rebuilds `cost_daily` for the days: direct spend per team and service (`''` is unallocated),
 * then each shared cost split among its teams, evenly, in proportion to each team's direct
 * spend that day in that currency (evenly on a day none had any), or by fixed percentages.
 * Shares are rounded to the table's 10 decimals and the first team (by name) takes the
 * remainder, so the shares add up to the shared cost exactly.
 */
export async function rollup(
  runner: QueryRunner,
  catalog: CostCatalog | undefined,
  days: DayRange,
): Promise<void> {
  const range = days ? [days.from, days.to] : ['0001-01-01', '9999-12-31'];
  await runner.query(`DELETE FROM cost_daily WHERE day BETWEEN $1::date AND $2::date`, range);
  await runner.query(
    `INSERT INTO cost_daily (day, team, service_name, currency, shared_rule, billed_cost, effective_cost)
     SELECT charge_period_start, coalesce(team, ''), service_name, currency, '', sum(billed_cost), sum(effective_cost)
     FROM cost_line
     WHERE charge_period_start BETWEEN $1::date AND $2::date
       AND (shared_rule IS NULL OR NOT (shared_rule = ANY($3::text[])))
     GROUP BY 1, 2, 3, 4`,
    [...range, (catalog?.defaults?.sharedCosts ?? []).map((s) => s.name)],
  );
  const withAllocation = (catalog?.teams ?? [])
    .filter((t) => t.cost)
    .map((t) => t.name)
    .sort();
  for (const rule of catalog?.defaults?.sharedCosts ?? []) {
    const teams =
      rule.split === 'percent'
        ? Object.keys(rule.percent).sort()
        : rule.teams.length > 0
          ? [...rule.teams].sort()
          : withAllocation;
    if (teams.length === 0) {
      // Nobody to share with: the cost stays visible, as unallocated.
      await runner.query(
        `INSERT INTO cost_daily (day, team, service_name, currency, shared_rule, billed_cost, effective_cost)
         SELECT charge_period_start, '', service_name, currency, $3, sum(billed_cost), sum(effective_cost)
         FROM cost_line WHERE shared_rule = $3 AND charge_period_start BETWEEN $1::date AND $2::date GROUP BY 1, 3, 4`,
        [...range, rule.name],
      );
      continue;
    }
    const fixed = teams.map((t) => (rule.split === 'percent' ? String(rule.percent[t]) : '1'));
    await runner.query(
      `WITH pool AS (
         SELECT charge_period_start AS day, service_name, currency, sum(billed_cost) AS billed, sum(effective_cost) AS effective
         FROM cost_line WHERE shared_rule = $3 AND charge_period_start BETWEEN $1::date AND $2::date
         GROUP BY 1, 2, 3),
       members AS (SELECT * FROM unnest($4::text[], $5::numeric[]) AS m(team, fixed)),
       direct AS (
         SELECT day, currency, team, sum(billed_cost) AS spend FROM cost_daily
         WHERE shared_rule = '' AND team = ANY($4::text[]) AND day BETWEEN $1::date AND $2::date
         GROUP BY 1, 2, 3),
       weighted AS (
         SELECT p.day, p.service_name, p.currency, m.team, p.billed, p.effective, m.fixed,
           coalesce(d.spend, 0) AS spend,
           sum(coalesce(d.spend, 0)) OVER w AS spend_total, sum(m.fixed) OVER w AS fixed_total
         FROM pool p CROSS JOIN members m
         LEFT JOIN direct d ON d.day = p.day AND d.currency = p.currency AND d.team = m.team
         WINDOW w AS (PARTITION BY p.day, p.service_name, p.currency)),
       parts AS (
         SELECT day, service_name, currency, team, billed, effective,
           CASE WHEN $6 = 'proportional' AND spend_total > 0 THEN spend / spend_total ELSE fixed / fixed_total END AS weight,
           row_number() OVER (PARTITION BY day, service_name, currency ORDER BY team) AS rn
         FROM weighted),
       shares AS (
         SELECT *, round(billed * weight, 10) AS b, round(effective * weight, 10) AS e FROM parts)
       INSERT INTO cost_daily (day, team, service_name, currency, shared_rule, billed_cost, effective_cost)
       SELECT day, team, service_name, currency, $3,
         b + CASE WHEN rn = 1 THEN billed - sum(b) OVER x ELSE 0 END,
         e + CASE WHEN rn = 1 THEN effective - sum(e) OVER x ELSE 0 END
       FROM shares WINDOW x AS (PARTITION BY day, service_name, currency)`,
      [...range, rule.name, teams, fixed, rule.split],
    );
  }
}

/**
 * When the catalog's rules differ from the ones that last allocated the table, allocates every
 * line again and rebuilds every rollup, then records the new rules; true when it re-allocated
 * lines. The stored fingerprint's row is locked for the caller's transaction.
 */
async function reallocateIfStale(runner: QueryRunner, catalog: CostCatalog): Promise<boolean> {
  const fingerprint = allocationFingerprint(catalog);
  const [state] = (await runner.query(`SELECT fingerprint FROM cost_allocation WHERE id = 1 FOR UPDATE`)) as {
    fingerprint: string;
  }[];
  if (state?.fingerprint === fingerprint) return false;
  const [lines] = (await runner.query(`SELECT EXISTS (SELECT 1 FROM cost_line) AS any`)) as {
    any: boolean;
  }[];
  if (lines?.any) {
    await allocate(runner, catalog);
    await rollup(runner, catalog, undefined);
  }
  await runner.query(
    `INSERT INTO cost_allocation (id, fingerprint) VALUES (1, $1)
     ON CONFLICT (id) DO UPDATE SET fingerprint = excluded.fingerprint, allocated_at = now()`,
    [fingerprint],
  );
  return lines?.any === true;
}

/**
 * After a pull or import wrote `pullId`: allocates its lines (unless `allocated`: written with
 * their claims from `claimSql`), or every line when the catalog's rules changed since the table
 * was last allocated, and rebuilds the rollups of the days touched.
 */
export async function applyAllocation(
  runner: QueryRunner,
  catalog: CostCatalog | undefined,
  pull: { pullId: string; from: string; to: string; allocated?: boolean },
): Promise<{ reallocated: boolean }> {
  if (catalog && (await reallocateIfStale(runner, catalog))) return { reallocated: true };
  if (catalog && !pull.allocated) await allocate(runner, catalog, { pullId: pull.pullId });
  await rollup(runner, catalog, pull);
  return { reallocated: false };
}

/**
 * Re-allocates every cost line when the catalog's rules differ from the ones that last
 * allocated the table (a team took over a tag value, a shared cost was added), in one
 * transaction; does nothing when they are the same. Returns whether it re-allocated.
 */
export async function reallocateIfChanged(dataSource: DataSource, catalog: CostCatalog): Promise<boolean> {
  return dataSource.transaction((manager) => reallocateIfStale(manager.queryRunner!, catalog));
}
