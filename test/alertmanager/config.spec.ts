/**
 * The generated Alertmanager configuration against the real tools (Debian's 0.25 `amtool` and
 * `prometheus-alertmanager`; `bash scripts/test-services.sh` installs them): amtool accepts it
 * and routes pages and tickets by their own routes, and a running Alertmanager delivers a page
 * to Burnrate's webhook with the bearer token from the file while the page inhibits the ticket of
 * the same SLO. The example catalog and one with custom severity values both take that path.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isError, loadCatalog, type Catalog } from '@burnrate/catalog';
import { aCatalog, aService, aTarget } from '@burnrate/catalog/testing';
import { DEFAULT_PIPELINE_OPTIONS, generateArtifacts } from '@burnrate/pipeline';
import { ALERTMANAGER_CONFIG_PATH, generateAlertmanagerConfig } from '@burnrate/rules';
import { freePort, startDaemon } from '../support/prometheus.js';

const execFileAsync = promisify(execFile);
const root = resolve(import.meta.dirname, '../..');

interface RunResult {
  ok: boolean;
  output: string;
}

/** Runs amtool; never throws on a failed check, so a test can print what amtool said. */
async function amtool(...args: string[]): Promise<RunResult> {
  try {
    const { stdout, stderr } = await execFileAsync('amtool', args);
    return { ok: true, output: stdout + stderr };
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; message: string; code?: unknown };
    if (e.code === 'ENOENT')
      throw new Error('amtool is missing: run `bash scripts/test-services.sh`', { cause: error });
    return { ok: false, output: `${e.stdout ?? ''}${e.stderr ?? ''}` || e.message };
  }
}

/** The route `amtool config routes test --tree` says the labels end on: its deepest line. */
async function matchingRoute(configFile: string, labels: Record<string, string>): Promise<string> {
  const pairs = Object.entries(labels).map(([k, v]) => `${k}=${v}`);
  const result = await amtool(
    'config',
    'routes',
    'test',
    `--config.file=${configFile}`,
    '--verify.receivers=burnrate',
    '--tree',
    ...pairs,
  );
  expect(result.ok, result.output).toBe(true);
  const tree = result.output.split('Matching routes:')[1] ?? '';
  const routes = tree.split('\n').filter((line) => /[└├]── /.test(line));
  return (
    routes
      .at(-1)
      ?.replace(/^.*[└├]── /, '')
      .trim() ?? ''
  );
}

/** payments-gateway pages as `critical`; the rest of the example catalog keeps page and ticket. */
async function exampleCatalog(): Promise<Catalog> {
  const { catalog, problems } = await loadCatalog([join(root, 'catalog')]);
  expect(problems.filter(isError)).toEqual([]);
  return catalog;
}

const customCatalog = (): Catalog =>
  aCatalog([
    aService({
      name: 'ledger',
      team: 'finance',
      slos: [{ alerting: { page: aTarget('sev1'), ticket: aTarget('sev3') } }],
    }),
  ]);

interface Case {
  name: string;
  catalog: () => Promise<Catalog> | Catalog;
  page: string;
  ticket: string;
  /** An SLO that alerts on both, as its alerts label it. */
  slo: { service: string; slo: string; team: string; alertname: string };
}

const CASES: Case[] = [
  {
    name: 'the example catalog',
    catalog: exampleCatalog,
    page: 'page',
    ticket: 'ticket',
    slo: {
      service: 'checkout-api',
      slo: 'availability',
      team: 'payments',
      alertname: 'CheckoutApiAvailabilityBurn',
    },
  },
  {
    name: 'a catalog with custom severity values',
    catalog: customCatalog,
    page: 'sev1',
    ticket: 'sev3',
    slo: { service: 'ledger', slo: 'availability', team: 'finance', alertname: 'CheckoutAvailabilityBurn' },
  },
];

