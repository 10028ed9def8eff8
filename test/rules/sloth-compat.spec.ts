/**
 * Same decisions as Sloth: for each of Sloth's example specs, our rules and Sloth's own
 * generated rules (examples/_gen) are fed the same series under five loads (healthy, slow burn,
 * fast burn, outage, no traffic) after a healthy hour, and must raise the same severities per
 * SLO: nothing at the end of the healthy hour, and the load's verdict once every window has
 * settled an hour later. How soon each pages is compared in detection-vs-sloth.spec.ts.
 */
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Catalog, isError, loadCatalogFromSources } from '@burnrate/catalog';
import { generateRules, toYaml } from '@burnrate/rules';
import { promtool } from './promtool.util.js';
import { type Load, SLOTH_EXAMPLES } from './sloth-examples.js';

const SLOTH_SPECS = '/work/shared/reference/anchors/sloth/examples';
const SLOTH_GEN = `${SLOTH_SPECS}/_gen`;
const BASELINE = 60;
const MINUTES = 60;
const LOADS: Load[] = ['healthy', 'slow', 'fast', 'outage', 'idle'];

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'burnrate-sloth-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe.each(SLOTH_EXAMPLES)('Sloth example $file', (example) => {
  const slos = example.catalog.services.flatMap((s) => s.slos);
  const oursFor = (catalog: Catalog) => (load: Load, at: number) =>
    catalog.services
      .flatMap((s) => s.slos)
      .flatMap((slo) =>
        (at <= BASELINE ? [] : example.expected(slo.name, load)).map((severity) => ({
          labels: `{severity="${slo.alerting[severity].severityLabel}", slo="${slo.name}"}`,
          value: 1,
        })),
      );
  const ours = oursFor(example.catalog);
  const sloth = (load: Load, at: number) =>
    slos.flatMap((slo) =>
      (at <= BASELINE ? [] : example.expected(slo.name, load)).map((severity) => ({
        labels: `{sloth_severity="${severity}", sloth_slo="${slo.name}"}`,
        value: 1,
      })),
    );

  const testFile = (ruleFile: string, by: string, expected: typeof ours) => ({
    rule_files: [ruleFile],
    evaluation_interval: '1m',
    tests: LOADS.map((load) => ({
      name: `${example.file}: ${load}`,
      interval: '1m',
      input_series: example.series(load, BASELINE, MINUTES),
      promql_expr_test: [BASELINE, BASELINE + MINUTES].map((minute) => ({
        expr: `count by (${by}) (ALERTS{alertstate="firing"})`,
        eval_time: `${minute}m`,
        exp_samples: expected(load, minute),
      })),
    })),
  });

  it('Burnrate rules raise the expected severities under every load', async () => {
    const name = example.file.replace(/\.yml$/, '');
    const [rules] = generateRules(example.catalog, {
      grafanaUrl: 'http://grafana.test',
      promtoolTests: false,
    });
    await writeFile(join(dir, `${name}.ours.yaml`), rules!.content);
    await writeFile(
      join(dir, `${name}.ours.test.yaml`),
      toYaml(testFile(`${name}.ours.yaml`, 'slo, severity', ours)),
    );
    const result = await promtool('test', 'rules', join(dir, `${name}.ours.test.yaml`));
    expect(result.ok, result.output).toBe(true);
  });

  it('loads unchanged through the Sloth loader, and the rules it gives raise the same severities', async () => {
    const name = `${example.file.replace(/\.yml$/, '')}.loaded`;
    const text = await readFile(join(SLOTH_SPECS, example.file), 'utf8');
    const { catalog, problems } = loadCatalogFromSources([{ file: example.file, text }]);
    expect(problems.filter(isError)).toEqual([]);
    const [rules] = generateRules(catalog, { grafanaUrl: 'http://grafana.test', promtoolTests: false });
    await writeFile(join(dir, `${name}.yaml`), rules!.content);
    await writeFile(
      join(dir, `${name}.test.yaml`),
      toYaml(testFile(`${name}.yaml`, 'slo, severity', oursFor(catalog))),
    );
    const result = await promtool('test', 'rules', join(dir, `${name}.test.yaml`));
    expect(result.ok, result.output).toBe(true);
  });

  it("Sloth's own generated rules raise the same severities on the same series", async () => {
    const name = example.file.replace(/\.yml$/, '');
    await copyFile(join(SLOTH_GEN, example.file), join(dir, `${name}.sloth.yaml`));
    await writeFile(
      join(dir, `${name}.sloth.test.yaml`),
      toYaml(testFile(`${name}.sloth.yaml`, 'sloth_slo, sloth_severity', sloth)),
    );
    const result = await promtool('test', 'rules', join(dir, `${name}.sloth.test.yaml`));
    expect(result.ok, result.output).toBe(true);
  });
});
