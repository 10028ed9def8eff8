/**
 * Cost pulls through the official SDK clients (@aws-sdk/client-cost-explorer,
 * @azure/arm-costmanagement) against local fakes that speak their wire formats, into the real
 * PostgreSQL: every page, untagged `team$`, throttling backed off, estimated days replaced by
 * final ones, Azure's `nextLink` and Cost Management 429 headers, amounts kept to the last
 * digit, and each team's total checked to the cent (exactly, in fact) against the bill.
 */
import { spawn } from 'node:child_process';

import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadCatalog, type Catalog } from '@burnrate/catalog';
import { pullCosts, writePull, type PullProgress } from '@burnrate/finops';
import { openDataSource } from '@burnrate/persistence';

import { aPostgresDatabase, type TestDatabase } from '../persistence/test-databases.js';
import { buildServer } from '../server/server-process.js';
import { FakeCostExplorer, FakeCostManagement, sum, type Charge } from '../support/fake-cloud-billing.js';

const SHARED = '111122223333';
const OWNED = '222233334444'; // the search team owns this account whole
const SERVICES = ['Amazon Elastic Compute Cloud - Compute', 'Amazon Simple Storage Service', 'AWS Lambda'];
const TEAMS = ['payments', 'search', undefined, 'nobody-claims-this'];

/** Two weeks of charges, amounts with up to ten decimals; the last two days still estimated. */
function aBill(accounts: string[], seed = 7): Charge[] {
  let x = seed;
  const next = () => (x = (x * 1103515245 + 12345) % 2 ** 31);
  const bill: Charge[] = [];
  for (let d = 1; d <= 14; d++) {
    const day = `2026-11-${String(d).padStart(2, '0')}`;
    for (const account of accounts)
      for (const service of SERVICES)
        for (const team of TEAMS) {
          const cents = next() % 100_000;
          const fraction = String(next() % 10 ** 8).padStart(8, '0');
          const unblended = `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}${fraction}`;
          bill.push({
            day,
            account,
            service,
            ...(team ? { team } : {}),
            unblended,
            amortized: sum([unblended, '0.5']),
            estimated: d >= 13,
          });
        }
  }
  return bill;
}

/** What each team should be charged: owned accounts whole, then the tag; the rest unallocated. */
function expected(bill: Charge[], owned: (c: Charge) => boolean) {
  const out: Record<string, string[]> = {};
  for (const c of bill) {
    const team = owned(c) ? 'search' : c.team === 'payments' || c.team === 'search' ? c.team : 'unallocated';
    (out[team] ??= []).push(c.unblended);
  }
  return Object.fromEntries(Object.entries(out).map(([t, amounts]) => [t, sum(amounts)]));
}

const byTeam = async (db: DataSource, provider: string) =>
  Object.fromEntries(
    (
      await db.query<{ team: string; total: string }[]>(
        `SELECT coalesce(team, 'unallocated') AS team, trim_scale(sum(billed_cost))::text AS total
         FROM cost_line WHERE provider = $1 GROUP BY 1 ORDER BY 1`,
        [provider],
      )
    ).map((r) => [r.team, r.total]),
  );

let database: TestDatabase;
let db: DataSource;
let catalog: Catalog;

beforeAll(async () => {
  database = await aPostgresDatabase();
  db = await openDataSource(database.config);
  ({ catalog } = await loadCatalog(['test/finops/fixtures/catalog']));
}, 120_000);
afterAll(async () => {
  await db?.destroy();
  await database?.drop();
});

