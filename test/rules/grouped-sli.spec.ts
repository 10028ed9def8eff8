/**
 * Grouped SLIs (`sum by (request_host) (rate(...))`, one SLO per label value, as real users write
 * them) must page per label value, when Sloth's rules for the same spec do. The spec is a public
 * one (fixtures/grouped/SOURCES.md); Sloth's rules for it come from bench/rules/sloth-shape.mjs,
 * which writes Sloth's generated shape (its windows are raw `rate()` over the user's own query).
 * Minute by minute, with promtool at 1m evaluations.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isError, loadCatalogFromSources, type Catalog } from '@burnrate/catalog';
import { generateRules, toYaml } from '@burnrate/rules';
import { slothGroups } from '../../bench/rules/sloth-shape.mjs';
import { firstMinuteWithData, promtool } from './promtool.util.js';

const FIXTURES = join(import.meta.dirname, 'fixtures/grouped');
const BASELINE = 420;
const HORIZON = 120;

let dir: string;
let catalog: Catalog;

function load(file: string, text: string): Catalog {
  const loaded = loadCatalogFromSources([{ file, text }]);
  expect(loaded.problems.filter(isError)).toEqual([]);
  return loaded.catalog;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'burnrate-grouped-'));
  catalog = load(
    'kuadrant-availability.yaml',
    await readFile(join(FIXTURES, 'kuadrant-availability.yaml'), 'utf8'),
  );
  await writeRules('kuadrant', catalog);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function writeRules(name: string, of: Catalog): Promise<void> {
  const [ours] = generateRules(of, { grafanaUrl: 'http://grafana.test', promtoolTests: false });
  await writeFile(join(dir, `${name}-ours.yaml`), ours!.content);
  await writeFile(
    join(dir, `${name}-sloth.yaml`),
    toYaml({ groups: slothGroups(asSlothEvents(of)) as never }),
  );
}

/** Sloth has no good/total SLI: its users write the errors as total minus good. */
function asSlothEvents(of: Catalog): Catalog {
  const services = of.services.map((service) => ({
    ...service,
    slos: service.slos.map((slo) =>
      slo.sli.kind === 'goodTotal'
        ? {
            ...slo,
            sli: {
              kind: 'events' as const,
              errorQuery: `(${slo.sli.totalQuery}) - (${slo.sli.goodQuery})`,
              totalQuery: slo.sli.totalQuery,
            },
          }
        : slo,
    ),
  }));
  return { ...of, services };
}

/** 6,000 requests a minute per host, per `codes`: 0.01% errors for the baseline, then `ratio`. */
function hostSeries(metric: string, host: string, ratio: number, extra = '') {
  const counter = (code: string, healthy: number, load: number) => ({
    series: `${metric}{job="ingress-metrics-proxy", request_host="${host}", response_code="${code}"${extra}}`,
    values: `0+${healthy}x${BASELINE} ${healthy * BASELINE + load}+${load}x${HORIZON - 1}`,
  });
  const errors = Math.round(6000 * ratio);
  return [counter('200', 5999, 6000 - errors), counter('503', 1, errors)];
}

const firstPage = (rules: string, series: { series: string; values: string }[], host: string, page: string) =>
  firstMinuteWithData(
    dir,
    rules,
    series,
    `ALERTS{alertstate="firing", ${page}, request_host="${host}"}`,
    BASELINE - 10,
    BASELINE + HORIZON - 1,
  );

describe("a Sloth spec grouped by request_host (Kuadrant's), against Sloth's rules", () => {
  const OURS_PAGE = 'severity="critical"';
  const SLOTH_PAGE = 'sloth_severity="page"';

  it('passes promtool check rules, and keeps request_host on every recorded window', async () => {
    expect((await promtool('check', 'rules', join(dir, 'kuadrant-ours.yaml'))).ok).toBe(true);
    const series = [
      ...hostSeries('istio_requests_total', 'a.example.com', 0.05),
      ...hostSeries('istio_requests_total', 'b.example.com', 0),
    ];
    for (const window of ['5m', '30m', '1h', '2h', '6h', '1d', '3d', '30d']) {
      const first = await firstMinuteWithData(
        dir,
        'kuadrant-ours.yaml',
        series,
        `slo:sli_error:ratio{window="${window}", request_host="a.example.com"}`,
        BASELINE,
        BASELINE,
      );
      expect(first, window).toBe(BASELINE);
    }
  });

  it.each([
    ['a total outage', 1],
    ['5% errors (100x)', 0.05],
    ['1% errors (20x)', 0.01],
  ])(
    '%s on one host pages for that host, no later than Sloth, and never for the healthy host',
    async (_load, ratio) => {
      const series = [
        ...hostSeries('istio_requests_total', 'a.example.com', ratio),
        ...hostSeries('istio_requests_total', 'b.example.com', 0),
      ];
      const ours = await firstPage('kuadrant-ours.yaml', series, 'a.example.com', OURS_PAGE);
      const sloth = await firstPage('kuadrant-sloth.yaml', series, 'a.example.com', SLOTH_PAGE);
      expect(sloth).toBeGreaterThan(BASELINE);
      expect(ours).toBeGreaterThan(BASELINE);
      expect(ours!).toBeLessThanOrEqual(sloth!);
      expect(await firstPage('kuadrant-ours.yaml', series, 'b.example.com', OURS_PAGE)).toBeUndefined();
      expect(await firstPage('kuadrant-sloth.yaml', series, 'b.example.com', SLOTH_PAGE)).toBeUndefined();
    },
  );
});

describe('native specs grouped by one and by two labels, events and good/total', () => {
  const spec = (name: string, sli: string) => `apiVersion: burnrate.dev/v1
kind: Service
metadata: { name: ${name}, team: edge }
spec:
  slos:
    - name: availability
      objective: 99.9
      window: 30d
      sli:
${sli}
`;
  const shapes: [string, string, string][] = [
    [
      'events-by-two',
      `        events:
          errorQuery: sum by (request_host, region) (rate(edge_requests_total{code=~"5.."}[{{.window}}]))
          totalQuery: sum by (request_host, region) (rate(edge_requests_total[{{.window}}]))`,
      ', region="eu"',
    ],
    [
      'good-total-by-one',
      `        goodTotal:
          goodQuery: sum by (request_host) (rate(edge_requests_total{code!~"5.."}[{{.window}}]))
          totalQuery: sum by (request_host) (rate(edge_requests_total[{{.window}}]))`,
      '',
    ],
  ];

  it.each(shapes)('%s pages for the burning host only, as Sloth does', async (name, sli, extra) => {
    const of = load(`${name}.yaml`, spec(name, sli));
    await writeRules(name, of);
    const series = (host: string, ratio: number) =>
      hostSeries('edge_requests_total', host, ratio, extra).map((s) => ({
        ...s,
        series: s.series.replace('response_code', 'code').replace('job="ingress-metrics-proxy", ', ''),
      }));
    const all = [...series('a.example.com', 0.05), ...series('b.example.com', 0)];
    const ours = await firstPage(`${name}-ours.yaml`, all, 'a.example.com', 'severity="page"');
    const sloth = await firstPage(`${name}-sloth.yaml`, all, 'a.example.com', 'sloth_severity="page"');
    expect(sloth).toBeGreaterThan(BASELINE);
    expect(ours).toBeGreaterThan(BASELINE);
    expect(ours!).toBeLessThanOrEqual(sloth!);
    expect(await firstPage(`${name}-ours.yaml`, all, 'b.example.com', 'severity="page"')).toBeUndefined();
  });
});
