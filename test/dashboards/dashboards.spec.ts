import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { generateDashboards } from '@burnrate/dashboards';
import { aService } from '@burnrate/dashboards/testing';
import { checkQuery, serviceDashboardUid, type GeneratedFile } from '@burnrate/catalog';
import { aCatalog, SLI_OF_EVERY_KIND as SLI } from '@burnrate/catalog/testing';
import {
  datasourceProblems,
  explorePanes,
  identityProblems,
  layoutProblems,
  parseProblems,
  queriesOf,
  validateDashboard,
  type DashboardJson,
} from './dashboard-checks.js';

/** Several teams and services covering every SLI kind, both HTTP conventions and missing telemetry. */
const catalog = aCatalog([
  aService({
    name: 'checkout',
    team: 'payments',
    description: 'Takes the money.',
    links: [{ title: 'Repository', url: 'https://git.example.com/payments/checkout' }],
    slos: [
      { name: 'availability', sli: SLI.events },
      { name: 'latency', sli: SLI.latency, objective: 99, window: { kind: 'calendar', unit: 'month' } },
    ],
  }),
  aService({
    name: 'ledger',
    team: 'payments',
    telemetry: { prometheus: { matchers: 'job="ledger"', convention: 'classic' } },
    slos: [
      {
        name: 'jobs',
        sli: SLI.goodTotal,
        alerting: { tiers: [{ severity: 'page', longWindow: '12h', shortWindow: '1h', budgetPercent: 10 }] },
      },
      {
        name: 'uptime',
        sli: SLI.raw,
        alerting: {
          page: { enabled: false, severityLabel: 'page', labels: {}, annotations: {} },
          ticket: { enabled: false, severityLabel: 'ticket', labels: {}, annotations: {} },
        },
      },
    ],
  }),
  aService({
    name: 'status-page',
    team: 'web',
    telemetry: {
      prometheus: { matchers: '', convention: 'none' },
      tempo: { serviceName: 'status', query: '{resource.service.name="status"} >> {status=error}' },
    },
    slos: [
      { name: 'probe', sli: SLI.gauge, window: { kind: 'rolling', duration: '7d', seconds: 7 * 86_400 } },
    ],
  }),
  aService({
    name: 'event-ingest',
    team: 'data',
    telemetry: { loki: { selector: '{app="ingest"}', errorFilter: '|= "error"' } },
    slos: [{ name: 'ingest-errors', sli: SLI.logs }],
  }),
  aService({ name: 'reconciliation-worker-for-settlements', team: 'payments-platform-operations', slos: [] }),
]);

let files: GeneratedFile[];
let boards: DashboardJson[];
const byUid = (uid: string) => boards.find((b) => b.uid === uid)!;

beforeAll(() => {
  files = generateDashboards(catalog, { grafanaUrl: 'http://grafana' });
  boards = files.filter((f) => f.path.endsWith('.json')).map((f) => JSON.parse(f.content) as DashboardJson);
});

