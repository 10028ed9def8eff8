import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, rm, rmdir } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import type { GeneratedFile } from '@burnrate/catalog';

/** The directories under `--out` that generation writes into. */
export const MANAGED_DIRS = ['rules/prometheus', 'rules/loki', 'dashboards'] as const;

/**
 * What generation wrote last time, so that a later run removes only its own files: a
 * hand-written file beside them is never touched. Committed with the output (it is itself a
 * generated file, so `--check` sees it drift).
 */
export const MANIFEST = '.burnrate-manifest.json';

export interface Drift {
  missing: string[];
  changed: string[];
  stale: string[];
}

export interface WriteSummary {
  written: number;
  unchanged: number;
  removed: number;
}

export const hasDrift = (d: Drift): boolean => d.missing.length + d.changed.length + d.stale.length > 0;

interface Manifest {
  generator: 'burnrate';
  version: 1;
  files: Record<string, string>;
}

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/** The manifest of a set of generated files: deterministic, so it is drift-checked like them. */
export function manifestFile(files: GeneratedFile[]): GeneratedFile {
  const entries = files.map((f) => [f.path, sha256(f.content)] as const).sort(([a], [b]) => (a < b ? -1 : 1));
  const manifest: Manifest = { generator: 'burnrate', version: 1, files: Object.fromEntries(entries) };
  return { path: MANIFEST, content: `${JSON.stringify(manifest, null, 2)}\n` };
}

/** Compares what generation gives with what is on disk, without writing anything. */
export async function diffArtifacts(outDir: string, files: GeneratedFile[]): Promise<Drift> {
  const wanted = new Map([...files, manifestFile(files)].map((f) => [f.path, f.content]));
  const drift: Drift = { missing: [], changed: [], stale: [] };
  for (const [path, content] of wanted) {
    const onDisk = await readIfExists(join(outDir, path));
    if (onDisk === undefined) drift.missing.push(path);
    else if (onDisk !== content) drift.changed.push(path);
  }
  for (const path of await previouslyGenerated(outDir)) {
    if (!wanted.has(path) && (await readIfExists(join(outDir, path))) !== undefined) drift.stale.push(path);
  }
  for (const list of Object.values(drift) as string[][]) list.sort();
  return drift;
}

/**
 * Writes in place: the output folders stay the same folders (a Grafana or Prometheus that
 * bind-mounts them sees the new files), each changed file is replaced atomically (a temporary
 * file in its folder, flushed, renamed over the old one), unchanged files are not rewritten, and
 * only files this generator wrote before (the manifest) and no longer produces are removed.
 * A reader never sees a half-written file; a crash part-way leaves whole old or new files, and
 * the manifest, written last, still names every file generated before.
 */
export async function writeArtifacts(outDir: string, files: GeneratedFile[]): Promise<WriteSummary> {
  for (const file of files) assertManaged(file.path);
  const previous = await previouslyGenerated(outDir);
  const summary: WriteSummary = { written: 0, unchanged: 0, removed: 0 };
  const wanted = new Set(files.map((f) => f.path));
  for (const file of files) {
    const target = join(outDir, file.path);
    if ((await readIfExists(target)) === file.content) {
      summary.unchanged++;
      continue;
    }
    await replaceAtomically(target, file.content);
    summary.written++;
  }
  for (const path of previous) {
    if (wanted.has(path)) continue;
    const removed = await rm(join(outDir, path)).then(
      () => true,
      (e: NodeJS.ErrnoException) => (e.code === 'ENOENT' ? false : Promise.reject(e)),
    );
    if (removed) {
      summary.removed++;
      await removeEmptyParents(outDir, dirname(path));
    }
  }
  const manifest = manifestFile(files);
  if ((await readIfExists(join(outDir, MANIFEST))) !== manifest.content) {
    await replaceAtomically(join(outDir, MANIFEST), manifest.content);
  }
  return summary;
}

async function replaceAtomically(target: string, content: string): Promise<void> {
  await mkdir(dirname(target), { recursive: true });
  const temp = join(dirname(target), `.burnrate-${randomBytes(6).toString('hex')}.tmp`);
  const handle = await open(temp, 'wx');
  try {
    await handle.writeFile(content);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await rename(temp, target);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

/** Folders left empty by a removed service go too, but never a managed folder itself. */
async function removeEmptyParents(outDir: string, dir: string): Promise<void> {
  let current = dir;
  while (current !== '.' && !(MANAGED_DIRS as readonly string[]).includes(current) && current !== 'rules') {
    const gone = await rmdir(join(outDir, current)).then(
      () => true,
      () => false,
    );
    if (!gone) return;
    current = dirname(current);
  }
}

/**
 * The files generation owns on disk: those its manifest names. Without a manifest (output
 * written by an older Burnrate), files that say they are generated are adopted: YAML starting
 * with Burnrate's header and dashboards tagged `burnrate`; anything else is left alone.
 */
async function previouslyGenerated(outDir: string): Promise<string[]> {
  const text = await readIfExists(join(outDir, MANIFEST));
  if (text !== undefined) {
    const manifest = parseManifest(text);
    if (manifest) return Object.keys(manifest.files).filter(isManaged);
  }
  const adopted: string[] = [];
  for (const path of await listManaged(outDir)) {
    const content = (await readIfExists(join(outDir, path))) ?? '';
    if (looksGenerated(path, content)) adopted.push(path);
  }
  return adopted;
}

function parseManifest(text: string): Manifest | undefined {
  try {
    const value = JSON.parse(text) as Partial<Manifest>;
    return value.generator === 'burnrate' && typeof value.files === 'object' && value.files !== null
      ? (value as Manifest)
      : undefined;
  } catch {
    return undefined;
  }
}

export const GENERATED_HEADER = '# Generated by burnrate';

function looksGenerated(path: string, content: string): boolean {
  if (/\.ya?ml$/.test(path)) return content.startsWith(GENERATED_HEADER);
  if (!path.endsWith('.json')) return false;
  try {
    const tags = (JSON.parse(content) as { tags?: unknown }).tags;
    return Array.isArray(tags) && tags.includes('burnrate');
  } catch {
    return false;
  }
}

const isManaged = (path: string): boolean =>
  MANAGED_DIRS.some((dir) => path.startsWith(`${dir}/`)) && !path.split('/').includes('..');

function assertManaged(path: string): void {
  if (!isManaged(path)) throw new Error(`generator produced a path outside the managed directories: ${path}`);
}

async function readIfExists(path: string): Promise<string | undefined> {
  return readFile(path, 'utf8').catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT' || e.code === 'EISDIR') return undefined;
    throw e;
  });
}

async function listManaged(outDir: string): Promise<string[]> {
  const found: string[] = [];
  for (const dir of MANAGED_DIRS) {
    const entries = await readdir(join(outDir, dir), { recursive: true, withFileTypes: true }).catch(
      (e: NodeJS.ErrnoException) => {
        if (e.code === 'ENOENT') return [];
        throw e;
      },
    );
    for (const entry of entries) {
      if (!entry.isFile()) continue;
      found.push(relative(outDir, join(entry.parentPath, entry.name)).split(sep).join('/'));
    }
  }
  return found.sort();
}
