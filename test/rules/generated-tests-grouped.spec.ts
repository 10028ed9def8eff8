/**
 * Generated promtool tests (`<service>.test.yaml`) hold for grouped SLIs and shared metrics: for
 * each file of test/rules/grouped they pass `promtool test rules` (which fails on any alert firing
 * at the eval time that is not expected), expect the SLI's own labels on every alert, annotations
 * with `{{ $labels.x }}`/`{{ $value }}` rendered, and, where two SLOs read the same metrics under
 * one alert name, every alert each of them fires.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { isError, loadCatalogFromSources } from '@burnrate/catalog';
import { generateRules } from '@burnrate/rules';
import { promtool } from './promtool.util.js';

const DATA = join(import.meta.dirname, 'grouped');

interface TestFile {
  tests: {
    name: string;
    alert_rule_test?: {
      alertname: string;
      exp_alerts: { exp_labels: Record<string, string>; exp_annotations: Record<string, string> }[];
    }[];
    promql_expr_test?: { exp_samples: { labels: string }[] }[];
  }[];
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'burnrate-gen-grouped-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Writes the generated rules and tests of one file; returns the parsed test file. */
async function generated(file: string): Promise<TestFile & { path: string }> {
  const { catalog, problems } = loadCatalogFromSources([
    { file, text: await readFile(join(DATA, file), 'utf8') },
  ]);
  expect(problems.filter(isError)).toEqual([]);
  const files = generateRules(catalog, { grafanaUrl: 'http://grafana.test', promtoolTests: true }).filter(
    (f) => f.path.startsWith('rules/prometheus/'),
  );
  for (const f of files) await writeFile(join(dir, f.path.split('/').pop()!), f.content);
  const test = files.find((f) => f.path.endsWith('.test.yaml'))!;
  return { ...(parseYaml(test.content) as TestFile), path: join(dir, test.path.split('/').pop()!) };
}

const alertsOf = (file: TestFile, test: string) =>
  file.tests.find((t) => t.name.startsWith(test))!.alert_rule_test!.flatMap((a) => a.exp_alerts);

describe('generated promtool tests of grouped SLIs', () => {
  it.each(['sloth-grouped-events.yaml', 'openslo-grouped-good-total.yaml', 'kuadrant-slo-latency.yaml'])(
    '%s: pass promtool test rules',
    async (file) => {
      const test = await generated(file);
      const result = await promtool('test', 'rules', test.path);
      expect(result.ok, result.output).toBe(true);
      const outage = test.tests
        .find((t) => t.name.includes('outage'))!
        .alert_rule_test!.flatMap((a) => a.exp_alerts);
      expect(outage.length).toBeGreaterThan(0);
      for (const alert of outage) expect(alert.exp_labels.request_host).toBe('request_host-a');
    },
  );

  it('render $labels and $value in annotations as Prometheus does', async () => {
    const test = await generated('sloth-grouped-events.yaml');
    const summaries = (name: string) => alertsOf(test, name).map((a) => a.exp_annotations.summary);
    expect(summaries('availability-by-host: fast burn')).toContain(
      'request_host-a of gateway fails 1.2% of requests',
    );
    expect(summaries('availability-by-host: outage')).toContain(
      'request_host-a of gateway fails 100% of requests',
    );
    expect(summaries('availability-by-host-method: outage')).toEqual([
      'method-a on request_host-a: 1',
      'method-a on request_host-a: 1',
    ]);
  });

  it('expect, for two SLOs on the same metrics under one alert name, the alerts of both', async () => {
    const test = await generated('sloth-grouped-events.yaml');
    const slos = alertsOf(test, 'availability-by-host: outage').map(
      (a) => `${a.exp_labels.slo} ${a.exp_labels.severity}`,
    );
    expect(slos.sort()).toEqual([
      'availability-by-host page',
      'availability-by-host ticket',
      'availability-by-host-loose page',
      'availability-by-host-loose ticket',
    ]);
    // The strict SLO's slow burn (0.24%) is the loose one's healthy load: only the strict one's ticket fires.
    const slow = test.tests.find((t) => t.name.startsWith('availability-by-host-loose: healthy'))!;
    const fired = [
      ...(slow.alert_rule_test ?? []).flatMap((a) => a.exp_alerts.map((e) => e.exp_labels.slo)),
      ...(slow.promql_expr_test ?? []).flatMap((p) =>
        p.exp_samples.map((s) => /slo="([^"]+)"/.exec(s.labels)![1]),
      ),
    ];
    expect(fired).toEqual(['availability-by-host']);
  });
});
