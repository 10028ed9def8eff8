import { mkdir, rmdir, unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { GeneratedFile } from '@burnrate/catalog';
import { commitStaged, discardStaged, stageFile, syncDir, type StagedFile } from './atomic-file.util.js';
import { MANAGED_DIRS, MANIFEST_PATH } from './manifest.js';
import { planOutput, type OutputPlan } from './output-plan.js';

export { MANAGED_DIRS, MANIFEST_PATH };

/** Writing failed; `changed` says whether any file of the output was already replaced or removed. */
export class OutputWriteError extends Error {
  constructor(
    readonly path: string,
    readonly changed: boolean,
    cause: unknown,
  ) {
    super(`cannot write ${path}: ${(cause as NodeJS.ErrnoException).code ?? String(cause)}`, { cause });
  }
}
export { planOutput, isUpToDate, type OutputPlan } from './output-plan.js';

/**
 * Brings `--out` in line with `files` in place, for a Grafana or Prometheus that bind-mounts the
 * output folders: the folders are never replaced, each changed file is replaced by a rename (a
 * reader holds the old file or the new one), unchanged files are not touched, and only files the
 * manifest says were generated are removed. Every new file is written and flushed before the first
 * rename, so a failure while writing leaves the output as it was.
 */
export async function writeArtifacts(outDir: string, files: readonly GeneratedFile[]): Promise<OutputPlan> {
  const plan = await planOutput(outDir, files);
  const writes = [...plan.create, ...plan.update].sort((a, b) => (a.path < b.path ? -1 : 1));
  const createdDirs: string[] = [];
  const staged: StagedFile[] = [];
  let target = outDir;
  try {
    for (const file of writes) {
      target = join(outDir, file.path);
      const made = await mkdir(dirname(target), { recursive: true });
      if (made) createdDirs.push(made);
      staged.push(await stageFile(target, file.content));
    }
  } catch (error) {
    await Promise.all(staged.map(discardStaged));
    // Folders made for this run only: rmdir removes nothing that is not empty.
    for (const dir of createdDirs.reverse()) await removeEmptyUpTo(dir, outDir);
    throw new OutputWriteError(target, false, error);
  }
  try {
    await apply(outDir, plan, staged);
  } catch (error) {
    throw new OutputWriteError(outDir, true, error);
  }
  return plan;
}

/** Renames the staged files in, removes the stale ones, then records the manifest. */
async function apply(outDir: string, plan: OutputPlan, staged: readonly StagedFile[]): Promise<void> {
  const touched = new Set<string>();
  for (const file of staged) {
    await commitStaged(file);
    touched.add(dirname(file.target));
  }
  for (const path of [...plan.remove, ...plan.temps]) {
    await unlink(join(outDir, path)).catch((e: NodeJS.ErrnoException) => {
      if (e.code !== 'ENOENT') throw e;
    });
    touched.add(dirname(join(outDir, path)));
  }
  for (const dir of touched) await syncDir(dir).catch(() => undefined);
  // A team folder emptied by removing its last generated file goes; the managed roots stay.
  for (const path of plan.remove) await removeEmptyUpTo(dirname(join(outDir, path)), outDir);

  if (plan.manifest.state !== 'unchanged') {
    await mkdir(outDir, { recursive: true });
    await commitStaged(await stageFile(join(outDir, MANIFEST_PATH), plan.manifest.content));
    await syncDir(outDir).catch(() => undefined);
  }
}

/** Removes `dir` and its empty parents, stopping at a managed root or at the first non-empty folder. */
async function removeEmptyUpTo(dir: string, outDir: string): Promise<void> {
  const roots = new Set([outDir, ...MANAGED_DIRS.map((d) => join(outDir, d)), join(outDir, 'rules')]);
  for (
    let current = dir;
    current.startsWith(`${outDir}/`) && !roots.has(current);
    current = dirname(current)
  ) {
    const removed = await rmdir(current).then(
      () => true,
      () => false,
    );
    if (!removed) return;
  }
}