describe.each(CASES)('the generated Alertmanager configuration for $name', (c) => {
  let work: string;
  let configFile: string;
  let catalog: Catalog;

  beforeAll(async () => {
    catalog = await c.catalog();
    work = await mkdtemp(join(tmpdir(), 'burnrate-am-config-'));
    configFile = join(work, 'burnrate.yml');
    const file = generateArtifacts(catalog, DEFAULT_PIPELINE_OPTIONS).find(
      (f) => f.path === ALERTMANAGER_CONFIG_PATH,
    );
    await writeFile(configFile, file!.content);
  });
  afterAll(async () => {
    await rm(work, { recursive: true, force: true });
  });

  it('passes amtool check-config', async () => {
    const result = await amtool('check-config', configFile);

    expect(result.output).toContain('SUCCESS');
    expect(result.ok, result.output).toBe(true);
  });

  it('routes a page to burnrate by its page route and a ticket by its ticket route', async () => {
    const labels = { service: 'x', slo: 'y' };

    expect(await matchingRoute(configFile, { ...labels, severity: c.page })).toBe(
      `{severity="${c.page}"}  receiver: burnrate`,
    );
    expect(await matchingRoute(configFile, { ...labels, severity: c.ticket })).toBe(
      `{severity="${c.ticket}"}  receiver: burnrate`,
    );
    // Anything else still reaches Burnrate, by the root route.
    expect(await matchingRoute(configFile, { ...labels, severity: 'unheard-of' })).toBe(
      'default-route  receiver: burnrate',
    );
  });

  describe('in a running Alertmanager', () => {
    const token = randomBytes(16).toString('hex');
    const received: { path: string; headers: IncomingHttpHeaders; body: WebhookPayload }[] = [];
    let hooks: Server;
    let alertmanager: { url: string; stop: () => Promise<void> };

    beforeAll(async () => {
      hooks = createServer((req, res) => {
        let body = '';
        req.on('data', (chunk: Buffer) => (body += chunk.toString()));
        req.on('end', () => {
          received.push({
            path: req.url ?? '',
            headers: req.headers,
            body: JSON.parse(body) as WebhookPayload,
          });
          res.writeHead(200).end();
        });
      });
      const hooksPort = await listen(hooks);
      const home = await mkdtemp(join(tmpdir(), 'burnrate-am-live-'));
      const tokenFile = join(home, 'webhook-token');
      await writeFile(tokenFile, token, { mode: 0o600 });
      // The generated file, pointed at the local server and timed in seconds instead of minutes.
      const file = generateAlertmanagerConfig(catalog, {
        burnrateUrl: `http://127.0.0.1:${hooksPort}`,
        webhookTokenFile: tokenFile,
        pageTiming: { groupWait: '1s', groupInterval: '1s' },
        ticketTiming: { groupWait: '3s', groupInterval: '3s' },
      });
      const liveConfig = join(home, 'alertmanager.yml');
      await writeFile(liveConfig, file.content);
      const port = await freePort();
      const url = `http://127.0.0.1:${port}`;
      const stop = await startDaemon(
        'prometheus-alertmanager',
        [
          `--config.file=${liveConfig}`,
          `--storage.path=${join(home, 'data')}`,
          `--web.listen-address=127.0.0.1:${port}`,
          '--cluster.listen-address=',
        ],
        url,
        home,
      );
      alertmanager = { url, stop };
    });
    afterAll(async () => {
      await alertmanager?.stop();
      await new Promise((r) => hooks?.close(r));
    });

    it('delivers the page with the bearer token from the file and inhibits the ticket of the same SLO', async () => {
      const alert = (severity: string) => ({
        labels: { ...c.slo, severity },
        annotations: { summary: `${c.slo.service} ${c.slo.slo} is burning its error budget too fast` },
        startsAt: new Date().toISOString(),
      });
      const posted = await fetch(`${alertmanager.url}/api/v2/alerts`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify([alert(c.ticket), alert(c.page)]),
      });
      expect(posted.status).toBe(200);

      // Inhibition is Alertmanager's own verdict, read from its API rather than from a silence.
      const alerts = await eventually(async () => {
        const all = await alertsOf(alertmanager.url);
        const ticket = all.find((a) => a.labels['severity'] === c.ticket);
        return ticket?.status.inhibitedBy.length ? all : undefined;
      });
      const page = alerts.find((a) => a.labels['severity'] === c.page)!;
      const ticket = alerts.find((a) => a.labels['severity'] === c.ticket)!;
      expect(page.status).toMatchObject({ state: 'active', inhibitedBy: [] });
      expect(ticket.status).toMatchObject({ state: 'suppressed', inhibitedBy: [page.fingerprint] });
      expect(
        (await alertsOf(alertmanager.url, 'active=false&inhibited=true')).map((a) => a.fingerprint),
      ).toEqual([ticket.fingerprint]);

      const delivery = await eventually(() =>
        Promise.resolve(received.find((r) => r.body.alerts.length > 0)),
      );
      expect(delivery.path).toBe('/webhooks/alertmanager');
      expect(delivery.headers.authorization).toBe(`Bearer ${token}`);
      expect(delivery.body).toMatchObject({ version: '4', receiver: 'burnrate', status: 'firing' });
      expect(delivery.body.alerts.map((a) => a.labels)).toEqual([{ ...c.slo, severity: c.page }]);

      // Past the ticket route's group_wait and a group_interval: still only the page arrived.
      await new Promise((r) => setTimeout(r, 7_000));
      const severities = received.flatMap((r) => r.body.alerts.map((a) => a.labels['severity']));
      expect(severities.length).toBeGreaterThan(0);
      expect(new Set(severities)).toEqual(new Set([c.page]));
    });
  });
});

/** Alertmanager's webhook payload, version 4 (the fields this test reads). */
interface WebhookPayload {
  version: string;
  receiver: string;
  status: string;
  alerts: { status: string; labels: Record<string, string> }[];
}

/** An alert as `GET /api/v2/alerts` returns it (the fields this test reads). */
interface ApiAlert {
  fingerprint: string;
  labels: Record<string, string>;
  status: { state: string; inhibitedBy: string[]; silencedBy: string[] };
}

async function alertsOf(url: string, query = ''): Promise<ApiAlert[]> {
  const response = await fetch(`${url}/api/v2/alerts${query ? `?${query}` : ''}`);
  expect(response.status).toBe(200);
  return (await response.json()) as ApiAlert[];
}

/** Polls `probe` until it gives a value, for at most 20s. */
async function eventually<T>(probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not met within 20s');
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function listen(server: Server): Promise<number> {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const address = server.address();
  if (typeof address !== 'object' || !address) throw new Error('no port');
  return address.port;
}
