import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { isError, loadCatalogFromSources, type Catalog, type GeneratedFile } from '@burnrate/catalog';
import { generateRules, type RulesOptions } from '@burnrate/rules';
import { parse } from 'yaml';
import { promtool } from './promtool.util.js';

/**
 * Golden cases: `golden/<case>/input/*.yaml` is a catalog, `golden/<case>/options.yaml` the
 * generation options (optional), `golden/<case>/rules/` what generation gives for them.
 * `npm run golden:update` (UPDATE_GOLDEN=1) rewrites the expected side.
 */
const GOLDEN_DIR = join(dirname(fileURLToPath(import.meta.url)), 'golden');
const UPDATE = process.env.UPDATE_GOLDEN === '1';

interface GoldenCase {
  name: string;
  catalog: Catalog;
  options: Partial<RulesOptions>;
}

function loadCase(name: string): GoldenCase {
  const input = join(GOLDEN_DIR, name, 'input');
  const sources = readdirSync(input)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => ({ file: join(input, f), text: readFileSync(join(input, f), 'utf8') }));
  const { catalog, problems } = loadCatalogFromSources(sources);
  if (problems.some(isError))
    throw new Error(`golden case ${name} does not validate: ${JSON.stringify(problems)}`);
  const optionsFile = join(GOLDEN_DIR, name, 'options.yaml');
  const options = existsSync(optionsFile)
    ? (parse(readFileSync(optionsFile, 'utf8')) as Partial<RulesOptions>)
    : {};
  return { name, catalog, options };
}

const GOLDEN_CASES = readdirSync(GOLDEN_DIR).sort().map(loadCase);

const generate = (c: GoldenCase): GeneratedFile[] =>
  generateRules(c.catalog, { grafanaUrl: 'https://grafana.example.com', promtoolTests: true, ...c.options });

async function listFiles(dir: string, prefix = ''): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  const nested = await Promise.all(
    entries.map(async (e) =>
      e.isDirectory() ? listFiles(join(dir, e.name), `${prefix}${e.name}/`) : [`${prefix}${e.name}`],
    ),
  );
  return nested.flat().sort();
}

describe.each(GOLDEN_CASES)('generated rules for the $name golden catalog', (goldenCase) => {
  const files = generate(goldenCase);
  const caseDir = join(GOLDEN_DIR, goldenCase.name);
  let outDir: string;

  beforeAll(async () => {
    if (UPDATE) {
      await rm(join(caseDir, 'rules'), { recursive: true, force: true });
      await writeAll(caseDir, files);
    }
    outDir = await mkdtemp(join(tmpdir(), `burnrate-rules-${goldenCase.name}-`));
    await writeAll(outDir, files);
  });
  afterAll(async () => {
    await rm(outDir, { recursive: true, force: true });
  });

  it('match the committed golden files byte for byte (UPDATE_GOLDEN=1 regenerates them)', async () => {
    expect(await listFiles(join(caseDir, 'rules'), 'rules/')).toEqual(files.map((f) => f.path).sort());
    for (const file of files) {
      expect(file.content, file.path).toBe(await readFile(join(caseDir, file.path), 'utf8'));
    }
  });

  it('are the same bytes on every run', () => {
    expect(generate(goldenCase)).toEqual(files);
  });

  it('pass promtool check rules', async () => {
    const rules = files.filter(
      (f) => f.path.startsWith('rules/prometheus/') && !f.path.endsWith('.test.yaml'),
    );
    expect(rules.length).toBeGreaterThan(0);
    const result = await promtool('check', 'rules', ...rules.map((f) => join(outDir, f.path)));
    expect(result.output).toContain('SUCCESS');
    expect(result.ok, result.output).toBe(true);
  });

  it('pass their own generated promtool unit tests', async () => {
    const tests = files.filter((f) => f.path.endsWith('.test.yaml'));
    expect(tests.length).toBeGreaterThan(0);
    const result = await promtool('test', 'rules', ...tests.map((f) => join(outDir, f.path)));
    expect(result.ok, result.output).toBe(true);
  });
});

async function writeAll(root: string, files: GeneratedFile[]): Promise<void> {
  for (const file of files) {
    await mkdir(dirname(join(root, file.path)), { recursive: true });
    await writeFile(join(root, file.path), file.content);
  }
}
