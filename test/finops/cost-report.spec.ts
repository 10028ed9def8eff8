/**
 * The weekly cost report on the real PostgreSQL, from data written through the pull path: every
 * figure of the JSON checked by hand (totals, change, services, movers, unallocated share, tag
 * coverage, month to date and forecast, anomalies, reliability, other currencies), Markdown and
 * HTML renderings, every chat format valid for its service, and `report cost --send` queuing
 * once per team, week and destination however often it runs.
 */
import { spawn } from 'node:child_process';

import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCatalog, type Catalog } from '@burnrate/catalog';
import {
  buildWeeklyReports,
  parseIsoWeek,
  renderReport,
  renderReportMessage,
  writePull,
  type DailyCostLine,
} from '@burnrate/finops';
import { MESSAGE_FORMATS } from '@burnrate/notify';
import { openDataSource } from '@burnrate/persistence';

import { aPostgresDatabase, type TestDatabase } from '../persistence/test-databases.js';
import { buildServer } from '../server/server-process.js';
import { validateChatMessage } from '../support/chat-wire-formats.js';

const CATALOG = 'test/finops/fixtures/report-catalog';
const WEEK = parseIsoWeek('2026-W49')!; // Monday 2026-11-30 to Sunday 2026-12-06

const day = (offset: number) => new Date(Date.UTC(2026, 10, 2 + offset)).toISOString().slice(0, 10);
const line = (
  d: string,
  service: string,
  billed: string,
  tags: Record<string, string>,
  currency = 'USD',
): DailyCostLine => ({
  billingAccount: 'aws',
  subAccount: '',
  serviceName: service,
  region: '',
  chargeCategory: 'Usage',
  day: d,
  billedCost: billed,
  effectiveCost: billed,
  currency,
  tags,
  estimated: false,
});

/** 2026-11-02 to 2026-12-06: steady spend, one EC2 spike on Thursday 2026-12-03. */
function bill(): DailyCostLine[] {
  const lines: DailyCostLine[] = [];
  for (let i = 0; i < 35; i++) {
    const d = day(i);
    lines.push(line(d, 'Amazon EC2', d === '2026-12-03' ? '200' : '10', { team: 'payments' }));
    lines.push(line(d, 'Amazon S3', '5', { team: 'payments' }));
    lines.push(line(d, 'AWS Lambda', '8', { team: 'search' }));
    lines.push(line(d, 'AWS Support', '3', {}));
  }
  lines.push(line('2026-12-01', 'Virtual Machines', '12.34', { team: 'payments' }, 'EUR'));
  return lines;
}

let database: TestDatabase;
let db: DataSource;
let catalog: Catalog;

beforeAll(async () => {
  database = await aPostgresDatabase();
  db = await openDataSource(database.config);
  ({ catalog } = await loadCatalog([CATALOG]));
  await writePull(
    db,
    { provider: 'aws', source: 'test', billingAccounts: ['aws'], from: day(0), to: day(34) },
    bill(),
    {
      catalog,
    },
  );
  await db.query(
    `INSERT INTO slo_status (service, slo, team, time_window, objective, budget_remaining, state)
     VALUES ('checkout', 'availability', 'payments', '30d', 0.999, 0.42, 'ok')`,
  );
  // Two pages this week (one group sent to two destinations counts once), one last week.
  await db.query(
    `INSERT INTO alert_outbox (dedup_key, team, destination_key, group_key, status, payload, created_at) VALUES
     ('a', 'payments', 'team:payments#0', 'g1', 'delivered', '{"status":"firing","alerts":[{"labels":{"severity":"page"}}]}', '2026-12-02T10:00:00Z'),
     ('b', 'payments', 'team:payments#1', 'g1', 'delivered', '{"status":"firing","alerts":[{"labels":{"severity":"page"}}]}', '2026-12-02T10:00:00Z'),
     ('c', 'payments', 'team:payments#0', 'g2', 'delivered', '{"status":"firing","alerts":[{"labels":{"severity":"page"}}]}', '2026-12-06T23:59:00Z'),
     ('d', 'payments', 'team:payments#0', 'g3', 'delivered', '{"status":"firing","alerts":[{"labels":{"severity":"page"}}]}', '2026-11-29T12:00:00Z'),
     ('e', 'payments', 'team:payments#0', 'g4', 'delivered', '{"status":"firing","alerts":[{"labels":{"severity":"ticket"}}]}', '2026-12-03T12:00:00Z')`,
  );
}, 120_000);
afterAll(async () => {
  await db?.destroy();
  await database?.drop();
});

