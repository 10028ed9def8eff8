/**
 * The alert receiver on a real PostgreSQL: bearer token checks, what is refused and how,
 * routing from catalog ownership into the durable outbox, repeats recognised, and a real
 * Alertmanager 0.25 whose webhook receiver points at the server.
 */
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createServer, loadServerConfig } from '../../apps/server/src/server.js';
import { aPostgresDatabase, type TestDatabase } from '../persistence/test-databases.js';
import { startAlertmanager, type AlertmanagerServer } from '../support/alertmanager.js';

const TOKEN = 'a-webhook-token-of-some-length';
const CATALOG = 'test/webhooks/fixtures/catalog';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let database: TestDatabase;
let app: NestExpressApplication;
let baseUrl: string;

async function listen(env: Record<string, string>): Promise<{ app: NestExpressApplication; url: string }> {
  const server = await createServer(loadServerConfig({ PORT: '0', CATALOG_PATH: CATALOG, ...env }), {
    logger: ['error'],
  });
  await server.listen(0, '127.0.0.1');
  const address = server.getHttpServer().address();
  if (address === null || typeof address === 'string') throw new Error('server is not listening on TCP');
  return { app: server, url: `http://127.0.0.1:${address.port}` };
}

beforeAll(async () => {
  database = await aPostgresDatabase();
  if (database.config.kind !== 'postgres') throw new Error('expected PostgreSQL');
  ({ app, url: baseUrl } = await listen({ DATABASE_URL: database.config.url, WEBHOOK_TOKEN: TOKEN }));
}, 120_000);

afterAll(async () => {
  await app?.close();
  await database?.drop();
});

function notification(status: 'firing' | 'resolved', alerts: Record<string, string>[], groupKey = 'group-1') {
  return {
    version: '4',
    receiver: 'burnrate',
    status,
    groupKey,
    groupLabels: { alertname: 'CartAvailabilityBurn' },
    commonLabels: {},
    commonAnnotations: {},
    externalURL: 'http://alertmanager:9093',
    truncatedAlerts: 0,
    alerts: alerts.map((labels, i) => ({
      status,
      labels: { alertname: 'CartAvailabilityBurn', ...labels },
      annotations: { summary: 'cart availability is burning its error budget too fast' },
      startsAt: '2026-12-06T10:00:00Z',
      endsAt: status === 'resolved' ? '2026-12-06T10:30:00Z' : '0001-01-01T00:00:00Z',
      generatorURL: 'http://prometheus:9090/graph',
      fingerprint: `fp-${groupKey}-${i}`,
    })),
  };
}

