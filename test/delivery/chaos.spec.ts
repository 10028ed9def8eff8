/**
 * Delivery under faults: the fake chat service answers 500 or 429 (with Retry-After) to a third
 * of the requests while the built server is killed with SIGKILL and restarted mid-burst, twice.
 * Every message arrives; the only duplicates carry the same Idempotency-Key, at most one per
 * destination per kill; a group's resolve never arrives before its firing; Alertmanager's
 * repeats add nothing; and with no kill there is no duplicate at all.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';

import { aPostgresDatabase, type TestDatabase } from '../persistence/test-databases.js';
import { buildServer, startServerProcess, type ServerProcess } from '../server/server-process.js';
import { startFakeChat, type FakeChat, type Received } from '../support/fake-chat-service.js';

const TOKEN = 'chaos-webhook-token-0123456789';
const TEAMS = ['alpha', 'beta', 'gamma'] as const;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let database: TestDatabase;
let chat: FakeChat;
let server: ServerProcess | undefined;
let env: Record<string, string>;

beforeAll(async () => {
  await buildServer();
  database = await aPostgresDatabase();
  if (database.config.kind !== 'postgres') throw new Error('expected PostgreSQL');
  chat = await startFakeChat({ faultRate: 1 / 3, seed: 20261206, retryAfterSeconds: 1 });
  env = {
    DATABASE_URL: database.config.url,
    WEBHOOK_TOKEN: TOKEN,
    CATALOG_PATH: 'test/delivery/fixtures/chaos',
    ALPHA_URL: `${chat.url}/webhook/alpha`,
    BETA_URL: `${chat.url}/mattermost/beta`,
    GAMMA_URL: `${chat.url}/discord/gamma`,
    DELIVERY_TIMEOUT: '2s',
    DELIVERY_BACKOFF_BASE: '1s',
    DELIVERY_BACKOFF_MAX: '2s',
  };
}, 180_000);

afterAll(async () => {
  server?.child.kill('SIGKILL');
  await chat?.close();
  await database?.drop();
});

async function start(): Promise<ServerProcess> {
  const started = await startServerProcess(env);
  await started.ready(60_000);
  return started;
}

function notification(group: number, status: 'firing' | 'resolved') {
  const team = TEAMS[group % TEAMS.length]!;
  const labels = { alertname: 'Burn', service: `svc-${group}`, slo: 'availability', team, severity: 'page' };
  return {
    version: '4',
    receiver: 'burnrate',
    status,
    groupKey: `{}:{service="svc-${group}"}`,
    groupLabels: { service: `svc-${group}` },
    commonLabels: labels,
    commonAnnotations: { summary: `svc-${group} is burning` },
    externalURL: 'http://alertmanager:9093',
    truncatedAlerts: 0,
    alerts: [
      {
        status,
        labels,
        annotations: { summary: `svc-${group} is burning` },
        startsAt: '2026-12-06T10:00:00Z',
        endsAt: status === 'resolved' ? '2026-12-06T10:30:00Z' : '0001-01-01T00:00:00Z',
        generatorURL: 'http://prometheus:9090/graph',
        fingerprint: `fp-${group}`,
      },
    ],
  };
}

/** Posts as Alertmanager does: a request that gets no answer (the server is down) is sent again. */
async function deliver(body: unknown): Promise<{ queued: number; repeats: number }> {
  for (;;) {
    const target = server;
    if (target) {
      const response = await fetch(`http://127.0.0.1:${target.port}/webhooks/alertmanager`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
        body: JSON.stringify(body),
      }).catch(() => undefined);
      if (response?.status === 200) return (await response.json()) as { queued: number; repeats: number };
    }
    await sleep(200);
  }
}

const keyOf = (r: Received) => r.idempotencyKey ?? '';
const groupOf = (r: Received) => /svc-(\d+)/.exec(JSON.stringify(r.body))?.[1];
const statusOf = (r: Received) => (JSON.stringify(r.body).includes('resolved: SLO') ? 'resolved' : 'firing');

