import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import type { GeneratedFile } from '@burnrate/catalog';

/** The directories under `--out` that generation owns entirely: stale files in them are removed. */
export const MANAGED_DIRS = ['rules/prometheus', 'rules/loki', 'dashboards'] as const;

export interface Drift {
  missing: string[];
  changed: string[];
  stale: string[];
}

export const hasDrift = (d: Drift): boolean => d.missing.length + d.changed.length + d.stale.length > 0;

/** Compares what generation gives with what is on disk, without writing anything. */
export async function diffArtifacts(outDir: string, files: GeneratedFile[]): Promise<Drift> {
  const wanted = new Map(files.map((f) => [f.path, f.content]));
  const onDisk = await listManaged(outDir);
  const drift: Drift = { missing: [], changed: [], stale: [] };
  for (const [path, content] of wanted) {
    if (!onDisk.has(path)) drift.missing.push(path);
    else if ((await readFile(join(outDir, path), 'utf8')) !== content) drift.changed.push(path);
  }
  for (const path of onDisk) if (!wanted.has(path)) drift.stale.push(path);
  for (const list of Object.values(drift) as string[][]) list.sort();
  return drift;
}

/**
 * Writes every managed directory into a staging folder first, then swaps each one in with a
 * rename, so a failure half-way never leaves a mix of old and new files.
 */
export async function writeArtifacts(outDir: string, files: GeneratedFile[]): Promise<void> {
  const staging = join(outDir, `.burnrate-staging-${process.pid}`);
  await rm(staging, { recursive: true, force: true });
  try {
    for (const file of files) {
      assertManaged(file.path);
      const target = join(staging, file.path);
      await mkdir(dirname(target), { recursive: true });
      await writeFile(target, file.content);
    }
    for (const dir of MANAGED_DIRS) {
      const next = join(staging, dir);
      const current = join(outDir, dir);
      const old = join(staging, '.old', dir);
      await mkdir(next, { recursive: true });
      await mkdir(dirname(current), { recursive: true });
      await mkdir(dirname(old), { recursive: true });
      await rename(current, old).catch((e: NodeJS.ErrnoException) => {
        if (e.code !== 'ENOENT') throw e;
      });
      await rename(next, current);
    }
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

function assertManaged(path: string): void {
  const inside = MANAGED_DIRS.some((dir) => path.startsWith(`${dir}/`));
  if (!inside || path.split('/').includes('..')) {
    throw new Error(`generator produced a path outside the managed directories: ${path}`);
  }
}

async function listManaged(outDir: string): Promise<Set<string>> {
  const found = new Set<string>();
  for (const dir of MANAGED_DIRS) {
    const entries = await readdir(join(outDir, dir), { recursive: true, withFileTypes: true }).catch(
      (e: NodeJS.ErrnoException) => {
        if (e.code === 'ENOENT') return [];
        throw e;
      },
    );
    for (const entry of entries) {
      if (!entry.isFile()) continue;
      found.add(relative(outDir, join(entry.parentPath, entry.name)).split(sep).join('/'));
    }
  }
  return found;
}
