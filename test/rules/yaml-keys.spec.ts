/**
 * Keys a catalog controls (annotation keys) reach the rule files. The catalog holds them to
 * Prometheus' name rule (so `<<`, YAML's merge key, is refused where it is written), and the
 * writer quotes the names YAML 1.1 readers (promtool's) would read as something else.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCatalogFromSources } from '@burnrate/catalog';
import { aCatalog, aService } from '@burnrate/catalog/testing';
import { generateRules } from '@burnrate/rules';
import { promtool } from './promtool.util.js';

/** Valid annotation names that a YAML 1.1 reader takes for booleans or null when written plain. */
const KEYS = ['on', 'off', 'yes', 'no', 'y', 'n', 'true', 'null', 'NULL', 'On'];

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'burnrate-yaml-keys-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('annotation keys from the catalog in rule files', () => {
  it('refuses `<<` and other names Prometheus refuses, at their position in the catalog', () => {
    const text = `version: prometheus/v1
service: checkout
labels: { team: payments }
slos:
  - name: availability
    objective: 99.9
    sli:
      events:
        error_query: sum(rate(http_requests_total{code=~"5.."}[{{.window}}]))
        total_query: sum(rate(http_requests_total[{{.window}}]))
    alerting:
      name: CheckoutAvailability
      annotations:
        "<<": merged
        runbook_url: https://runbooks.example.com
`;
    const { problems } = loadCatalogFromSources([{ file: 'sloth.yaml', text }]);
    expect(
      problems.filter((p) => p.severity === 'error').map((p) => `${p.line}:${p.column}: ${p.message}`),
    ).toEqual([expect.stringMatching(/^14:9: .*`<<` is not a valid Prometheus annotation name/)]);
  });

  it('pass promtool check rules and read back as written when YAML would read them as booleans', async () => {
    const annotations = Object.fromEntries(KEYS.map((key, i) => [key, `value ${i}`]));
    const service = aService({ slos: [{ alerting: { annotations } }] });
    const [rules] = generateRules(aCatalog([service]), { grafanaUrl: 'http://g', promtoolTests: false });
    const path = join(dir, 'rules.yaml');
    await writeFile(path, rules!.content);

    const checked = await promtool('check', 'rules', path);
    expect(checked.output).toMatch(/SUCCESS/);
    expect(checked.ok).toBe(true);
    const alerts = (
      parse(rules!.content) as {
        groups: { rules: { alert?: string; annotations?: Record<string, string> }[] }[];
      }
    ).groups
      .flatMap((g) => g.rules)
      .filter((r) => r.alert);
    for (const key of KEYS) expect(alerts[0]!.annotations![key], key).toBe(annotations[key]);
  });
});
