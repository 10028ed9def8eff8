/**
 * The Monday report end to end: two replicas of the built server on one PostgreSQL, their
 * report schedule firing every second (REPORT_CRON) instead of Monday 09:00, reach a fake chat
 * service once per destination, each in its destination's format, and the cost API answers
 * from the same rollups.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataSource } from 'typeorm';
import { loadCatalog } from '@burnrate/catalog';
import { addDays, isoWeekOf, previousWeek, writePull, type DailyCostLine } from '@burnrate/finops';
import { openDataSource } from '@burnrate/persistence';

import { aPostgresDatabase, type TestDatabase } from '../persistence/test-databases.js';
import { buildServer, startServerProcess, type ServerProcess } from '../server/server-process.js';
import { FakeCostManagement } from '../support/fake-cloud-billing.js';
import { startFakeChat, type FakeChat } from '../support/fake-chat-service.js';

const CATALOG = 'test/finops/fixtures/report-catalog';
// The week the servers report on is last week, whatever day the test runs.
const WEEK = previousWeek(isoWeekOf(new Date()));

let database: TestDatabase;
let db: DataSource;
let chat: FakeChat;
let billing: FakeCostManagement;
const servers: ServerProcess[] = [];

beforeAll(async () => {
  database = await aPostgresDatabase();
  db = await openDataSource(database.config);
  const { catalog } = await loadCatalog([CATALOG]);
  const from = addDays(WEEK.from, -28);
  const lines: DailyCostLine[] = [];
  for (let i = 0; i < 35; i++)
    for (const [team, amount] of [
      ['payments', '10.25'],
      ['search', '4'],
    ] as const)
      lines.push({
        billingAccount: 'aws',
        subAccount: '',
        serviceName: 'Amazon EC2',
        region: '',
        chargeCategory: 'Usage',
        day: addDays(from, i),
        billedCost: amount,
        effectiveCost: amount,
        currency: 'USD',
        tags: { team },
        estimated: false,
      });
  await writePull(
    db,
    { provider: 'aws', source: 'test', billingAccounts: ['aws'], from, to: WEEK.to },
    lines,
    {
      catalog,
    },
  );
  chat = await startFakeChat();
  // An empty Azure bill: the daily pull runs (every second here) and writes nothing.
  billing = await new FakeCostManagement([], 40).start();
  await buildServer();
  for (let i = 0; i < 2; i++)
    servers.push(
      await startServerProcess({
        DATABASE_URL: (database.config as { url: string }).url,
        CATALOG_PATH: CATALOG,
        REPORT_CRON: '* * * * * *',
        COST_PULL_PROVIDERS: 'azure',
        COST_PULL_CRON: '* * * * * *',
        AZURE_COST_SCOPES: 'subscriptions/00000000-0000-0000-0000-0000000000aa',
        AZURE_COST_ENDPOINT: billing.url,
        AZURE_COST_TOKEN: 'test-token',
        PAYMENTS_SLACK_URL: `${chat.url}/slack/payments`,
        PAYMENTS_TEAMS_URL: `${chat.url}/teams/payments`,
        PAYMENTS_PAGER_URL: `${chat.url}/discord/pager`,
        SEARCH_DISCORD_URL: `${chat.url}/discord/search`,
      }),
    );
  await Promise.all(servers.map((s) => s.ready()));
}, 240_000);
afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()));
  await chat?.close();
  await billing?.stop();
  await db?.destroy();
  await database?.drop();
});

describe('the Monday cost report with two replicas', () => {
  it('reaches each destination once, in its format', async () => {
    await chat.waitFor((received) => received.length >= 3, 30_000);
    // Both replicas keep firing every second: give them a few more ticks to send a duplicate.
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    expect(chat.received.map((r) => r.path).sort()).toEqual([
      '/discord/search',
      '/slack/payments',
      '/teams/payments',
    ]);
    for (const message of chat.received) expect(message.problems, message.path).toEqual([]);
    const slack = chat.received.find((r) => r.format === 'slack')!.body as { text: string };
    expect(slack.text).toBe(
      `Cost report: payments, ${WEEK.week}: USD 71.75 from ${WEEK.from} to ${WEEK.to}, +0.00 (0.0%) on last week`,
    );
    const discord = JSON.stringify(chat.received.find((r) => r.path === '/discord/search')!.body);
    expect(discord).toContain('USD 28.00');
    const ticks = await db.query(`SELECT count(*)::int AS n FROM job_tick WHERE job = 'cost-report-weekly'`);
    expect(ticks).toEqual([{ n: 1 }]);
    const delivered = await db.query(
      `SELECT status, count(*)::int AS n FROM alert_outbox WHERE payload->>'kind' = 'cost-report' GROUP BY status`,
    );
    expect(delivered).toEqual([{ status: 'delivered', n: 3 }]);
  }, 60_000);

  it('pulls costs once a day across replicas, and counts the pull in /metrics', async () => {
    const deadline = Date.now() + 30_000;
    while (billing.requests.length < 2 && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 200));
    await new Promise((resolve) => setTimeout(resolve, 3_000)); // more ticks: no second pull
    expect(billing.requests.map((r) => (r.body as { type: string }).type)).toEqual([
      'ActualCost',
      'AmortizedCost',
    ]);
    const counted = await Promise.all(
      servers.map(async (s) => {
        const text = await (await fetch(`http://127.0.0.1:${s.port}/metrics`)).text();
        const ok = /^burnrate_cost_pulls_total\{provider="azure",outcome="ok"\} (\d+)$/m.exec(text);
        const last = /^burnrate_cost_pull_last_success_timestamp_seconds\{provider="azure"\} (\S+)$/m.exec(
          text,
        );
        return { ok: Number(ok?.[1] ?? 0), last: Number(last?.[1] ?? 0) };
      }),
    );
    expect(counted.reduce((n, c) => n + c.ok, 0)).toBe(1);
    expect(Math.max(...counted.map((c) => c.last))).toBeGreaterThan(Date.now() / 1000 - 60);
  });

  it('serves the report and the costs from the API', async () => {
    const base = `http://127.0.0.1:${servers[1]!.port}/api/v1`;
    const report = (await (
      await fetch(`${base}/teams/payments/cost-report?week=${WEEK.week}`)
    ).json()) as Record<string, unknown>;
    expect(report).toMatchObject({
      team: 'payments',
      week: WEEK.week,
      total: '71.75',
      previousTotal: '71.75',
    });
    const costs = await (
      await fetch(`${base}/costs?team=search&from=${WEEK.from}&to=${WEEK.to}&groupBy=day`)
    ).json();
    expect(costs).toMatchObject({
      team: 'search',
      groupBy: 'day',
      totals: [{ currency: 'USD', amount: '28' }],
    });
    expect((costs as { items: unknown[] }).items).toHaveLength(7);
    const unknown = await fetch(`${base}/teams/nobody/cost-report`);
    expect(unknown.status).toBe(404);
    const bad = await fetch(`${base}/costs?groupBy=week`);
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ parameter: 'groupBy' });
  });
});
