/**
 * Alerts to chat, end to end: a real Alertmanager 0.25 posts to the server's webhook, the server
 * routes each group to the owning team's destinations, renders it for each format and delivers
 * it to a local fake chat service that checks every message against the service's wire format.
 * Firing and then resolved, in every format, with the dashboard, runbook, traces and silence
 * links, the SLO's burn and budget, a team's own template, and a Slack bot message updated in
 * place with a threaded reply.
 */
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createServer, loadServerConfig } from '../../apps/server/src/server.js';
import { aPostgresDatabase, type TestDatabase } from '../persistence/test-databases.js';
import { startAlertmanager, type AlertmanagerServer } from '../support/alertmanager.js';
import { startFakeChat, type FakeChat, type Received } from '../support/fake-chat-service.js';
import { freePort } from '../support/prometheus.js';

const TOKEN = 'e2e-webhook-token-0123456789';
const FORMATS = ['slack', 'teams', 'googlechat', 'discord', 'mattermost', 'webhook'] as const;
const DASHBOARD = 'https://grafana.example.com/d/burnrate-checkout/checkout?var-slo=availability';
const RUNBOOK = 'https://runbooks.example.com/checkout';
const TRACES =
  'https://grafana.example.com/explore?schemaVersion=1&panes=%7B%22t%22%3A%7B%22datasource%22%3A%22tempo%22%7D%7D';

let database: TestDatabase;
let chat: FakeChat;
let alertmanager: AlertmanagerServer;
let app: NestExpressApplication;

beforeAll(async () => {
  database = await aPostgresDatabase();
  if (database.config.kind !== 'postgres') throw new Error('expected PostgreSQL');
  chat = await startFakeChat();
  const port = await freePort();
  const server = `http://127.0.0.1:${port}`;
  alertmanager = await startAlertmanager({
    route: {
      receiver: 'burnrate',
      group_by: ['service', 'slo'],
      group_wait: '1s',
      group_interval: '1s',
      repeat_interval: '1h',
    },
    receivers: [
      {
        name: 'burnrate',
        webhook_configs: [
          {
            url: `${server}/webhooks/alertmanager`,
            send_resolved: true,
            http_config: { authorization: { type: 'Bearer', credentials: TOKEN } },
          },
        ],
      },
    ],
  });
  const destinations = Object.fromEntries(
    FORMATS.map((f) => [`PAYMENTS_${f.toUpperCase()}_URL`, `${chat.url}/${f}/payments`]),
  );
  app = await createServer(
    loadServerConfig({
      PORT: String(port),
      DATABASE_URL: database.config.url,
      WEBHOOK_TOKEN: TOKEN,
      CATALOG_PATH: 'test/delivery/fixtures/catalog',
      ALERTMANAGER_URL: alertmanager.url,
      SLACK_API_URL: `${chat.url}/api/`,
      PAYMENTS_SLACK_BOT_TOKEN: 'xoxb-e2e-token',
      WEB_SLACK_URL: `${chat.url}/slack/web`,
      ...destinations,
    }),
    { logger: ['error'] },
  );
  await app.listen(port, '127.0.0.1');
  // What the status refresh would have written: checkout/availability burning at 14.4x.
  await app.get(DataSource).query(
    `INSERT INTO slo_status (service, slo, team, time_window, objective, burn_rates, budget_remaining, state, evaluated_at)
     VALUES ('checkout', 'availability', 'payments', '30d', 0.999, '{"5m": 20, "1h": 14.4, "6h": 6}', 0.625, 'burning', now())
     ON CONFLICT (service, slo) DO UPDATE SET burn_rates = EXCLUDED.burn_rates, budget_remaining = EXCLUDED.budget_remaining, state = EXCLUDED.state`,
  );
}, 120_000);

afterAll(async () => {
  await app?.close();
  await alertmanager?.stop();
  await chat?.close();
  await database?.drop();
});

const startsAt = new Date(Date.now() - 5 * 60_000).toISOString();

function alert(service: string, slo: string, endsAt?: string) {
  return {
    labels: {
      alertname: 'CheckoutAvailabilityBurn',
      service,
      slo,
      severity: 'page',
      tier: '0',
    },
    annotations: {
      summary: `${service} ${slo} is burning its error budget`,
      description: 'More than 14.4x the budget rate over 1h and 5m.',
      dashboard: DASHBOARD,
      runbook_url: RUNBOOK,
      traces_url: TRACES,
    },
    startsAt,
    ...(endsAt ? { endsAt } : {}),
  };
}

const toAlertmanager = async (alerts: unknown[]) => {
  const response = await fetch(`${alertmanager.url}/api/v2/alerts`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(alerts),
  });
  expect(response.status).toBe(200);
};

