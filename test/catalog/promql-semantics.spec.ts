import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments, stringify } from 'yaml';
import { analyzeQuery, checkQuery, loadCatalog, renderWindow } from '@burnrate/catalog';
import { promtool } from '../rules/promtool.util.js';

const here = join(import.meta.dirname, 'promql');
const root = join(import.meta.dirname, '..', '..');
const SLOTH_EXAMPLES = '/work/shared/reference/anchors/sloth/examples';

async function expressions(file: string): Promise<string[]> {
  const text = await readFile(join(here, file), 'utf8');
  return text.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('#'));
}

/** Asks the real promtool about each expression at once: one rule group per expression. */
async function refusedByPromtool(dir: string, exprs: string[]): Promise<Map<number, string>> {
  const file = join(dir, 'corpus.rules.yaml');
  const groups = exprs.map((expr, i) => ({ name: `e${i}`, rules: [{ record: 'r', expr }] }));
  await writeFile(file, stringify({ groups }, { lineWidth: 0 }));
  const { output } = await promtool('check', 'rules', file);
  const refused = new Map<number, string>();
  for (const m of output.matchAll(/group "e(\d+)", rule 1, "r": (.*)/g)) refused.set(Number(m[1]), m[2]!);
  return refused;
}

describe('PromQL type checks against the real promtool (Prometheus 2.42)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'burnrate-promql-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('refuses exactly the expressions of the corpus that promtool refuses', async () => {
    const exprs = await expressions('corpus.promql');
    const refused = await refusedByPromtool(dir, exprs);
    // Guards against a corpus (or a promtool run) that proves nothing.
    expect(refused.size).toBeGreaterThanOrEqual(80);
    expect(exprs.length - refused.size).toBeGreaterThanOrEqual(60);
    const disagreements = exprs.flatMap((expr, i) => {
      const ours = checkQuery('promql', expr);
      return (ours !== undefined) === refused.has(i)
        ? []
        : [{ expr, promtool: refused.get(i) ?? 'accepted', burnrate: ours?.message ?? 'accepted' }];
    });
    expect(disagreements).toEqual([]);
  });

  it('accepts, with a warning, what only Prometheus 3 reads, which 2.42 refuses', async () => {
    const exprs = await expressions('prometheus3-only.promql');
    const refused = await refusedByPromtool(dir, exprs);
    expect([...refused.keys()].sort((a, b) => a - b)).toEqual(exprs.map((_, i) => i));
    for (const expr of exprs) {
      const analysis = analyzeQuery('promql', expr);
      expect(analysis.error, expr).toBeUndefined();
      expect(analysis.warnings.map((w) => w.message).join(' '), expr).toMatch(/Prometheus 3/);
    }
  });

  it('refuses, naming the replacement, functions Prometheus 3 removed', async () => {
    const exprs = await expressions('removed-in-prometheus3.promql');
    expect((await refusedByPromtool(dir, exprs)).size).toBe(0);
    for (const expr of exprs) expect(checkQuery('promql', expr)?.message).toMatch(/removed in Prometheus 3/);
  });
});

describe('real queries pass the type checks', () => {
  it('every expression of the committed generated rules', async () => {
    const dir = join(root, 'rules', 'prometheus');
    const files = (await readdir(dir, { recursive: true })).filter((f) => /\.ya?ml$/.test(f));
    const exprs: string[] = [];
    for (const f of files) {
      for (const doc of parseAllDocuments(await readFile(join(dir, f), 'utf8'))) {
        const groups = (doc.toJS() as { groups?: { rules: { expr: string }[] }[] } | null)?.groups ?? [];
        for (const g of groups) for (const r of g.rules) exprs.push(r.expr);
      }
    }
    expect(exprs.length).toBeGreaterThan(100);
    const refused = exprs.flatMap((e) => {
      const error = checkQuery('promql', e);
      return error ? [{ e, error }] : [];
    });
    expect(refused).toEqual([]);
  });

  it("every query of Sloth's own examples", async () => {
    const files = (await readdir(SLOTH_EXAMPLES)).filter((f) => /\.ya?ml$/.test(f));
    const queries: string[] = [];
    const walk = (v: unknown, key = ''): void => {
      if (typeof v === 'string' && /query$/i.test(key)) queries.push(renderWindow(v, '5m'));
      else if (Array.isArray(v)) v.forEach((x) => walk(x));
      else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, k);
    };
    for (const f of files)
      for (const doc of parseAllDocuments(await readFile(join(SLOTH_EXAMPLES, f), 'utf8'))) walk(doc.toJS());
    expect(queries.length).toBeGreaterThan(20);
    const refused = queries.flatMap((q) => {
      const error = checkQuery('promql', q);
      return error ? [{ q, error }] : [];
    });
    expect(refused).toEqual([]);
  });

  it('every expression of the rules Sloth generated for its examples', async () => {
    const dir = join(SLOTH_EXAMPLES, '_gen');
    const exprs: string[] = [];
    const walk = (v: unknown, key = ''): void => {
      if (typeof v === 'string' && key === 'expr') exprs.push(v);
      else if (Array.isArray(v)) v.forEach((x) => walk(x));
      else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, k);
    };
    for (const f of (await readdir(dir)).filter((x) => /\.ya?ml$/.test(x)))
      for (const doc of parseAllDocuments(await readFile(join(dir, f), 'utf8'))) walk(doc.toJS());
    expect(exprs.length).toBeGreaterThan(100);
    expect(exprs.filter((e) => checkQuery('promql', e) !== undefined)).toEqual([]);
  });

  it('the example catalog loads without an error', async () => {
    const { problems } = await loadCatalog([join(root, 'catalog')]);
    expect(problems.filter((p) => p.severity === 'error')).toEqual([]);
  });
});
