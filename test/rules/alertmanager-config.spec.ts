import { readdirSync, readFileSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { isError, loadCatalogFromSources, type Catalog } from '@burnrate/catalog';
import {
  DEFAULT_BURNRATE_URL,
  DEFAULT_WEBHOOK_TOKEN_FILE,
  generateAlertmanagerConfig,
  generateRules,
  isAlertingRule,
  type RuleGroup,
} from '@burnrate/rules';

/**
 * Golden cases of the Alertmanager configuration: `alertmanager-golden/<case>/input/*.yaml` is a
 * catalog, `alertmanager-golden/<case>/burnrate.yml` what generation gives for it with the
 * default options. UPDATE_GOLDEN=1 rewrites the expected side.
 */
const GOLDEN_DIR = join(import.meta.dirname, 'alertmanager-golden');
const UPDATE = process.env.UPDATE_GOLDEN === '1';
const OPTIONS = { burnrateUrl: DEFAULT_BURNRATE_URL, webhookTokenFile: DEFAULT_WEBHOOK_TOKEN_FILE };

function loadCase(name: string): { name: string; catalog: Catalog } {
  const input = join(GOLDEN_DIR, name, 'input');
  const sources = readdirSync(input)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => ({ file: join(input, f), text: readFileSync(join(input, f), 'utf8') }));
  const { catalog, problems } = loadCatalogFromSources(sources);
  if (problems.some(isError))
    throw new Error(`golden case ${name} does not validate: ${JSON.stringify(problems)}`);
  return { name, catalog };
}

/** Every `severity` the generated alert rules carry. */
function ruleSeverities(catalog: Catalog): string[] {
  const values = new Set<string>();
  for (const file of generateRules(catalog, { grafanaUrl: 'http://grafana', promtoolTests: false })) {
    for (const group of (parse(file.content) as { groups: RuleGroup[] }).groups)
      for (const rule of group.rules.filter(isAlertingRule)) values.add(rule.labels?.['severity'] ?? '');
  }
  return [...values].sort();
}

const CASES = readdirSync(GOLDEN_DIR).sort().map(loadCase);

describe.each(CASES)('the Alertmanager configuration of the $name golden catalog', ({ name, catalog }) => {
  const file = generateAlertmanagerConfig(catalog, OPTIONS);
  const expectedPath = join(GOLDEN_DIR, name, 'burnrate.yml');

  it('matches the committed golden file byte for byte (UPDATE_GOLDEN=1 regenerates it)', async () => {
    if (UPDATE) await writeFile(expectedPath, file.content);

    expect(file.content).toBe(await readFile(expectedPath, 'utf8'));
  });

  it('is the same bytes on every run', () => {
    expect(generateAlertmanagerConfig(catalog, OPTIONS)).toEqual(file);
  });

  it('routes every severity the generated alert rules carry on a route of its own', () => {
    const config = parse(file.content) as { route: { routes: { matchers: string[] }[] } };
    const routed = config.route.routes.flatMap((route) => route.matchers);

    expect(routed.map((m) => m.replace(/^severity="(.*)"$/, '$1')).sort()).toEqual(ruleSeverities(catalog));
  });
});
