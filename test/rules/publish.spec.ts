/**
 * Publishing: rule groups pushed to a ruler API (a local fake speaking Mimir's and Loki's
 * documented routes) and a reload asked of a REAL Prometheus started with --web.enable-lifecycle.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { writeFile } from 'node:fs/promises';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateRules, PrometheusReloader, prometheusRuleSets, resolveRulesOptions, RulerClient, RulesPublishError, rulerNamespace } from '@burnrate/rules';
import { aCatalog, aService } from '@burnrate/catalog';
import { type PrometheusServer, startPrometheus } from '../support/prometheus.js';

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
  const [set] = prometheusRuleSets(aCatalog([service]), resolveRulesOptions({ grafanaUrl: 'http://g', promtoolTests: false }));

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
    await new RulerClient({ baseUrl, prefix: '/loki/api/v1', fetch }).pushNamespace('payments.checkout', set!.groups.slice(0, 1));
    expect(received[0]!.url).toBe('/loki/api/v1/rules/payments.checkout');
    expect(received[0]!.headers['x-scope-orgid']).toBeUndefined();
  });

  it('throws a coded error carrying the status when the ruler refuses a group', async () => {
    status = 400;
    const error = await new RulerClient({ baseUrl, prefix: '/prometheus', fetch }).pushNamespace('x', set!.groups).catch((e: unknown) => e);
    status = 202;
    expect(error).toBeInstanceOf(RulesPublishError);
    expect(error).toMatchObject({ code: 'rules-publish-failed', status: 400 });
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
    expect((await prometheus.ruleGroups()).map((g) => g.name)).toEqual(['burnrate-checkout-fast', 'burnrate-checkout-slow']);
  });
});
