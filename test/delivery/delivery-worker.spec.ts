/**
 * The delivery worker on a real PostgreSQL against a local HTTP receiver: order per destination,
 * one request at a time per destination (also with two replicas), Retry-After honoured, the rate
 * limit kept, rows parked after their attempts and requeued, refused messages parked at once.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';

import type { DataSource } from 'typeorm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

import {
  ChatTransport,
  DEFAULT_MIN_INTERVAL_MS,
  DeliveryStore,
  DeliveryWorker,
  OutboxStore,
  parseNotification,
  routeNotification,
  type OutboxRow,
} from '@burnrate/notify';
import { openDataSource } from '@burnrate/persistence';
import { aCatalog } from '@burnrate/catalog/testing';

import { aPostgresDatabase, type TestDatabase } from '../persistence/test-databases.js';

interface Received {
  path: string;
  key: string;
  body: { status: string; groupKey: string };
  at: number;
  answered: number;
}

let database: TestDatabase;
let dataSource: DataSource;
let receiver: Server;
let baseUrl = '';
let received: Received[] = [];
let inFlight = new Map<string, number>();
let maxInFlight = 0;
/** Decides each answer: status and headers. */
let answer: (path: string, n: number) => { status: number; headers?: Record<string, string> } = () => ({
  status: 200,
});

const body = async (req: IncomingMessage) => {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8')) as Received['body'];
};

