/**
 * Publishing: rule groups pushed to a ruler API (a local fake speaking Mimir's and Loki's
 * documented routes) and a reload asked of a REAL Prometheus started with --web.enable-lifecycle.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { writeFile } from 'node:fs/promises';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateRules, prometheusRuleSets, resolveRulesOptions, rulerNamespace } from '@burnrate/rules';
import { PrometheusReloader, publishRules, RulerClient, RulesPublishError } from '@burnrate/publish';
import { aCatalog, aService } from '@burnrate/catalog/testing';
import { freePort, type PrometheusServer, startPrometheus } from '../support/prometheus.js';

interface Received {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

describe('RulerClient against a fake Mimir/Loki ruler', () => {
  let server: Server;
  let baseUrl: string;
  const received: Received[] = [];
  let status = 202;

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        received.push({ method: req.method!, url: req.url!, headers: req.headers, body });
        res.statusCode = status;
        res.end(status >= 400 ? 'invalid rule group' : '');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const address = server.address();
    baseUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  const service = aService();
  const [set] = prometheusRuleSets(
    aCatalog([service]),
    resolveRulesOptions({ grafanaUrl: 'http://g', promtoolTests: false }),
  );

  it('posts each group of a namespace as YAML to Mimir, with the tenant header', async () => {
    received.length = 0;
    const client = new RulerClient({ baseUrl, prefix: '/prometheus', tenant: 'team-a', fetch });
    await client.pushNamespace(rulerNamespace(service), set!.groups);
    expect(received.map((r) => [r.method, r.url])).toEqual([
      ['POST', '/prometheus/config/v1/rules/payments.checkout'],
      ['POST', '/prometheus/config/v1/rules/payments.checkout'],
    ]);
    expect(received[0]!.headers['content-type']).toBe('application/yaml');
    expect(received[0]!.headers['x-scope-orgid']).toBe('team-a');
    expect((parseYaml(received[0]!.body) as { name: string }).name).toBe('burnrate-checkout-fast');
  });

  it("uses Loki's rules route and no tenant header when there is no tenant", async () => {
    received.length = 0;
    await new RulerClient({ baseUrl, prefix: '/loki/api/v1', fetch }).pushNamespace(
      'payments.checkout',
      set!.groups.slice(0, 1),
    );
    expect(received[0]!.url).toBe('/loki/api/v1/rules/payments.checkout');
    expect(received[0]!.headers['x-scope-orgid']).toBeUndefined();
  });

  it('throws a coded error carrying the status when the ruler refuses a group', async () => {
    status = 400;
    const error = await new RulerClient({ baseUrl, prefix: '/prometheus', fetch })
      .pushNamespace('x', set!.groups)
      .catch((e: unknown) => e);
    status = 202;
    expect(error).toBeInstanceOf(RulesPublishError);
    expect(error).toMatchObject({ code: 'ruler-refused', kind: 'upstream', status: 400 });
  });
});

describe('reconciling a ruler with the catalog', () => {
  /** A ruler holding namespaces in memory, on Mimir's documented routes. */
  let server: Server;
  let baseUrl: string;
  const namespaces = new Map<string, Map<string, string>>();

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        const match = /^\/prometheus\/config\/v1\/rules(?:\/([^/]+))?$/.exec(req.url!);
        const namespace = match?.[1] && decodeURIComponent(match[1]);
        if (req.method === 'GET' && !namespace) {
          if (namespaces.size === 0) return void res.writeHead(404).end('no rule groups found');
          const listing = Object.fromEntries(
            [...namespaces].map(([ns, groups]) => [
              ns,
              [...groups.values()].map((g) => parseYaml(g) as unknown),
            ]),
          );
          return void res.writeHead(200, { 'Content-Type': 'application/yaml' }).end(stringifyYaml(listing));
        }
        if (req.method === 'POST' && namespace) {
          const group = parseYaml(body) as { name: string };
          namespaces.set(
            namespace,
            (namespaces.get(namespace) ?? new Map<string, string>()).set(group.name, body),
          );
          return void res.writeHead(202).end();
        }
        if (req.method === 'DELETE' && namespace) {
          namespaces.delete(namespace);
          return void res.writeHead(202).end();
        }
        res.writeHead(404).end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const address = server.address();
    baseUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('deletes the namespaces of services that left the catalog, never one that holds groups of its own', async () => {
    const ruler = new RulerClient({ baseUrl, prefix: '/prometheus', fetch });
    const options = { grafanaUrl: 'http://g', promtoolTests: false };
    await publishRules(aCatalog([aService(), aService({ name: 'ledger' })]), options, { prometheus: ruler });
    namespaces.set('hand.written', new Map([['my-group', 'name: my-group\nrules: []\n']]));
    expect([...namespaces.keys()].sort()).toEqual(['hand.written', 'payments.checkout', 'payments.ledger']);

    const summary = await publishRules(aCatalog([aService()]), options, { prometheus: ruler });

    expect([...namespaces.keys()].sort()).toEqual(['hand.written', 'payments.checkout']);
    expect(summary.deleted).toEqual([`Mimir ruler at ${baseUrl}/prometheus: payments.ledger`]);
  });

  it('names the ruler when it cannot be reached', async () => {
    const closed = `http://127.0.0.1:${await freePort()}`;
    const error = await new RulerClient({ baseUrl: closed, prefix: '/prometheus', fetch })
      .listNamespaces()
      .catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'ruler-unreachable',
      upstream: `Mimir ruler at ${closed}/prometheus`,
    });
  });
});

describe('PrometheusReloader against a real Prometheus', () => {
  let prometheus: PrometheusServer;
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'burnrate-reload-'));
    await writeFile(join(dir, 'rules.yaml'), 'groups: []\n');
    prometheus = await startPrometheus({ ruleFiles: [join(dir, '*.yaml')] });
  });
  afterAll(async () => {
    await prometheus?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('loads newly written rule files on reload', async () => {
    expect(await prometheus.ruleGroups()).toEqual([]);
    const [rules] = generateRules(aCatalog(), { grafanaUrl: 'http://g', promtoolTests: false });
    await writeFile(join(dir, 'rules.yaml'), rules!.content);
    await new PrometheusReloader(prometheus.url, fetch).reload();
    expect((await prometheus.ruleGroups()).map((g) => g.name)).toEqual([
      'burnrate-checkout-fast',
      'burnrate-checkout-slow',
    ]);
  });
});
