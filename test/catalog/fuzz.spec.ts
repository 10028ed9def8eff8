/**
 * Property tests over the example catalog with random edits (fast-check): whatever a user's
 * editor leaves in a file, loading answers with located problems and never throws, and whatever
 * loads without errors generates rules whose every query parses. The seed is printed on failure
 * and can be replayed with `FUZZ_SEED=<seed>`.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { checkQuery, loadCatalogFromSources, type CatalogSource } from '@burnrate/catalog';
import { generateDashboards } from '@burnrate/dashboards';
import { generateRules } from '@burnrate/rules';

const root = join(import.meta.dirname, '../..');
const RUNS = Number(process.env.FUZZ_RUNS ?? 150);
const SEED = process.env.FUZZ_SEED === undefined ? undefined : Number(process.env.FUZZ_SEED);

/** What editors and hasty hands put into YAML: structure, quoting, anchors, odd characters. */
const FRAGMENTS = [
  ':',
  ': ',
  '- ',
  '-',
  '{',
  '}',
  '[',
  ']',
  '"',
  "'",
  '|',
  '>-',
  '&a ',
  '*a',
  '<<: *a',
  '!!str ',
  '!!binary ',
  '#',
  '\n',
  '\n  ',
  '  ',
  '\t',
  ',',
  '?',
  '%YAML 1.1\n',
  '---\n',
  '...\n',
  '{{.window}}',
  '[5m]',
  '99.9',
  '100',
  '0',
  '-1',
  '1e400',
  'NaN',
  '.nan',
  'null',
  '~',
  'true',
  'no',
  '30x',
  '7d',
  'calendar',
  'objective',
  'sli',
  'events',
  'window',
  'slos',
  'team',
  'name',
  'kind: Team',
  'apiVersion: v9',
  '\u0000',
  '\uFEFF',
  'é',
  '🔥',
  '\\',
  '`',
  '=~',
  '}}',
  '{{',
];

type Edit =
  | { kind: 'insert'; at: number; text: string }
  | { kind: 'delete'; at: number; length: number }
  | { kind: 'duplicate-line'; at: number }
  | { kind: 'swap-lines'; at: number };

const anEdit: fc.Arbitrary<Edit> = fc.oneof(
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: fc.constantFrom(...FRAGMENTS) }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 40 }) }),
  fc.record({ kind: fc.constant('duplicate-line' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('swap-lines' as const), at: fc.nat() }),
);

function apply(text: string, edit: Edit): string {
  const at = text.length === 0 ? 0 : edit.at % text.length;
  const lines = text.split('\n');
  const line = lines.length === 0 ? 0 : edit.at % lines.length;
  switch (edit.kind) {
    case 'insert':
      return text.slice(0, at) + edit.text + text.slice(at);
    case 'delete':
      return text.slice(0, at) + text.slice(at + edit.length);
    case 'duplicate-line':
      return [...lines.slice(0, line + 1), ...lines.slice(line)].join('\n');
    case 'swap-lines': {
      const next = (line + 1) % lines.length;
      [lines[line], lines[next]] = [lines[next]!, lines[line]!];
      return lines.join('\n');
    }
  }
}

async function catalogSources(): Promise<CatalogSource[]> {
  const files = (await readdir(join(root, 'catalog'), { recursive: true }))
    .filter((f) => /\.ya?ml$/.test(f))
    .sort();
  return Promise.all(
    files.map(async (f) => ({
      file: relative(root, join(root, 'catalog', f)),
      text: await readFile(join(root, 'catalog', f), 'utf8'),
    })),
  );
}

/** Every `expr` of the generated rule files, with its language. */
function generatedQueries(
  files: { path: string; content: string }[],
): { language: 'promql' | 'logql'; expr: string; path: string }[] {
  return files
    .filter((f) => f.path.startsWith('rules/') && !f.path.endsWith('.test.yaml'))
    .flatMap((f) => {
      const doc = parse(f.content) as { groups?: { rules?: { expr: string }[] }[] };
      const language = f.path.startsWith('rules/loki/') ? ('logql' as const) : ('promql' as const);
      return (doc.groups ?? []).flatMap((g) =>
        (g.rules ?? []).map((r) => ({ language, expr: r.expr, path: f.path })),
      );
    });
}

describe('the catalog under random edits', async () => {
  const sources = await catalogSources();
  const edited = fc.record({
    file: fc.integer({ min: 0, max: sources.length - 1 }),
    edits: fc.array(anEdit, { minLength: 1, maxLength: 4 }),
  });

  it('always answers with problems located in the files, never an exception', () => {
    fc.assert(
      fc.property(edited, ({ file, edits }) => {
        const text = edits.reduce(apply, sources[file]!.text);
        const input = sources.map((s, i) => (i === file ? { ...s, text } : s));
        const { problems } = loadCatalogFromSources(input);
        const lines = new Map(input.map((s) => [s.file, s.text.split('\n').length]));
        for (const problem of problems) {
          expect(lines.has(problem.file), problem.file).toBe(true);
          expect(problem.line).toBeGreaterThanOrEqual(1);
          expect(problem.line).toBeLessThanOrEqual(lines.get(problem.file)! + 1);
          expect(problem.column).toBeGreaterThanOrEqual(1);
          expect(problem.message.trim()).not.toBe('');
          expect(problem.message).not.toMatch(/\n\s+at /);
        }
      }),
      { numRuns: RUNS, seed: SEED },
    );
  });

  it('generates rules and dashboards whose queries all parse whenever the edited catalog is valid', () => {
    let valid = 0;
    fc.assert(
      fc.property(edited, ({ file, edits }) => {
        const text = edits.reduce(apply, sources[file]!.text);
        const { catalog, problems } = loadCatalogFromSources(
          sources.map((s, i) => (i === file ? { ...s, text } : s)),
        );
        if (problems.some((p) => p.severity === 'error')) return;
        valid++;
        const rules = generateRules(catalog, { grafanaUrl: 'http://grafana', promtoolTests: true });
        for (const { language, expr, path } of generatedQueries(rules)) {
          expect(checkQuery(language, expr), `${path}: ${expr}`).toBeUndefined();
        }
        expect(generateDashboards(catalog, { grafanaUrl: 'http://grafana' }).length).toBeGreaterThan(0);
      }),
      { numRuns: RUNS, seed: SEED },
    );
    // Edits that keep the catalog valid (comments, whitespace, reordering) must occur, or this
    // property tested nothing.
    expect(valid).toBeGreaterThan(0);
  });
});