beforeAll(async () => {
  database = await aPostgresDatabase();
  dataSource = await openDataSource(database.config);
  receiver = createServer((req, res) => {
    const path = req.url ?? '';
    inFlight.set(path, (inFlight.get(path) ?? 0) + 1);
    maxInFlight = Math.max(maxInFlight, inFlight.get(path)!);
    void body(req).then((parsed) => {
      setTimeout(() => {
        const n = received.filter((r) => r.path === path).length;
        const { status, headers } = answer(path, n);
        received.push({
          path,
          key: String(req.headers['idempotency-key']),
          body: parsed,
          at: Date.now(),
          answered: status,
        });
        inFlight.set(path, inFlight.get(path)! - 1);
        res.writeHead(status, headers).end(status < 300 ? 'ok' : 'no');
      }, 5);
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const address = receiver.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  baseUrl = `http://127.0.0.1:${address.port}`;
}, 120_000);

afterEach(async () => {
  await dataSource.query('TRUNCATE alert_outbox, delivery_lane');
  received = [];
  inFlight = new Map();
  maxInFlight = 0;
  answer = () => ({ status: 200 });
});

afterAll(async () => {
  await dataSource?.destroy();
  await new Promise((resolve) => receiver?.close(resolve));
  await database?.drop();
});

const catalog = aCatalog([], {
  teams: [
    {
      name: 'payments',
      declared: true,
      chat: [
        { type: 'slack', url: 'http://placeholder/slack', severities: [], reports: [] },
        { type: 'webhook', url: 'http://placeholder/hook', severities: [], reports: [] },
      ],
    },
  ],
});

async function enqueue(groupKey: string, status: 'firing' | 'resolved') {
  const notification = parseNotification({
    version: '4',
    status,
    groupKey,
    receiver: 'burnrate',
    alerts: [
      {
        status,
        labels: { alertname: 'Burn', team: 'payments', severity: 'page', slo: groupKey },
        startsAt: '2026-12-06T10:00:00Z',
        fingerprint: `fp-${groupKey}`,
      },
    ],
  });
  return new OutboxStore(dataSource).enqueue(notification, routeNotification(notification, catalog));
}

function worker(replica: string, overrides: Partial<{ maxAttempts: number; minInterval: number }> = {}) {
  const store = new DeliveryStore(dataSource);
  const prepare = (row: OutboxRow) => {
    const destination = row.payload['destination'] as { type: 'slack' | 'webhook'; index: number };
    return Promise.resolve({
      type: destination.type,
      request: {
        url: `${baseUrl}/${destination.type}`,
        body: { status: row.payload['status'], groupKey: row.groupKey },
        idempotencyKey: row.key,
      },
    });
  };
  const minInterval = overrides.minInterval ?? 0;
  return new DeliveryWorker(
    { store, transport: new ChatTransport(5000), prepare, now: () => new Date(), random: Math.random },
    {
      replica,
      concurrency: 8,
      leaseMs: 30_000,
      limits: { maxAttempts: overrides.maxAttempts ?? 10, maxAgeMs: 86_400_000 },
      policy: { baseDelayMs: 20, maxDelayMs: 200 },
      minIntervalMs: { ...DEFAULT_MIN_INTERVAL_MS, slack: minInterval, webhook: minInterval },
    },
  );
}

async function drain(workers: DeliveryWorker[], until: () => Promise<boolean>, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await until())) {
    if (Date.now() > deadline) throw new Error('the outbox did not drain in time');
    const sent = await Promise.all(workers.map((w) => w.runOnce()));
    if (sent.every((n) => n === 0)) await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const pending = async () =>
  Number((await dataSource.query(`SELECT count(*) AS n FROM alert_outbox WHERE status = 'pending'`))[0].n);

describe('delivery worker', () => {
  it('sends every row once, in order per destination, one request at a time, through failures', async () => {
    for (let g = 0; g < 5; g++) {
      await enqueue(`g${g}`, 'firing');
      await enqueue(`g${g}`, 'resolved');
    }
    answer = (_path, n) =>
      n % 3 === 0
        ? { status: 429, headers: { 'retry-after': '0' } }
        : n % 3 === 1
          ? { status: 200 }
          : { status: n % 2 ? 500 : 200 };
    await drain([worker('a'), worker('b')], async () => (await pending()) === 0);

    expect(maxInFlight).toBe(1);
    for (const path of ['/slack', '/webhook']) {
      const accepted = received.filter((r) => r.path === path && r.answered < 300);
      expect(accepted).toHaveLength(10);
      // Outbox order: each group's firing before its resolve, groups in arrival order.
      expect(accepted.map((r) => `${r.body.groupKey}:${r.body.status}`)).toEqual(
        [0, 1, 2, 3, 4].flatMap((g) => [`g${g}:firing`, `g${g}:resolved`]),
      );
      // No duplicates without a crash: every key accepted exactly once.
      expect(new Set(accepted.map((r) => r.key)).size).toBe(10);
      // A retried row keeps its Idempotency-Key.
      const keys = new Set(received.filter((r) => r.path === path).map((r) => r.key));
      expect(keys.size).toBe(10);
    }
  });

  it('waits as long as Retry-After says (seconds and HTTP date)', async () => {
    await enqueue('slow', 'firing');
    answer = (_path, n) =>
      n === 0
        ? { status: 429, headers: { 'retry-after': '1' } }
        : n === 1
          ? { status: 429, headers: { 'retry-after': new Date(Date.now() + 2000).toUTCString() } }
          : { status: 200 };
    await drain([worker('a')], async () => (await pending()) === 0);
    const slack = received.filter((r) => r.path === '/slack');
    expect(slack.map((r) => r.answered)).toEqual([429, 429, 200]);
    expect(slack[1]!.at - slack[0]!.at).toBeGreaterThanOrEqual(990);
    // An HTTP date has one-second precision: at least one second, at most about two.
    expect(slack[2]!.at - slack[1]!.at).toBeGreaterThanOrEqual(990);
  });

  it('keeps the rate limit between two messages to one destination', async () => {
    for (let g = 0; g < 3; g++) await enqueue(`r${g}`, 'firing');
    await drain(
      [worker('a', { minInterval: 300 }), worker('b', { minInterval: 300 })],
      async () => (await pending()) === 0,
    );
    const slack = received.filter((r) => r.path === '/slack').map((r) => r.at);
    expect(slack).toHaveLength(3);
    for (let i = 1; i < slack.length; i++) expect(slack[i]! - slack[i - 1]!).toBeGreaterThanOrEqual(290);
  });

  it('parks a row after its attempts, lists it, and sends it when requeued', async () => {
    await enqueue('down', 'firing');
    answer = () => ({ status: 503 });
    await drain([worker('a', { maxAttempts: 3 })], async () => (await pending()) === 0);
    const store = new DeliveryStore(dataSource);
    const parked = await store.list({ status: 'parked', limit: 10 });
    expect(parked).toHaveLength(2);
    expect(parked[0]).toMatchObject({ attempts: 3, lastStatus: 503 });
    expect(parked[0]!.lastError).toMatch(/HTTP 503.*gave up after 3 attempts/);
    expect(received).toHaveLength(6);

    answer = () => ({ status: 200 });
    expect(await store.retry(parked[0]!.id)).toBe(true);
    expect(await store.retry(parked[0]!.id)).toBe(false);
    expect(await store.retry('not-a-number')).toBe(false);
    await drain([worker('a')], async () => (await pending()) === 0);
    expect(received.at(-1)).toMatchObject({ answered: 200, key: parked[0]!.key });
    expect(await store.counts()).toEqual({ pending: 0, parked: 1 });
  });

  it('parks a message the service refuses (400) at once', async () => {
    await enqueue('bad', 'firing');
    answer = (path) => ({ status: path === '/slack' ? 400 : 200 });
    await drain([worker('a')], async () => (await pending()) === 0);
    const [row] = await new DeliveryStore(dataSource).list({ status: 'parked', limit: 10 });
    expect(row).toMatchObject({ attempts: 1, lastStatus: 400, destination: 'team:payments#0' });
  });
});
