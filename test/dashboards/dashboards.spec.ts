import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { loadCatalog, type GeneratedFile } from '@burnrate/catalog';
import { generateDashboards } from '@burnrate/dashboards';
import { identityProblems, layoutProblems, parseProblems, queriesOf, validateDashboard, type DashboardJson } from './dashboard-checks.js';

const root = join(import.meta.dirname, '../..');
let files: GeneratedFile[];
let boards: DashboardJson[];

beforeAll(async () => {
  const { catalog, problems } = await loadCatalog([join(root, 'catalog')]);
  expect(problems).toEqual([]);
  files = generateDashboards(catalog, { grafanaUrl: 'http://grafana' });
  boards = files.filter((f) => f.path.endsWith('.json')).map((f) => JSON.parse(f.content) as DashboardJson);
});

describe('dashboards generated for the example catalog', () => {
  it('cover every service, every team and the platform dashboards', () => {
    const paths = files.map((f) => f.path);
    expect(paths).toContain('dashboards/payments/services/checkout-api.json');
    expect(paths).toContain('dashboards/payments/team.json');
    expect(paths).toContain('dashboards/_burnrate/overview.json');
    expect(paths).toContain('dashboards/_burnrate/slo-detail.json');
    expect(paths).toContain('dashboards/_burnrate/cost.json');
    expect(boards.length).toBe(13 + 4 + 3);
  });

  it('are valid against the Grafana dashboard JSON Schema', () => {
    for (const board of boards) expect(validateDashboard(board), `${board.uid}: ${JSON.stringify(validateDashboard.errors?.slice(0, 3))}`).toBe(true);
  });

  it('lay panels out on the 24-column grid without overlap', () => {
    expect(boards.flatMap(layoutProblems)).toEqual([]);
  });

  it('have stable lowercase uids and unique panel ids and refIds', () => {
    expect(boards.flatMap(identityProblems)).toEqual([]);
    expect(new Set(boards.map((b) => b.uid)).size).toBe(boards.length);
  });

  it('hold PromQL, LogQL and TraceQL queries that all parse', () => {
    const languages = new Set(boards.flatMap((b) => queriesOf(b).map((q) => q.language)));
    expect([...languages].sort()).toEqual(['logql', 'promql', 'traceql']);
    expect(boards.flatMap(parseProblems)).toEqual([]);
  });

  it('link every service panel to Tempo and Loki, keeping the time range', () => {
    const board = boards.find((b) => b.uid === 'svc-payments-checkout-api')!;
    for (const panel of board.panels.filter((p) => p.type !== 'row')) {
      const urls = ((panel as { links?: { url: string }[] }).links ?? []).map((l) => l.url);
      expect(urls.some((u) => u.includes('tempo') && u.includes('${__from}'))).toBe(true);
      expect(urls.some((u) => u.includes('loki'))).toBe(true);
    }
  });

  it('write a file provider with a folder per team', () => {
    const provisioning = parseYaml(files.find((f) => f.path === 'dashboards/_provisioning/dashboards.yaml')!.content) as {
      providers: { folder: string; options: { path: string } }[];
    };
    expect(provisioning.providers.map((p) => p.folder)).toEqual(['Burnrate', 'data', 'payments', 'platform', 'storefront']);
  });

  it.each([
    ['service', 'dashboards/payments/services/checkout-api.json'],
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
