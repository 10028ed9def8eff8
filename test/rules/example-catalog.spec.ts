import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { checkQuery } from '@burnrate/catalog';
import { promtool } from './promtool.util.js';

/** The committed rules/ folder is what `burnrate generate` gives for catalog/ (CI checks the drift). */
const root = join(import.meta.dirname, '../..');

async function files(dir: string, suffix: string): Promise<string[]> {
  const entries = await readdir(join(root, dir), { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile() && e.name.endsWith(suffix))
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

describe("the example catalog's committed rules", () => {
  it('pass promtool check rules', async () => {
    const rules = (await files('rules/prometheus', '.yaml')).filter((f) => !f.endsWith('.test.yaml'));
    expect(rules.length).toBeGreaterThanOrEqual(13);
    const result = await promtool('check', 'rules', ...rules);
    expect(result.output).not.toMatch(/FAILED/);
    expect(result.ok).toBe(true);
  });

  it('pass their generated promtool unit tests', async () => {
    const tests = await files('rules/prometheus', '.test.yaml');
    expect(tests.length).toBeGreaterThanOrEqual(10);
    for (const test of tests) {
      const result = await promtool('test', 'rules', test);
      expect(result.ok, `${test}\n${result.output}`).toBe(true);
    }
  });

  it('hold Loki rules whose LogQL parses', async () => {
    const lokiFiles = await files('rules/loki', '.yaml');
    expect(lokiFiles.length).toBeGreaterThan(0);
    let exprs = 0;
    for (const file of lokiFiles) {
      const doc = parseYaml(await readFile(file, 'utf8')) as { groups: { rules: { expr: string }[] }[] };
      for (const rule of doc.groups.flatMap((g) => g.rules)) {
        exprs++;
        expect(checkQuery('logql', rule.expr), `${file}: ${rule.expr}`).toBeUndefined();
      }
    }
    expect(exprs).toBeGreaterThan(0);
  });
});