const of = (type: string, status: 'firing' | 'resolved') => (r: Received) =>
  r.path === `/${type}/payments` && JSON.stringify(r.body).includes(`${status}: SLO checkout/availability`);

describe('alerts from a real Alertmanager reach every format', () => {
  it('firing, then resolved, with links, burn and budget, valid for each service', async () => {
    await toAlertmanager([alert('checkout', 'availability')]);
    for (const format of FORMATS) await chat.waitFor((all) => all.some(of(format, 'firing')), 30_000);

    for (const format of FORMATS) {
      const message = chat.received.find(of(format, 'firing'))!;
      expect(message.problems, format).toEqual([]);
      expect(message.idempotencyKey, format).toMatch(/^[0-9a-f]{64}$/);
      const text = JSON.stringify(message.body);
      for (const link of [DASHBOARD, RUNBOOK, TRACES])
        expect(text, format).toContain(JSON.stringify(link).slice(1, -1));
      const silence = `${alertmanager.url}/#/silences/new?filter=${encodeURIComponent('{service="checkout", slo="availability"}')}`;
      expect(text.match(/https?:\/\/[^"\s)]*silences\/new[^"\s)]*/)?.[0], format).toBe(silence);
      expect(text, format).toMatch(/14\.4x/);
      expect(text, format).toMatch(/62\.5%/);
    }
    // The silence form's matchers select exactly the firing alert in Alertmanager.
    const link = new URL(
      JSON.stringify(chat.received.find(of('webhook', 'firing'))!.body).match(/"silence":"([^"]+)"/)![1]!,
    );
    const filter = decodeURIComponent(link.hash.split('filter=')[1]!).slice(1, -1).split(', ');
    const selected = (await (
      await fetch(
        `${alertmanager.url}/api/v2/alerts?${filter.map((m) => `filter=${encodeURIComponent(m)}`).join('&')}`,
      )
    ).json()) as { labels: Record<string, string> }[];
    expect(selected.map((a) => a.labels['service'])).toEqual(['checkout']);

    await toAlertmanager([alert('checkout', 'availability', new Date().toISOString())]);
    for (const format of FORMATS) await chat.waitFor((all) => all.some(of(format, 'resolved')), 30_000);
    for (const format of FORMATS) {
      const firing = chat.received.filter(of(format, 'firing'));
      const resolved = chat.received.filter(of(format, 'resolved'));
      expect(firing, format).toHaveLength(1);
      expect(resolved, format).toHaveLength(1);
      expect(resolved[0]!.problems, format).toEqual([]);
      // Two deliveries, two keys; the resolve after its firing.
      expect(resolved[0]!.idempotencyKey).not.toBe(firing[0]!.idempotencyKey);
      expect(resolved[0]!.at).toBeGreaterThanOrEqual(firing[0]!.at);
      expect(JSON.stringify(resolved[0]!.body)).not.toContain('silences/new');
    }
    const metrics = await (await fetch(`${await app.getUrl()}/metrics`)).text();
    expect(metrics).toMatch(
      /burnrate_deliveries_total\{type="teams",outcome="delivered",status="delivered"\} 2/,
    );
    expect(metrics).toMatch(/burnrate_deliveries\{status="parked"\} 0/);
  }, 90_000);

  it('posts with a Slack bot, then updates that message on resolve and replies in its thread', async () => {
    const bot = () =>
      [...chat.slackMessages.entries()].find(
        ([, m]) => m.channel === 'C0PAYMENTS' && JSON.stringify(m.body).includes('SLO checkout/availability'),
      );
    await chat.waitFor(() => {
      const found = bot();
      return found !== undefined && found[1].updates.length > 0 && found[1].replies.length > 0;
    }, 30_000);
    const [ts, message] = bot()!;
    expect(JSON.stringify(message.body)).toContain('firing: SLO checkout/availability');
    expect(JSON.stringify(message.updates.at(-1))).toContain('resolved: SLO checkout/availability');
    expect(JSON.stringify(message.replies[0])).toContain('resolved');
    expect(ts).toMatch(/^\d+\.\d+$/);
  }, 60_000);

  it("uses a team's own template, escaped like the built-in ones", async () => {
    await toAlertmanager([
      { ...alert('storefront', 'latency'), annotations: { summary: 'p99 <!channel> @here *slow*' } },
    ]);
    await chat.waitFor((all) => all.some((r) => r.path === '/slack/web'), 30_000);
    const message = chat.received.find((r) => r.path === '/slack/web')!;
    expect(message.problems).toEqual([]);
    const text = (message.body as { text: string }).text;
    expect(text).toContain('web team · firing: SLO storefront/latency');
    expect(text).toContain('&lt;!channel&gt;');
    expect(text).not.toContain('<!channel>');
    expect(text).not.toMatch(/@here/);
  }, 60_000);
});