async function deliveredKeys(): Promise<Set<string>> {
  const client = new pg.Client({ connectionString: env['DATABASE_URL'] });
  await client.connect();
  try {
    const { rows } = await client.query<{ dedup_key: string; status: string }>(
      `SELECT dedup_key, status FROM alert_outbox`,
    );
    expect(rows.filter((r) => r.status !== 'delivered')).toEqual([]);
    return new Set(rows.map((r) => r.dedup_key));
  } finally {
    await client.end();
  }
}

describe('delivery through faults and SIGKILL', () => {
  it('delivers every message, duplicates only with the same key (at most one per destination per kill), in order', async () => {
    server = await start();
    const firings = Array.from({ length: 60 }, (_, g) => deliver(notification(g, 'firing')));
    await chat.waitFor((all) => all.length >= 15, 60_000);
    let kills = 0;
    server.child.kill('SIGKILL');
    await server.exited;
    kills++;
    server = await start();
    // The resolves come while the first kill's work is being recovered.
    const resolves = Array.from({ length: 30 }, (_, g) => deliver(notification(g, 'resolved')));
    await Promise.all([...firings, ...resolves]);
    await chat.waitFor((all) => new Set(all.map(keyOf)).size >= 50, 120_000);
    server.child.kill('SIGKILL');
    await server.exited;
    kills++;
    server = await start();
    await chat.waitFor((all) => new Set(all.map(keyOf)).size >= 90, 180_000);

    const expected = await deliveredKeys();
    expect(expected.size).toBe(90);
    const received = [...chat.received];
    expect(new Set(received.map(keyOf))).toEqual(expected);
    expect(received.flatMap((r) => r.problems)).toEqual([]);
    // The faults happened: about a third of the attempts were refused.
    expect(chat.refused.length).toBeGreaterThan(15);

    const byPath = new Map<string, Received[]>();
    for (const r of received) byPath.set(r.path, [...(byPath.get(r.path) ?? []), r]);
    for (const [path, messages] of byPath) {
      const seen = new Set<string>();
      const duplicates = messages.filter((m) => (seen.has(keyOf(m)) ? true : (seen.add(keyOf(m)), false)));
      expect(duplicates.length, `${path}: duplicates`).toBeLessThanOrEqual(kills);
      // In order per group on a destination: the first resolve after the first firing.
      const first = new Map<string, number>();
      messages.forEach((m, index) => {
        const id = `${groupOf(m)}:${statusOf(m)}`;
        if (!first.has(id)) first.set(id, index);
      });
      for (let g = 0; g < 30; g++) {
        if (!first.has(`${g}:resolved`)) continue;
        expect(first.get(`${g}:firing`), `${path} svc-${g}`).toBeLessThan(first.get(`${g}:resolved`)!);
      }
    }

    // Alertmanager repeating itself: recognised, nothing new sent.
    const before = chat.received.length;
    for (const g of [0, 1, 2, 40, 41])
      expect(await deliver(notification(g, 'firing'))).toMatchObject({ queued: 0, repeats: 1 });
    expect(await deliver(notification(0, 'resolved'))).toMatchObject({ queued: 0, repeats: 1 });
    await sleep(2500);
    expect(chat.received.length).toBe(before);
  }, 420_000);

  it('sends no duplicate at all when nothing is killed', async () => {
    const start = chat.received.length;
    await Promise.all(Array.from({ length: 30 }, (_, i) => deliver(notification(100 + i, 'firing'))));
    await chat.waitFor((all) => new Set(all.slice(start).map(keyOf)).size >= 30, 180_000);
    await sleep(1500);
    const fresh = chat.received.slice(start);
    expect(fresh).toHaveLength(30);
    expect(new Set(fresh.map(keyOf)).size).toBe(30);
  }, 240_000);
});
