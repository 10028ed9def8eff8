/**
 * The alert contract end to end: the generated rules in a real Prometheus scraping a service in
 * a total outage, firing into a real Alertmanager that routes on the contract's labels (`team`,
 * `severity`) to webhook receivers, as a team's Alertmanager config would. What arrives is what
 * chat delivery will see. To fire in seconds, the loaded rules evaluate every second and tile
 * long windows by the second; the alert expressions are unchanged.
 */
import { createServer, type Server } from 'node:http';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Counter, Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aCatalog, aService, eventsSli } from '@burnrate/catalog/testing';
import { generateRules } from '@burnrate/rules';
import { startAlertmanager, type AlertmanagerServer } from '../support/alertmanager.js';
import { startPrometheus, type PrometheusServer } from '../support/prometheus.js';

/** Alertmanager's webhook payload, version 4 (the fields this test reads). */
interface WebhookPayload {
  version: string;
  receiver: string;
  status: 'firing' | 'resolved';
  groupLabels: Record<string, string>;
  alerts: { status: string; labels: Record<string, string>; annotations: Record<string, string> }[];
}

const catalog = aCatalog([
  aService({ name: 'checkout', team: 'payments', slos: [{ labels: { tier: '1' } }] }),
  aService({
    name: 'search',
    team: 'discovery',
    slos: [{ sli: eventsSli('http_requests_total{job="search"}') }],
  }),
]);

const received: WebhookPayload[] = [];
let hooks: Server;
let target: { server: Server; port: number };
let prometheus: PrometheusServer;
let alertmanager: AlertmanagerServer;
let work: string;
let traffic: NodeJS.Timeout;

beforeAll(async () => {
  hooks = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      received.push(JSON.parse(body) as WebhookPayload);
      res.writeHead(200).end();
    });
  });
  const hooksPort = await listen(hooks);
  const hook = (receiver: string) => ({
    name: receiver,
    webhook_configs: [{ url: `http://127.0.0.1:${hooksPort}/${receiver}`, send_resolved: false }],
  });
  alertmanager = await startAlertmanager({
    route: {
      receiver: 'catch-all',
      group_by: ['team', 'service', 'slo', 'severity'],
      group_wait: '1s',
      group_interval: '1s',
      repeat_interval: '1h',
      routes: [
        { receiver: 'payments-page', matchers: ['team="payments"', 'severity="page"'] },
        { receiver: 'payments-ticket', matchers: ['team="payments"', 'severity="ticket"'] },
      ],
    },
    receivers: [hook('catch-all'), hook('payments-page'), hook('payments-ticket')],
  });

  // checkout fails every request; search serves every one.
  const registry = new Registry();
  const requests = new Counter({
    name: 'http_requests_total',
    help: 'Requests.',
    labelNames: ['job', 'code'],
    registers: [registry],
  });
  const serve = () => {
    requests.inc({ job: 'checkout', code: '503' }, 20);
    requests.inc({ job: 'search', code: '200' }, 20);
  };
  serve();
  traffic = setInterval(serve, 200);
  const server = createServer((_req, res) => {
    void registry
      .metrics()
      .then((body) => res.writeHead(200, { 'Content-Type': registry.contentType }).end(body));
  });
  target = { server, port: await listen(server) };

  work = await mkdtemp(join(tmpdir(), 'burnrate-delivery-'));
  const ruleFiles: string[] = [];
  const files = generateRules(catalog, {
    grafanaUrl: 'https://grafana.example.com',
    promtoolTests: false,
    fastInterval: '1s',
    slowInterval: '1s',
  });
  for (const file of files.filter((f) => f.path.startsWith('rules/prometheus/'))) {
    const path = join(work, file.path.replaceAll('/', '_'));
    await writeFile(path, file.content.replace(/:5m\]/g, ':1s]'));
    ruleFiles.push(path);
  }
  prometheus = await startPrometheus({
    ruleFiles,
    evaluationInterval: '1s',
    config: {
      scrape_configs: [
        {
          job_name: 'shop',
          scrape_interval: '1s',
          honor_labels: true,
          static_configs: [{ targets: [`127.0.0.1:${target.port}`] }],
        },
      ],
      alerting: { alertmanagers: [{ static_configs: [{ targets: [alertmanager.target] }] }] },
    },
  });
  await waitFor(
    () => ['payments-page', 'payments-ticket'].every((r) => received.some((p) => p.receiver === r)),
    90_000,
  );
}, 150_000);

afterAll(async () => {
  clearInterval(traffic);
  await prometheus?.stop();
  await alertmanager?.stop();
  await Promise.all([hooks, target?.server].filter(Boolean).map((s) => new Promise((r) => s.close(r))));
  if (work) await rm(work, { recursive: true, force: true });
});

describe('generated alerts through a real Prometheus and Alertmanager', () => {
  it("reach the owning team's page and ticket receivers, routed on the contract labels", () => {
    const page = received.find((p) => p.receiver === 'payments-page')!;
    const ticket = received.find((p) => p.receiver === 'payments-ticket')!;
    expect(page).toMatchObject({
      version: '4',
      status: 'firing',
      groupLabels: { team: 'payments', service: 'checkout', slo: 'availability', severity: 'page' },
    });
    expect(ticket).toMatchObject({
      version: '4',
      status: 'firing',
      groupLabels: { team: 'payments', severity: 'ticket' },
    });
  });

  it('carry service, slo, team, severity and the spec labels, and one alert per severity', () => {
    const alerts = received.flatMap((p) => p.alerts);
    for (const alert of alerts) {
      expect(alert.labels).toMatchObject({
        alertname: 'CheckoutAvailabilityBurn',
        service: 'checkout',
        slo: 'availability',
        team: 'payments',
        tier: '1',
      });
      expect(alert.labels).not.toHaveProperty('window');
    }
    const severities = new Set(alerts.map((a) => a.labels.severity));
    expect([...severities].sort()).toEqual(['page', 'ticket']);
    for (const payload of received) expect(payload.alerts).toHaveLength(1);
  });

  it('carry a summary, the runbook, the dashboard and a Tempo link', () => {
    const { annotations } = received.find((p) => p.receiver === 'payments-page')!.alerts[0]!;
    expect(annotations.summary).toMatch(/checkout availability/);
    expect(annotations.runbook_url).toBe('https://runbooks.example.com/checkout');
    expect(annotations.dashboard).toBe('https://grafana.example.com/d/svc-payments-checkout');
    const explore = new URL(annotations.traces_url!);
    expect(explore.origin + explore.pathname).toBe('https://grafana.example.com/explore');
    expect(explore.searchParams.get('panes')).toContain('"queryType":"traceql"');
  });

  it('stay quiet for the healthy service', () => {
    expect(received.filter((p) => p.receiver === 'catch-all')).toEqual([]);
    expect(received.flatMap((p) => p.alerts).filter((a) => a.labels.service === 'search')).toEqual([]);
  });
});

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('not listening');
  return address.port;
}

async function waitFor(check: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline)
      throw new Error(`no alert delivered within ${timeoutMs} ms: ${JSON.stringify(received)}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}