describe('AWS Cost Explorer pull', () => {
  let fake: FakeCostExplorer;
  const saved = { ...process.env };

  beforeAll(async () => {
    fake = await new FakeCostExplorer(aBill([SHARED, OWNED]), 25).start();
    // The SDK's own configuration: endpoint override and the default credential chain.
    process.env['AWS_ENDPOINT_URL_COST_EXPLORER'] = fake.url;
    process.env['AWS_ACCESS_KEY_ID'] = 'AKIDTEST';
    process.env['AWS_SECRET_ACCESS_KEY'] = 'secret';
  });
  afterAll(async () => {
    process.env = saved;
    await fake.stop();
  });
  beforeEach(() => {
    fake.requests.length = 0;
  });

  const pull = () =>
    pullCosts(db, { provider: 'aws', from: '2026-11-01', to: '2026-11-14', catalog, env: {} });

  it('pulls every page, splits owned accounts from tagged spend and allocates each team to the cent', async () => {
    const told: PullProgress[] = [];
    const summary = await pullCosts(db, {
      provider: 'aws',
      from: '2026-11-01',
      to: '2026-11-14',
      catalog,
      env: {},
      progress: (p) => told.push(p),
    });
    // The progress line is told after every page, with the rows so far.
    expect(told.map((p) => p.requests)).toEqual(fake.requests.map((_, i) => i + 1));
    expect(told.at(-1)!.rows).toBe(summary.rows);
    const bodies = fake.requests.map((r) => r.body);
    // Tag x service for the shared bill, account x service for the owned account: no overlap.
    expect(bodies[0]).toMatchObject({
      TimePeriod: { Start: '2026-11-01', End: '2026-11-15' },
      Granularity: 'DAILY',
      GroupBy: [
        { Type: 'TAG', Key: 'team' },
        { Type: 'DIMENSION', Key: 'SERVICE' },
      ],
      Filter: { Not: { Dimensions: { Key: 'LINKED_ACCOUNT', Values: [OWNED] } } },
    });
    expect(bodies.at(-1)).toMatchObject({
      GroupBy: [
        { Type: 'DIMENSION', Key: 'LINKED_ACCOUNT' },
        { Type: 'DIMENSION', Key: 'SERVICE' },
      ],
      Filter: { Dimensions: { Key: 'LINKED_ACCOUNT', Values: [OWNED] } },
    });
    // 14 days x 3 services x 4 tag values = 168 groups, then 42: 25 a page.
    expect(summary.requests).toBe(Math.ceil(168 / 25) + Math.ceil(42 / 25));
    expect(bodies.filter((b) => 'NextPageToken' in b)).toHaveLength(summary.requests - 2);
    expect(String(fake.requests[0]!.headers.authorization)).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDTEST\//,
    );
    expect(summary).toMatchObject({ rows: 210, lines: 210, days: 14, estimatedDays: 2 });
    expect(summary.totals).toEqual({ USD: sum(fake.bill.map((c) => c.unblended)) });
    expect(await byTeam(db, 'aws')).toEqual(expected(fake.bill, (c) => c.account === OWNED));
    const [untagged] = await db.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM cost_line WHERE provider = 'aws' AND tags = '{}' AND sub_account = ''`,
    );
    expect(untagged!.n).toBe(14 * 3); // `team$` groups are stored untagged, never dropped
    const [effective] = await db.query<{ total: string }[]>(
      `SELECT trim_scale(sum(effective_cost))::text AS total FROM cost_line WHERE provider = 'aws'`,
    );
    expect(effective!.total).toBe(sum(fake.bill.map((c) => c.amortized)));
  });

  it('keeps a second payer apart under its own AWS_COST_BILLING_ACCOUNT', async () => {
    const byAccount = () =>
      db.query<{ account: string; total: string }[]>(
        `SELECT billing_account AS account, trim_scale(sum(billed_cost))::text AS total
         FROM cost_line WHERE provider = 'aws' GROUP BY 1 ORDER BY 1`,
      );
    const window = { from: '2026-11-01', to: '2026-11-14', catalog };
    const total = sum(fake.bill.map((c) => c.unblended));
    expect(await byAccount()).toEqual([{ account: 'aws', total }]);
    await pullCosts(db, { provider: 'aws', ...window, env: { AWS_COST_BILLING_ACCOUNT: '222233334444' } });
    expect(await byAccount()).toEqual([
      { account: '222233334444', total },
      { account: 'aws', total },
    ]);
    await expect(
      pullCosts(db, { provider: 'aws', ...window, env: { AWS_COST_BILLING_ACCOUNT: 'two words' } }),
    ).rejects.toThrow(/AWS_COST_BILLING_ACCOUNT: `two words` must be/);
    // Replacing the second payer's days by nothing leaves the first as it was.
    await writePull(
      db,
      { provider: 'aws', source: 'test', billingAccounts: ['222233334444'], ...window },
      [],
      { catalog },
    );
    expect(await byAccount()).toEqual([{ account: 'aws', total }]);
  });

  it('changes nothing when the same days are pulled again', async () => {
    const before = await db.query(`SELECT * FROM cost_line WHERE provider = 'aws' ORDER BY id`);
    await pull();
    const after = await db.query(`SELECT * FROM cost_line WHERE provider = 'aws' ORDER BY id`);
    const strip = (rows: Record<string, unknown>[]) =>
      rows.map((row) =>
        Object.fromEntries(
          Object.entries(row).filter(([k]) => !['id', 'pull_id', 'ingested_at'].includes(k)),
        ),
      );
    expect(strip(after)).toEqual(strip(before));
  });

  it('replaces estimated days with the final figures', async () => {
    const original = fake.bill;
    fake.bill = original.map((c) =>
      c.estimated ? { ...c, unblended: sum([c.unblended, '0.01']), estimated: false } : c,
    );
    try {
      const summary = await pull();
      expect(summary.estimatedDays).toBe(0);
      expect(await byTeam(db, 'aws')).toEqual(expected(fake.bill, (c) => c.account === OWNED));
      const [estimated] = await db.query<{ n: number }[]>(
        `SELECT count(*)::int AS n FROM cost_line WHERE provider = 'aws' AND estimated`,
      );
      expect(estimated!.n).toBe(0);
    } finally {
      fake.bill = original;
    }
  });

  it('backs off LimitExceededException and 429 and then succeeds', async () => {
    fake.throttle = [400, 429];
    const summary = await pull();
    expect(fake.throttle).toEqual([]);
    expect(fake.requests).toHaveLength(summary.requests + 2);
    expect(await byTeam(db, 'aws')).toEqual(expected(fake.bill, (c) => c.account === OWNED));
  }, 30_000);
});

describe('Azure Cost Management pull', () => {
  const SUB_A = '00000000-0000-0000-0000-0000000000aa';
  const SUB_SEARCH = '00000000-0000-0000-0000-00000000beef';
  let fake: FakeCostManagement;
  const env = () => ({
    AZURE_COST_SCOPES: `subscriptions/${SUB_A}, /subscriptions/${SUB_SEARCH}`,
    AZURE_COST_ENDPOINT: fake.url,
    AZURE_COST_TOKEN: 'test-token',
  });

  beforeAll(async () => {
    const bill = aBill([SUB_A, SUB_SEARCH], 11).map((c, i) =>
      // Digits a float would lose: the stored figure must keep all of them.
      i === 0 ? { ...c, unblended: '19.5453636722765123' } : c,
    );
    fake = await new FakeCostManagement(bill, 40).start();
  });
  afterAll(() => fake.stop());

  it('follows nextLink per scope, backs off on the Cost Management retry-after header and keeps every digit', async () => {
    fake.throttle = [429];
    const started = Date.now();
    const told: PullProgress[] = [];
    const summary = await pullCosts(db, {
      provider: 'azure',
      from: '2026-11-01',
      to: '2026-11-14',
      catalog,
      env: env(),
      progress: (p) => told.push(p),
    });
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000); // waited out the 1 s the header asked
    // The wait is told before it is taken, then every page.
    expect(told[0]).toEqual({ requests: 1, rows: 0, waitMs: 1000 });
    expect(told.at(-1)).toEqual({ requests: fake.requests.length, rows: summary.rows });
    const paths = fake.requests.map((r) => new URL(r.url, fake.url));
    expect(paths[0]!.pathname).toBe(`/subscriptions/${SUB_A}/providers/Microsoft.CostManagement/query`);
    // Two scopes, each asked for ActualCost (billed) and AmortizedCost (effective), every page.
    expect(paths.filter((u) => u.searchParams.has('$skiptoken')).length).toBe(4 * (Math.ceil(168 / 40) - 1));
    const types = fake.requests.map((r) => (r.body as { type: string }).type);
    expect([...new Set(types)]).toEqual(['ActualCost', 'AmortizedCost']);
    expect(fake.requests[0]!.body).toMatchObject({
      type: 'ActualCost',
      timeframe: 'Custom',
      timePeriod: { from: '2026-11-01T00:00:00.000Z', to: '2026-11-14T23:59:59.000Z' },
      dataset: {
        granularity: 'Daily',
        grouping: [
          { type: 'TagKey', name: 'team' },
          { type: 'Dimension', name: 'ServiceName' },
        ],
      },
    });
    // Every page after the first repeats its query's body.
    for (const r of fake.requests)
      expect(r.body).toEqual(fake.requests.find((q) => q.body.type === r.body.type)!.body);
    expect(summary.totals).toEqual({ USD: sum(fake.bill.map((c) => c.unblended)) });
    // One line per day, tag and service, with both amounts, to the last digit.
    const [both] = await db.query<{ billed: string; effective: string; nulls: number }[]>(
      `SELECT trim_scale(sum(billed_cost))::text AS billed, trim_scale(sum(effective_cost))::text AS effective,
         count(*) FILTER (WHERE effective_cost IS NULL)::int AS nulls
       FROM cost_line WHERE provider = 'azure'`,
    );
    expect(both).toEqual({
      billed: sum(fake.bill.map((c) => c.unblended)),
      effective: sum(fake.bill.map((c) => c.amortized)),
      nulls: 0,
    });
    expect(await byTeam(db, 'azure')).toEqual(expected(fake.bill, (c) => c.account === SUB_SEARCH));
    const [exact] = await db.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM cost_line WHERE provider = 'azure' AND billed_cost = 19.5453636722::numeric`,
    );
    expect(exact!.n).toBe(1);
  }, 30_000);

  it('is idempotent across pulls and refuses when throttled past its attempts, writing nothing', async () => {
    const before = await byTeam(db, 'azure');
    await pullCosts(db, { provider: 'azure', from: '2026-11-01', to: '2026-11-14', catalog, env: env() });
    expect(await byTeam(db, 'azure')).toEqual(before);
    fake.throttle = [429, 429];
    fake.retryAfterSeconds = 0;
    await expect(
      pullCosts(db, {
        provider: 'azure',
        from: '2026-11-01',
        to: '2026-11-14',
        catalog,
        env: { ...env(), COST_PULL_MAX_ATTEMPTS: '2' },
      }),
    ).rejects.toThrow(/still throttled \(429\) after 2 attempts/);
    expect(await byTeam(db, 'azure')).toEqual(before);
  }, 30_000);
});

