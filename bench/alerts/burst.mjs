// A burst of 2,000 alert groups through POST /webhooks/alertmanager of the built server
// (`npm start`) on PostgreSQL, delivered to a local chat receiver. Measures the webhook's
// acknowledgement latency (p50, p99: the answer comes once the outbox rows are committed) and
// the time until every message has arrived: `unthrottled` to generic webhooks, `slack` to Slack
// incoming webhooks at Slack's one message a second per webhook. 50 teams, one destination each;
// Alertmanager's own concurrency (one request per group, several groups at once) is 16 here.
// The slack floor is what the limit allows: (2,000 / 50 - 1) seconds.
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { scratchDatabase } from '../support/scratch-database.mjs';

import { freePort } from '../../test/support/prometheus.ts';

const MODE = process.argv[2] ?? 'unthrottled';
const GROUPS = Number(process.env.BENCH_ALERT_GROUPS ?? 2000);
const TEAMS = 50;
const CONCURRENCY = 16;
const TOKEN = 'bench-webhook-token-0123456789';
const TYPE = MODE === 'slack' ? 'slack' : 'webhook';

const percentile = (values, p) => [...values].sort((a, b) => a - b)[Math.ceil((p / 100) * values.length) - 1];

// The receiver: counts messages by path and idempotency key, and records any two messages to one
// Slack webhook closer than Slack's second (a breach of the limit the sender must keep).
const received = new Map();
const lastAt = new Map();
let messages = 0;
let duplicates = 0;
let breaches = 0;
let allDelivered;
const done = new Promise((resolve) => (allDelivered = resolve));
const receiver = createServer((request, response) => {
  const chunks = [];
  request.on('data', (c) => chunks.push(c));
  request.on('end', () => {
    const now = performance.now();
    const key = request.headers['idempotency-key'];
    if (received.has(key)) duplicates++;
    received.set(key, now);
    if (TYPE === 'slack') {
      const last = lastAt.get(request.url);
      if (last !== undefined && now - last < 990) breaches++;
      lastAt.set(request.url, now);
    }
    JSON.parse(Buffer.concat(chunks).toString('utf8'));
    response.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    if (++messages === GROUPS) allDelivered(now);
  });
});
await new Promise((resolve) => receiver.listen(0, '127.0.0.1', resolve));
const chatUrl = `http://127.0.0.1:${receiver.address().port}`;

const catalog = await mkdtemp(join(tmpdir(), 'burnrate-bench-alerts-'));
await writeFile(
  join(catalog, 'teams.yaml'),
  Array.from(
    { length: TEAMS },
    (_, i) => `apiVersion: burnrate.dev/v1
kind: Team
metadata:
  name: team-${i}
spec:
  chat:
    - type: ${TYPE}
      url: ${chatUrl}/${TYPE}/team-${i}
`,
  ).join('---\n'),
);

const database = await scratchDatabase('bench_alerts');

/** The built server, as `npm start` runs it; ready when GET /readyz answers 200. */
async function startServer(env) {
  const port = await freePort();
  const child = spawn(process.execPath, ['apps/server/dist/main.js'], {
    env: { PATH: process.env.PATH, ...env, PORT: String(port) },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const exited = new Promise((resolve) => child.on('exit', resolve));
  for (let i = 0; i < 1200; i++) {
    const status = await fetch(`http://127.0.0.1:${port}/readyz`).then(
      (r) => r.status,
      () => 0,
    );
    if (status === 200) return { port, stop: () => (child.kill('SIGTERM'), exited) };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill('SIGKILL');
  throw new Error('the server was not ready in 120 s');
}

const server = await startServer({
  DATABASE_URL: database.url,
  WEBHOOK_TOKEN: TOKEN,
  CATALOG_PATH: catalog,
  LOG_LEVEL: 'error',
});
try {
  const webhook = `http://127.0.0.1:${server.port}/webhooks/alertmanager`;
  const notification = (i) => ({
    version: '4',
    receiver: 'burnrate',
    status: 'firing',
    groupKey: `{}:{service="svc-${i}", slo="availability"}`,
    groupLabels: { service: `svc-${i}`, slo: 'availability' },
    commonLabels: { service: `svc-${i}`, slo: 'availability', team: `team-${i % TEAMS}`, severity: 'page' },
    commonAnnotations: { summary: `svc-${i} availability is burning its budget` },
    externalURL: 'http://alertmanager:9093',
    truncatedAlerts: 0,
    alerts: [
      {
        status: 'firing',
        labels: {
          alertname: 'Burn',
          service: `svc-${i}`,
          slo: 'availability',
          team: `team-${i % TEAMS}`,
          severity: 'page',
        },
        annotations: { summary: `svc-${i} availability is burning its budget` },
        startsAt: new Date().toISOString(),
        endsAt: '0001-01-01T00:00:00Z',
        generatorURL: 'http://prometheus:9090/graph',
        fingerprint: `fp-${i}`,
      },
    ],
  });
  // Warm up the connection pool and the route's code path on a group of its own team.
  const warm = notification(GROUPS);
  warm.commonLabels.team = 'nobody';
  warm.alerts[0].labels.team = 'nobody';
  const post = (body) =>
    fetch(webhook, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
      body: JSON.stringify(body),
    });
  for (let i = 0; i < 20; i++) await (await post({ ...warm, groupKey: `warm-${i}` })).text();

  const latencies = [];
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < GROUPS) {
        const i = next++;
        const t = performance.now();
        const response = await post(notification(i));
        await response.text();
        latencies.push(performance.now() - t);
        if (response.status !== 200) throw new Error(`webhook answered ${response.status}`);
      }
    }),
  );
  const acknowledged = (performance.now() - started) / 1000;
  const finished = await Promise.race([done, new Promise((r) => setTimeout(() => r(undefined), 600_000))]);
  if (finished === undefined) throw new Error(`only ${messages} of ${GROUPS} messages arrived in 10 minutes`);
  // The webhook's own cost, one request at a time on a server that is not also draining a burst.
  const sequential = [];
  for (let i = 0; i < 200; i++) {
    const t = performance.now();
    await (await post(notification(GROUPS + 1 + i))).text();
    sequential.push(performance.now() - t);
  }
  console.log(
    JSON.stringify({
      bench: `alerts-burst-${MODE}`,
      groups: GROUPS,
      destinations: TEAMS,
      ackP50Ms: percentile(latencies, 50),
      ackP99Ms: percentile(latencies, 99),
      ackMaxMs: Math.max(...latencies),
      concurrency: CONCURRENCY,
      sequentialAckP50Ms: percentile(sequential, 50),
      sequentialAckP99Ms: percentile(sequential, 99),
      allAcknowledgedSeconds: acknowledged,
      deliveredSeconds: (finished - started) / 1000,
      floorSeconds: TYPE === 'slack' ? GROUPS / TEAMS - 1 : 0,
      duplicates,
      rateLimitBreaches: breaches,
    }),
  );
} finally {
  await server.stop();
  receiver.close();
  await database.drop();
  await rm(catalog, { recursive: true, force: true });
}