const post = (body: unknown, headers: Record<string, string> = { Authorization: `Bearer ${TOKEN}` }) =>
  fetch(`${baseUrl}/webhooks/alertmanager`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

const rows = () =>
  app.get(DataSource).query<
    {
      team: string;
      status: string;
      last_error: string | null;
      payload: {
        status: string;
        destination: { type: string } | null;
        alerts: { labels: Record<string, string> }[];
      };
    }[]
  >(`SELECT team, status, last_error, payload FROM alert_outbox ORDER BY id`);

describe('POST /webhooks/alertmanager', () => {
  it.each([
    ['no Authorization header', {}],
    ['a wrong token of the same length', { Authorization: `Bearer ${'x'.repeat(TOKEN.length)}` }],
    ['a token of another length', { Authorization: `Bearer ${TOKEN}-and-more` }],
    ['another scheme', { Authorization: `Basic ${TOKEN}` }],
  ])('refuses %s with 401, queueing nothing', async (_name, headers) => {
    const response = await post(notification('firing', [{ team: 'shop', severity: 'page' }]), headers);
    expect(response.status).toBe(401);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(await rows()).toEqual([]);
  });

  it.each([
    ['malformed JSON', '{"status": "firing", "alerts": [', /JSON/],
    ['no alerts list', { status: 'firing' }, /alerts: a list of alerts is required/],
    ['no status', { alerts: [] }, /status: required/],
    [
      'an alert without labels',
      { status: 'firing', alerts: [{ status: 'firing' }] },
      /alerts\[0\]\.labels: required/,
    ],
    ['a bad status', { status: 'burning', alerts: [] }, /status: must be "firing" or "resolved"/],
  ])('answers %s with a 400 naming what is wrong', async (_name, body, detail) => {
    const response = await post(body);
    expect(response.status).toBe(400);
    expect(((await response.json()) as { detail: string }).detail).toMatch(detail);
  });

  it('answers a body over 1 MiB with 413', async () => {
    const big = notification('firing', [{ team: 'shop', severity: 'page', filler: 'x'.repeat(1_100_000) }]);
    expect((await post(big)).status).toBe(413);
  });

  it('routes by team, then by service owner, to each destination the severity allows; parks what no rule routes', async () => {
    const response = await post(
      notification('firing', [
        { team: 'shop', severity: 'page' },
        { service: 'cart', severity: 'ticket' },
        { team: 'nobody', service: 'nowhere', severity: 'page' },
      ]),
    );
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ queued: 2, repeats: 0, parked: 1 });
    const queued = await rows();
    const by = (type: string | null) => queued.find((r) => (r.payload.destination?.type ?? null) === type)!;
    // Slack takes pages only; Discord pages and tickets; the reports-only webhook takes no alert.
    expect(by('slack').payload.alerts.map((a) => a.labels['severity'])).toEqual(['page']);
    expect(by('discord').payload.alerts.map((a) => a.labels['severity'])).toEqual(['page', 'ticket']);
    expect(by('webhook')).toBeUndefined();
    expect(by(null)).toMatchObject({ team: '', status: 'parked' });
    expect(by(null).last_error).toContain('team="nobody" service="nowhere"');
  });

  it('lists parked deliveries with their reason; the admin retry refuses without the admin token or a destination', async () => {
    const listed = await fetch(`${baseUrl}/api/v1/deliveries?status=parked`);
    expect(listed.status).toBe(200);
    const { items } = (await listed.json()) as {
      items: { id: string; lastError: string; destination: string }[];
    };
    expect(items.length).toBeGreaterThan(0);
    expect(items[0]).toMatchObject({ destination: '' });
    expect(items[0]!.lastError).toContain('no ALERT_FALLBACK_TEAM');
    const pendingOnes = (await (
      await fetch(`${baseUrl}/api/v1/deliveries?status=pending&team=shop`)
    ).json()) as {
      items: { team: string; destination: string }[];
    };
    expect(pendingOnes.items.map((i) => i.destination).sort()).toEqual(['team:shop#0', 'team:shop#2']);
    expect((await fetch(`${baseUrl}/api/v1/deliveries?status=lost`)).status).toBe(400);
    expect((await fetch(`${baseUrl}/api/v1/deliveries?limit=0`)).status).toBe(400);
    // No ADMIN_TOKEN on this server: the admin API is closed, never open.
    const retry = await fetch(`${baseUrl}/api/v1/deliveries/${items[0]!.id}/retry`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${TOKEN}` },
    });
    expect(retry.status).toBe(401);
  });

  it('recognises a repeat (same group, status and alerts) and queues a resolve as a delivery of its own', async () => {
    const before = (await rows()).length;
    const repeat = await post(
      notification('firing', [
        { team: 'shop', severity: 'page' },
        { service: 'cart', severity: 'ticket' },
        { team: 'nobody', service: 'nowhere', severity: 'page' },
      ]),
    );
    expect(await repeat.json()).toEqual({ queued: 0, repeats: 3, parked: 0 });
    expect((await rows()).length).toBe(before);
    const resolved = await post(
      notification('resolved', [
        { team: 'shop', severity: 'page' },
        { service: 'cart', severity: 'ticket' },
      ]),
    );
    expect(await resolved.json()).toEqual({ queued: 2, repeats: 0, parked: 0 });
  });

  it('takes Grafana alerting’s payload (version "1", extra fields)', async () => {
    const grafana = {
      ...notification('firing', [{ team: 'ops', severity: 'ticket' }], 'grafana-group'),
      version: '1',
      orgId: 1,
      title: '[FIRING:1] CartAvailabilityBurn',
      state: 'alerting',
      message: 'one alert',
    };
    const response = await post(grafana);
    expect(await response.json()).toEqual({ queued: 1, repeats: 0, parked: 0 });
    const row = (await rows()).at(-1)!;
    expect(row).toMatchObject({ team: 'ops', payload: { destination: { type: 'webhook' } } });
  });

  it('reports, at load, every chat destination whose URL variable is not set', async () => {
    const state = (await (await fetch(`${baseUrl}/api/v1/catalog`)).json()) as { warnings: string[] };
    expect(state.warnings).toEqual([
      'team ops: chat[0] (webhook) takes its URL from OPS_WEBHOOK_URL, which is not set: nothing can be sent there',
      'team shop: chat[0] (slack) takes its URL from SHOP_SLACK_URL, which is not set: nothing can be sent there',
      'team shop: chat[1] (webhook) takes its URL from SHOP_REPORTS_URL, which is not set: nothing can be sent there',
      'team shop: chat[2] (discord) takes its URL from SHOP_DISCORD_URL, which is not set: nothing can be sent there',
    ]);
    const withOne = await listen({ DATA_DIR: 'memory://', SHOP_SLACK_URL: 'https://hooks.example/x' });
    try {
      const some = (await (await fetch(`${withOne.url}/api/v1/catalog`)).json()) as { warnings: string[] };
      expect(some.warnings).toHaveLength(3);
      expect(some.warnings.join('\n')).not.toContain('SHOP_SLACK_URL');
    } finally {
      await withOne.app.close();
    }
  });

  it('is off (503), never open, without WEBHOOK_TOKEN', async () => {
    const off = await listen({ DATA_DIR: 'memory://' });
    try {
      const response = await fetch(`${off.url}/webhooks/alertmanager`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(notification('firing', [{ team: 'shop' }])),
      });
      expect(response.status).toBe(503);
      expect(((await response.json()) as { detail: string }).detail).toContain('WEBHOOK_TOKEN');
    } finally {
      await off.app.close();
    }
  });
});

describe('a real Alertmanager posting to the webhook', () => {
  let alertmanager: AlertmanagerServer;

  beforeAll(async () => {
    alertmanager = await startAlertmanager({
      route: {
        receiver: 'burnrate',
        group_by: ['alertname', 'service'],
        group_wait: '1s',
        group_interval: '1s',
      },
      receivers: [
        {
          name: 'burnrate',
          webhook_configs: [
            {
              url: `${baseUrl}/webhooks/alertmanager`,
              send_resolved: true,
              http_config: { authorization: { type: 'Bearer', credentials: TOKEN } },
            },
          ],
        },
      ],
    });
  }, 60_000);

  afterAll(async () => {
    await alertmanager?.stop();
  });

  it('queues the firing group, then its resolve, for the owning team’s destinations', async () => {
    const alert = (endsAt?: string) => [
      {
        labels: { alertname: 'OrderWorkerBurn', service: 'cart', severity: 'page', slo: 'availability' },
        annotations: { summary: 'cart availability burning' },
        startsAt: new Date(Date.now() - 60_000).toISOString(),
        ...(endsAt ? { endsAt } : {}),
      },
    ];
    const send = (body: unknown) =>
      fetch(`${alertmanager.url}/api/v2/alerts`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      });
    expect((await send(alert())).status).toBe(200);
    const fromAlertmanager = async (status: string) => {
      for (let i = 0; i < 100; i++) {
        const found = (await rows()).filter(
          (r) =>
            r.payload.status === status &&
            r.payload.alerts.some((a) => a.labels['alertname'] === 'OrderWorkerBurn'),
        );
        if (found.length >= 2) return found;
        await sleep(200);
      }
      return [];
    };
    const firing = await fromAlertmanager('firing');
    expect(firing.map((r) => r.payload.destination?.type).sort()).toEqual(['discord', 'slack']);
    expect(firing.every((r) => r.team === 'shop' && r.status === 'pending')).toBe(true);

    expect((await send(alert(new Date().toISOString()))).status).toBe(200);
    const resolved = await fromAlertmanager('resolved');
    expect(resolved.map((r) => r.payload.destination?.type).sort()).toEqual(['discord', 'slack']);
  });
});