describe('burnrate cost pull', () => {
  it('killed with SIGKILL midway leaves no rows, and run again gives the same totals', async () => {
    await buildServer();
    const fake = await new FakeCostExplorer(aBill([SHARED, OWNED], 3), 5).start();
    const scratch = await aPostgresDatabase();
    const url = (scratch.config as { url: string }).url;
    const cli = (kill: boolean, args = ['--provider', 'aws', '--from', '2026-11-01', '--to', '2026-11-14']) =>
      new Promise<{ code: number | string; stdout: string; stderr: string }>((resolve) => {
        const child = spawn(
          process.execPath,
          ['apps/cli/dist/main.js', 'cost', 'pull', ...args, '--catalog', 'test/finops/fixtures/catalog'],
          {
            env: {
              PATH: process.env['PATH'] ?? '',
              DATABASE_URL: url,
              AWS_ENDPOINT_URL_COST_EXPLORER: fake.url,
              AWS_ACCESS_KEY_ID: 'AKIDTEST',
              AWS_SECRET_ACCESS_KEY: 'secret',
            },
          },
        );
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
        child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
        if (kill) {
          // Killed once it is paging through Cost Explorer.
          const poll = setInterval(() => {
            if (fake.requests.length >= 10) {
              clearInterval(poll);
              child.kill('SIGKILL');
            }
          }, 5);
        }
        child.on('exit', (code, signal) => resolve({ code: code ?? signal ?? -1, stdout, stderr }));
      });
    const check = await openDataSource(scratch.config);
    try {
      expect((await cli(true)).code).toBe('SIGKILL');
      expect(await check.query(`SELECT count(*)::int AS n FROM cost_line`)).toEqual([{ n: 0 }]);
      const first = await cli(false);
      expect(first.code).toBe(0);
      expect(first.stdout).toMatch(
        /^pulled aws 2026-11-01\.\.2026-11-14: 210 rows in \d+ requests, 14 days \(2 days still estimated\), 210 cost lines; billed USD [\d.]+\n$/,
      );
      const totals = await byTeam(check, 'aws');
      expect(totals).toEqual(expected(fake.bill, (c) => c.account === OWNED));
      expect((await cli(false)).code).toBe(0);
      expect(await byTeam(check, 'aws')).toEqual(totals);
      const bad = await cli(false, ['--provider', 'gcp', '--from', '2026-11-01', '--to', '2026-11-31']);
      expect(bad).toMatchObject({
        code: 2,
        stderr: expect.stringMatching(/--provider gcp: must be aws or azure/),
      });
      const azure = await cli(false, ['--provider', 'azure', '--from', '2026-11-01', '--to', '2026-11-02']);
      expect(azure).toMatchObject({ code: 2, stderr: expect.stringMatching(/AZURE_COST_SCOPES: set it/) });
    } finally {
      await check.destroy();
      await scratch.drop();
      await fake.stop();
    }
  }, 240_000);
});
