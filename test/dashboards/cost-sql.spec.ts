import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDashboards } from '@burnrate/dashboards';
import { aCatalog } from '@burnrate/catalog/testing';
import type { DashboardJson } from './dashboard-checks.js';

/**
 * The cost dashboard's SQL against a real PostgreSQL, on a session-temporary `cost_line` with the
 * columns the dashboard reads. Grafana's macros are expanded the way its PostgreSQL data source
 * does: `$__timeFrom()` to a quoted RFC 3339 time, a multi-value variable to quoted, comma-joined
 * values, "All" to the variable's allValue.
 */
const url = process.env['DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
let client: pg.Client;
let sql: Record<string, string>;
let variableQuery: string;
let currencyQuery: string;

beforeAll(async () => {
  const file = generateDashboards(aCatalog(), { grafanaUrl: 'http://g' }).find(
    (f) => f.path === 'dashboards/_burnrate/cost.json',
  )!;
  const board = JSON.parse(file.content) as DashboardJson;
  // Titles name the chosen currency (`Spend in range ($currency)`); the tests key them without it.
  sql = Object.fromEntries(
    board.panels
      .filter((p) => p.targets)
      .map((p) => [p.title!.replace(' ($currency)', ''), p.targets![0]!.rawSql!]),
  );
  variableQuery = board.templating!.list.find((v) => v.name === 'team')!.query as string;
  currencyQuery = board.templating!.list.find((v) => v.name === 'currency')!.query as string;
  client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query(
    `CREATE TEMP TABLE cost_line (team text, service_name text NOT NULL, charge_period_start date NOT NULL, billed_cost numeric(20,10) NOT NULL, currency varchar(3) NOT NULL)`,
  );
  // This week and last week (Monday-based, as date_trunc('week') is), plus an unallocated line.
  await client.query(`
    INSERT INTO cost_line VALUES
      ('payments', 'checkout', date_trunc('week', current_date)::date, 100.10, 'USD'),
      ('payments', 'ledger',   date_trunc('week', current_date)::date, 20.00, 'USD'),
      ('payments', 'checkout', date_trunc('week', current_date)::date - 7, 80.00, 'USD'),
      ('search',   'indexer',  date_trunc('week', current_date)::date - 7, 50.00, 'USD'),
      (NULL,       'nat-gateway', date_trunc('week', current_date)::date, 30.00, 'USD'),
      ('payments', 'checkout-eu', date_trunc('week', current_date)::date, 1000.00, 'EUR')`);
});

afterAll(async () => {
  await client?.end();
});

async function run(query: string, teams: string[] | 'all' = 'all', currency = 'USD') {
  const expanded = query
    .replace(/\$currency/g, currency)
    .replace(/\$__timeFrom\(\)/g, `'${new Date(Date.now() - 30 * 86_400_000).toISOString().slice(0, 19)}Z'`)
    .replace(/\$__timeTo\(\)/g, `'${new Date(Date.now() + 86_400_000).toISOString().slice(0, 19)}Z'`)
    .replace(/\$team/g, teams === 'all' ? "'__all__'" : teams.map((t) => `'${t}'`).join(','));
  return (await client.query(expanded)).rows as Record<string, unknown>[];
}

describe('the cost dashboard SQL on PostgreSQL', () => {
  it('lists the teams for the variable, unallocated included', async () => {
    expect((await run(variableQuery)).map((r) => Object.values(r)[0])).toEqual([
      'payments',
      'search',
      'unallocated',
    ]);
  });

  it('sums the spend in the time range, for all teams or the chosen ones', async () => {
    expect(await run(sql['Spend in range']!)).toEqual([{ spend: '280.1000000000' }]);
    expect(await run(sql['Spend in range']!, ['payments'])).toEqual([{ spend: '200.1000000000' }]);
  });

  it('never adds two currencies: every sum is of the currency picked, the most spent first', async () => {
    expect((await run(currencyQuery)).map((r) => Object.values(r)[0])).toEqual(['EUR', 'USD']);
    expect(await run(sql['Spend in range']!, 'all', 'EUR')).toEqual([{ spend: '1000.0000000000' }]);
    for (const [title, query] of Object.entries(sql)) {
      if (/spend|week/i.test(title)) expect(query, title).toContain("currency = '$currency'");
    }
  });

  it('reports the share no team claims', async () => {
    expect(Number((await run(sql['Unallocated share']!))[0]!.unallocated)).toBeCloseTo(30 / 280.1, 6);
  });

  it('compares this week with last week per team', async () => {
    const rows = (await run(sql['Week over week']!)).map((r) => [
      r.team,
      Number(r.this_week ?? 0),
      Number(r.last_week ?? 0),
      r.change_percent,
    ]);
    expect(rows).toEqual([
      ['payments', 120.1, 80, '50.1'],
      ['unallocated', 30, 0, null],
      ['search', 0, 50, '-100.0'],
    ]);
  });

  it('gives daily spend per team as a time series and spend per service as a table', async () => {
    const daily = await run(sql['Daily spend by team']!);
    expect(daily.map((r) => r.metric)).toEqual(expect.arrayContaining(['payments', 'search', 'unallocated']));
    expect(daily.every((r) => r.time instanceof Date)).toBe(true);
    expect(
      (await run(sql['Spend by service']!, ['payments'])).map((r) => [r.service, Number(r.spend)]),
    ).toEqual([
      ['checkout', 180.1],
      ['ledger', 20],
    ]);
  });
});
