import { readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { expect } from 'vitest';
import { loadCatalog, type Catalog, type Problem } from '@burnrate/catalog';

/** Public files written by others (test/catalog/wild/SOURCES.md names each one's origin). */
const wild = join(import.meta.dirname, 'wild');
const path = (file: string) => relative(process.cwd(), join(wild, file));
export const text = (file: string) => readFile(join(wild, file), 'utf8');
export const load = (...files: string[]) => loadCatalog(files.map(path));
export const slos = (catalog: Catalog) => catalog.services.flatMap((s) => s.slos);

export type Expected = [line: number, column: number, severity: Problem['severity'], fragment: string];

/** Exactly these problems, in file order, each located and saying what it is about. */
export function expectProblems(problems: Problem[], expected: Expected[]): void {
  const shown = problems.map((p) => `${p.line}:${p.column} ${p.severity}: ${p.message}`).join('\n');
  expect(problems.length, shown).toBe(expected.length);
  expected.forEach(([line, column, severity, fragment], i) => {
    expect(problems[i], shown).toMatchObject({ line, column, severity });
    expect(problems[i]!.message, shown).toContain(fragment);
  });
}