describe('weekly cost report', () => {
  it('has every figure of the week, by hand', async () => {
    const [payments] = await buildWeeklyReports(db, catalog, WEEK, { teams: ['payments'] });
    expect(payments).toEqual({
      team: 'payments',
      week: '2026-W49',
      from: '2026-11-30',
      to: '2026-12-06',
      currency: 'USD',
      total: '295.00', // EC2 6 x 10 + 200, S3 7 x 5
      previousTotal: '105.00',
      change: { amount: '190.00', percent: 181.0 },
      byService: [
        { name: 'Amazon EC2', amount: '260.00', previousAmount: '70.00' },
        { name: 'Amazon S3', amount: '35.00', previousAmount: '35.00' },
      ],
      topMovers: [
        { name: 'Amazon EC2', amount: '260.00', previousAmount: '70.00', change: '190.00', percent: 271.4 },
      ],
      // The whole bill that week: 295 + 56 (search) + 21 (untagged support) = 372 USD.
      unallocated: { amount: '21.00', share: 5.6 },
      tagCoverage: 94.4,
      budget: {
        monthly: '3000.00',
        monthToDate: '280.00', // December 1-6
        forecast: '1333.57', // 280 + 295 / 7 x 25 days left
      },
      anomalies: [
        {
          kind: 'daily',
          service: 'Amazon EC2',
          day: '2026-12-03',
          amount: '200.00',
          expected: '10.00',
          z: null,
        },
        {
          kind: 'weekOverWeek',
          service: 'Amazon EC2',
          amount: '260.00',
          previousAmount: '70.00',
          percent: 271.4,
        },
      ],
      reliability: {
        slos: [{ service: 'checkout', slo: 'availability', state: 'ok', budgetRemaining: 0.42 }],
        pages: 2,
      },
      otherCurrencies: [{ currency: 'EUR', total: '12.34' }],
    });
  });

  it('gives no percent when the previous week is zero, and a team with no spend a zero report', async () => {
    const reports = await buildWeeklyReports(db, catalog, parseIsoWeek('2026-W45')!);
    const search = reports.find((r) => r.team === 'search')!;
    expect(search).toMatchObject({
      total: '56.00',
      previousTotal: '0.00',
      change: { amount: '56.00', percent: null },
    });
    const data = reports.find((r) => r.team === 'data')!;
    expect(data).toMatchObject({ total: '0.00', byService: [], anomalies: [], budget: { monthly: null } });
  });

  it('renders Markdown, HTML and every chat format', async () => {
    const [payments] = await buildWeeklyReports(db, catalog, WEEK, { teams: ['payments'] });
    const md = renderReport(payments!, 'md');
    expect(md).toContain('## Cost report: payments, 2026-W49');
    expect(md).toContain('| Month-end forecast | USD 1,333.57 |');
    expect(md).toContain('- Amazon EC2 on 2026-12-03: USD 200.00 against a usual 10.00');
    expect(md).toContain('- checkout/availability: 42.0% of the error budget left (ok)');
    expect(md).toContain('- Also spent in EUR: 12.34 (not added above)');
    const html = renderReport(payments!, 'html');
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain('<li>Pages this week: 2</li>');
    expect(JSON.parse(renderReport(payments!, 'json'))).toEqual(payments);
    for (const format of MESSAGE_FORMATS) {
      const body = renderReportMessage(payments!, format);
      // The generic webhook carries the report's JSON, not an alert notification.
      if (format === 'webhook') expect(body).toEqual({ kind: 'cost-report', version: 1, report: payments });
      else expect(validateChatMessage(format, body), format).toEqual([]);
      expect(JSON.stringify(body), format).toContain(format === 'webhook' ? '"total":"295.00"' : '1,333.57');
    }
  });

  it('keeps hostile service names inert in every format', async () => {
    const [payments] = await buildWeeklyReports(db, catalog, WEEK, { teams: ['payments'] });
    const hostile = {
      ...payments!,
      byService: [
        { name: '<!channel> @here *bold* [x](https://evil.example)', amount: '1.00', previousAmount: '0.00' },
      ],
    };
    expect(JSON.stringify(renderReportMessage(hostile, 'slack'))).not.toContain('<!channel>');
    expect(JSON.stringify(renderReportMessage(hostile, 'discord'))).not.toContain('@here');
    expect(renderReport(hostile, 'html')).not.toContain('<!channel>');
  });
});

describe('burnrate report cost', () => {
  it('prints a report and queues each team once per week and destination, however often --send runs', async () => {
    await buildServer();
    const cli = (args: string[]) =>
      new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
        const child = spawn(
          process.execPath,
          ['apps/cli/dist/main.js', 'report', 'cost', ...args, '--catalog', CATALOG],
          {
            env: { PATH: process.env['PATH'] ?? '', DATABASE_URL: (database.config as { url: string }).url },
          },
        );
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
        child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
        child.on('exit', (code) => resolve({ code, stdout, stderr }));
      });
    const json = await cli(['--team', 'payments', '--week', '2026-W49', '--format', 'json']);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ team: 'payments', total: '295.00' });
    const first = await cli(['--week', '2026-W49', '--send']);
    // payments: slack (reports: [cost]) and teams (no filter); not the pager. search: discord.
    expect(first.stdout).toBe(
      'queued 2026-W49 cost reports of 3 teams: 3 new messages, 0 already queued, to 3 destinations\n',
    );
    const again = await cli(['--week', '2026-W49', '--send']);
    expect(again.stdout).toBe(
      'queued 2026-W49 cost reports of 3 teams: 0 new messages, 3 already queued, to 3 destinations\n',
    );
    const queued = await db.query<{ destination_key: string }[]>(
      `SELECT destination_key FROM alert_outbox WHERE payload->>'kind' = 'cost-report' ORDER BY destination_key`,
    );
    expect(queued.map((r) => r.destination_key)).toEqual([
      'team:payments#0',
      'team:payments#1',
      'team:search#0',
    ]);
    expect(await cli(['--team', 'payments', '--week', '2025-W53'])).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('--week 2025-W53: must be an ISO week such as 2026-W49'),
    });
    expect(await cli(['--team', 'nobody', '--week', '2026-W49'])).toMatchObject({
      code: 2,
      stderr: expect.stringContaining(
        '--team nobody: not a team of the catalog (teams: data, payments, search)',
      ),
    });
  }, 240_000);
});
