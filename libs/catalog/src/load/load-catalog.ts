import { open, readdir, stat } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { linkOpenSloAlerting } from '../formats/openslo-alerting.util.js';
import { linkCatalog } from '../link/link-catalog.js';
import type { Catalog } from '../model/catalog.model.js';
import { sortProblems, type Problem } from '../problems/problem.js';
import { emptyContributions } from './drafts.js';
import { loadFileText } from './documents.js';

export interface LoadOptions {
  /** Treat warnings (undeclared or missing teams) as errors. */
  strict?: boolean;
}

export interface LoadResult {
  /** Complete only when `problems` holds no error. */
  catalog: Catalog;
  problems: Problem[];
}

export interface CatalogSource {
  file: string;
  text: string;
}

/** Files over this size are refused before they are read. */
export const MAX_FILE_BYTES = 5 * 1024 * 1024;

/** Loads catalog sources already in memory: the pure core of `loadCatalog`, used by tests. */
export function loadCatalogFromSources(sources: CatalogSource[], options: LoadOptions = {}): LoadResult {
  const problems: Problem[] = [];
  const contributions = emptyContributions();
  const byPath = (file: string, rel: string) => join(dirname(file), rel);
  for (const source of [...sources].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0))) {
    loadFileText(source.file, source.text, contributions, problems, byPath);
  }
  // OpenSLO alert policies may live in other files: map them onto tiers before linking.
  linkOpenSloAlerting(contributions, problems);
  const catalog = linkCatalog(contributions, problems, options.strict ?? false);
  return {
    catalog,
    problems: sortProblems(
      problems.map((p) => (options.strict && p.severity === 'warning' ? { ...p, severity: 'error' } : p)),
    ),
  };
}

/** Reads files and folders (recursively, `*.yaml` and `*.yml`) and loads them. */
export async function loadCatalog(paths: string[], options: LoadOptions = {}): Promise<LoadResult> {
  const problems: Problem[] = [];
  const sources: CatalogSource[] = [];
  for (const file of await expand(paths, problems)) {
    const text = await readText(file, problems);
    if (text !== undefined) sources.push({ file, text });
  }
  const result = loadCatalogFromSources(sources, options);
  return { catalog: result.catalog, problems: sortProblems([...problems, ...result.problems]) };
}

async function expand(paths: string[], problems: Problem[]): Promise<string[]> {
  const files = new Set<string>();
  for (const path of paths) {
    const info = await stat(path).catch(() => undefined);
    if (!info) {
      problems.push({ file: path, line: 1, column: 1, severity: 'error', message: 'no such file or folder' });
    } else if (info.isDirectory()) {
      const entries = await readdir(path, { recursive: true, withFileTypes: true });
      for (const entry of entries) {
        if (entry.isFile() && /\.ya?ml$/.test(entry.name) && !entry.name.startsWith('.'))
          files.add(display(join(entry.parentPath, entry.name)));
      }
    } else files.add(display(path));
  }
  return [...files].sort();
}

/** Paths are shown relative to the working directory when inside it, as editors link them. */
function display(path: string): string {
  const rel = relative(process.cwd(), resolve(path));
  return rel.startsWith('..') ? resolve(path) : rel;
}

async function readText(file: string, problems: Problem[]): Promise<string | undefined> {
  const fail = (message: string) =>
    void problems.push({ file, line: 1, column: 1, severity: 'error', message });
  const handle = await open(file, 'r');
  try {
    const { size } = await handle.stat();
    if (size > MAX_FILE_BYTES)
      return fail(
        `file is ${(size / 1048576).toFixed(1)} MiB; catalog files may be at most ${MAX_FILE_BYTES / 1048576} MiB`,
      );
    const bytes = await handle.readFile();
    if (bytes.includes(0)) return fail('not a text YAML file (it holds NUL bytes): is it binary?');
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      return fail('not a text YAML file: it is not valid UTF-8');
    }
  } finally {
    await handle.close();
  }
}