describe('generated dashboards', () => {
  it('cover every service, every team and the platform dashboards', () => {
    expect(files.map((f) => f.path).sort()).toEqual([
      'dashboards/_burnrate/cost.json',
      'dashboards/_burnrate/overview.json',
      'dashboards/_burnrate/slo-detail.json',
      'dashboards/_provisioning/dashboards.yaml',
      'dashboards/data/services/event-ingest.json',
      'dashboards/data/team.json',
      'dashboards/payments-platform-operations/services/reconciliation-worker-for-settlements.json',
      'dashboards/payments-platform-operations/team.json',
      'dashboards/payments/services/checkout.json',
      'dashboards/payments/services/ledger.json',
      'dashboards/payments/team.json',
      'dashboards/web/services/status-page.json',
      'dashboards/web/team.json',
    ]);
  });

  it('are valid against the Grafana dashboard JSON Schema', () => {
    for (const board of boards) {
      const checked = withoutFieldOverrides(board);
      expect(
        validateDashboard(checked),
        `${board.uid}: ${JSON.stringify(validateDashboard.errors?.slice(0, 3))}`,
      ).toBe(true);
    }
  });

  it('write field overrides as Grafana reads them: a field name to match, a unit or decimals to set', () => {
    const overrides = boards
      .flatMap((b) => b.panels)
      .flatMap((p) => (p as { fieldConfig?: { overrides?: Override[] } }).fieldConfig?.overrides ?? []);
    expect(overrides.length).toBeGreaterThan(0);
    for (const override of overrides) {
      expect(override.matcher.id).toBe('byName');
      expect(typeof override.matcher.options).toBe('string');
      for (const property of override.properties) {
        expect(['unit', 'decimals']).toContain(property.id);
        expect(typeof property.value).toBe(property.id === 'unit' ? 'string' : 'number');
      }
    }
  });

  it('lay panels out on the 24-column grid without overlap', () => {
    expect(boards.flatMap(layoutProblems)).toEqual([]);
  });

  it('have unique lowercase uids of at most 40 characters, unique panel ids and unique refIds', () => {
    expect(boards.flatMap(identityProblems)).toEqual([]);
    expect(new Set(boards.map((b) => b.uid)).size).toBe(boards.length);
  });

  it('use the catalog conventions for service uids, which alert links point at', () => {
    for (const service of catalog.services)
      expect(byUid(serviceDashboardUid(service.team, service.name)).title).toBe(`${service.name} · service`);
    expect(
      serviceDashboardUid('payments-platform-operations', 'reconciliation-worker-for-settlements'),
    ).toHaveLength(40);
  });

  it('hold PromQL, LogQL and TraceQL queries that all parse once Grafana macros are substituted', () => {
    const languages = new Set(boards.flatMap((b) => queriesOf(b).map((q) => q.language)));
    expect([...languages].sort()).toEqual(['logql', 'promql', 'traceql']);
    expect(boards.flatMap(queriesOf).length).toBeGreaterThan(100);
    expect(boards.flatMap(parseProblems)).toEqual([]);
  });

  it('read every panel data source from a data source variable defaulting to the configured uid', () => {
    expect(boards.flatMap(datasourceProblems)).toEqual([]);
    const checkout = byUid('svc-payments-checkout');
    expect(checkout.templating!.list.map((v) => [v.name, v.query, v.current?.value])).toEqual([
      ['metrics', 'prometheus', 'prometheus'],
      ['logs', 'loki', 'loki'],
      ['traces', 'tempo', 'tempo'],
    ]);
    expect(byUid('burnrate-cost').templating!.list[0]).toMatchObject({
      name: 'costs',
      query: 'grafana-postgresql-datasource',
      current: { value: 'burnrate-postgres' },
    });
  });

  it('pin panels to configured uids when data source variables are off', () => {
    const pinned = generateDashboards(catalog, {
      grafanaUrl: 'http://grafana',
      datasourceVariables: false,
      datasources: { prometheus: 'mimir', tempo: 'tempo-eu' },
    });
    const checkout = JSON.parse(
      pinned.find((f) => f.path === 'dashboards/payments/services/checkout.json')!.content,
    ) as DashboardJson;
    expect(checkout.templating?.list ?? []).toEqual([]);
    const uids = new Set(
      checkout.panels
        .filter((p) => p.type !== 'row')
        .map((p) => `${p.datasource?.type}=${p.datasource?.uid}`),
    );
    expect([...uids].sort()).toEqual(['loki=loki', 'prometheus=mimir', 'tempo=tempo-eu']);
    expect(explorePanes(checkout.panels[1]!.fieldConfig!.defaults!.links![0]!.url!)[0]!.datasource).toBe(
      'tempo-eu',
    );
  });

  it('link every service panel to its Tempo traces and Loki error logs, keeping the time range', () => {
    const checkout = byUid('svc-payments-checkout');
    for (const panel of checkout.panels.filter((p) => p.type !== 'row')) {
      // Metric panels carry them as data links (a click on a point), the others in their header.
      const links = ['timeseries', 'stat'].includes(panel.type)
        ? panel.fieldConfig!.defaults!.links!
        : panel.links!;
      expect(links.map((l) => l.title)).toEqual([
        'Traces of checkout (Tempo)',
        'Error logs of checkout (Loki)',
      ]);
      expect(
        links.every(
          (l) => l.url!.includes('${__from}') && l.url!.includes('${__to}') && !l.url!.includes('&&'),
        ),
      ).toBe(true);
      const [traces, logs] = links.map((l) => explorePanes(l.url!)[0]!);
      expect(traces!.queries[0]!.query).toBe('{resource.service.name="checkout"}');
      expect(checkQuery('traceql', traces!.queries[0]!.query!)).toBeUndefined();
      expect(checkQuery('logql', logs!.queries[0]!.expr!)).toBeUndefined();
    }
  });

  it('link the service dashboard to its runbook, its team dashboard and its own links', () => {
    expect(byUid('svc-payments-checkout').links!.map((l) => [l.title, l.url])).toEqual([
      ['Runbook', 'https://runbooks.example.com/checkout'],
      ['Team payments', '/d/team-payments'],
      ['Repository', 'https://git.example.com/payments/checkout'],
    ]);
  });

  it('leave out the panels a service has no telemetry for', () => {
    const types = (uid: string) => byUid(uid).panels.map((p) => p.title);
    expect(types('svc-web-status-page')).not.toContain('Request rate');
    expect(types('svc-web-status-page')).not.toContain('Error logs');
    expect(types('svc-data-event-ingest')).toContain('Error logs');
    expect(types('svc-data-event-ingest')).not.toContain('Failing traces');
  });

  it('are deterministic, with sorted keys and 2-space indentation', () => {
    const again = generateDashboards(catalog, { grafanaUrl: 'http://grafana' });
    expect(again).toEqual(files);
    const overview = files.find((f) => f.path === 'dashboards/_burnrate/overview.json')!.content;
    expect(overview.startsWith('{\n  "annotations"')).toBe(true);
    const keys = Object.keys(JSON.parse(overview) as object);
    expect(keys).toEqual([...keys].sort());
  });

  it('write a file provider per team folder plus the Burnrate folder, under the configured path', () => {
    const yaml = generateDashboards(catalog, {
      grafanaUrl: 'http://g',
      provisioningPath: '/var/lib/grafana/burnrate/',
    }).find((f) => f.path === 'dashboards/_provisioning/dashboards.yaml')!.content;
    const { providers } = parseYaml(yaml) as {
      providers: { folder: string; folderUid: string; options: { path: string } }[];
    };
    expect(providers.map((p) => [p.folder, p.folderUid, p.options.path])).toEqual([
      ['Burnrate', 'burnrate', '/var/lib/grafana/burnrate/_burnrate'],
      ['data', 'burnrate-data', '/var/lib/grafana/burnrate/data'],
      ['payments', 'burnrate-payments', '/var/lib/grafana/burnrate/payments'],
      [
        'payments-platform-operations',
        'burnrate-payments-platform-operations',
        '/var/lib/grafana/burnrate/payments-platform-operations',
      ],
      ['web', 'burnrate-web', '/var/lib/grafana/burnrate/web'],
    ]);
  });

  it.each([
    ['service', 'dashboards/payments/services/checkout.json'],
    ['team', 'dashboards/payments/team.json'],
    ['overview', 'dashboards/_burnrate/overview.json'],
  ])('match the golden %s dashboard', async (name, path) => {
    const golden = join(import.meta.dirname, 'golden', `${name}.json`);
    const content = files.find((f) => f.path === path)!.content;
    if (process.env.UPDATE_GOLDEN) {
      await mkdir(dirname(golden), { recursive: true });
      await writeFile(golden, content);
    }
    expect(content).toBe(await readFile(golden, 'utf8'));
  });
});

interface Override {
  matcher: { id: string; options: unknown };
  properties: { id: string; value: unknown }[];
}

/**
 * Grafana's published dashboard schema types a matcher's options and an override's value as
 * objects (CUE's `_` rendered as `{}`), yet Grafana itself writes `byName` options as the field
 * name and units as strings: overrides are checked by the test after this one instead.
 */
function withoutFieldOverrides<T>(board: T): T {
  const copy = structuredClone(board) as { panels?: { fieldConfig?: { overrides?: unknown[] } }[] };
  for (const panel of copy.panels ?? []) if (panel.fieldConfig?.overrides) panel.fieldConfig.overrides = [];
  return copy as T;
}
