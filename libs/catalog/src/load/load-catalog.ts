import { readdir, stat } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { linkOpenSloAlerting } from '../formats/openslo-alerting.util.js';
import { linkCatalog } from '../link/link-catalog.js';
import type { Catalog } from '../model/catalog.model.js';
import { sortProblems, type Problem } from '../problems/problem.js';
import { attachTemplates } from './chat-templates.js';
import { emptyContributions, type Contributions } from './drafts.js';
import { loadFileText } from './documents.js';
import { readTextFile, type TextFileResult } from './text-file.util.js';

export { MAX_FILE_BYTES } from './text-file.util.js';

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

/** What the YAML files contributed, before the files they refer to are read. */
interface Read {
  contributions: Contributions;
  problems: Problem[];
}

/**
 * Loads catalog sources already in memory: the pure core of `loadCatalog`, used by tests.
 * `referenced` holds the files the catalog names (chat templates), by the path it resolves.
 */
export function loadCatalogFromSources(
  sources: CatalogSource[],
  options: LoadOptions = {},
  referenced: CatalogSource[] = [],
): LoadResult {
  const texts = new Map(referenced.map((r) => [r.file, r.text]));
  return link(
    readSources(sources),
    (file) => {
      const text = texts.get(file);
      return text === undefined ? { missing: true } : { text };
    },
    options,
  );
}

/** Reads files and folders (recursively, `*.yaml` and `*.yml`), then the templates they name, and loads them. */
export async function loadCatalog(paths: string[], options: LoadOptions = {}): Promise<LoadResult> {
  const problems: Problem[] = [];
  const sources: CatalogSource[] = [];
  for (const file of await expand(paths, problems)) {
    const read = await readTextFile(file, 'YAML file');
    if ('text' in read) sources.push({ file, text: read.text });
    else problem(problems, file, 'missing' in read ? 'no such file or folder' : `file ${read.unreadable}`);
  }
  const parsed = readSources(sources);
  const referenced = new Map<string, TextFileResult>();
  for (const file of new Set(parsed.contributions.templates.map((t) => t.file)))
    referenced.set(file, await readTextFile(file, 'template'));
  const result = link(parsed, (file) => referenced.get(file) ?? { missing: true }, options);
  return { catalog: result.catalog, problems: sortProblems([...problems, ...result.problems]) };
}

function readSources(sources: CatalogSource[]): Read {
  const problems: Problem[] = [];
  const contributions = emptyContributions();
  const byPath = (file: string, rel: string) => join(dirname(file), rel);
  for (const source of [...sources].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0))) {
    loadFileText(source.file, source.text, contributions, problems, byPath);
  }
  return { contributions, problems };
}

function link(
  { contributions, problems }: Read,
  readReferenced: (file: string) => TextFileResult,
  options: LoadOptions,
): LoadResult {
  attachTemplates(contributions.templates, readReferenced, problems);
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

async function expand(paths: string[], problems: Problem[]): Promise<string[]> {
  const files = new Set<string>();
  for (const path of paths) {
    const info = await stat(path).catch(() => undefined);
    if (!info) problem(problems, path, 'no such file or folder');
    else if (info.isDirectory()) {
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

function problem(problems: Problem[], file: string, message: string): void {
  problems.push({ file, line: 1, column: 1, severity: 'error', message });
}
