import { randomBytes } from 'node:crypto';
import { open, rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** Temporary files are hidden and end in `.tmp`, so neither Grafana (`*.json`) nor a `*.yaml` rule glob reads one. */
const TEMP_NAME = /^\..+\.burnrate-\d+-[0-9a-f]+\.tmp$/;

export const isTempFile = (name: string): boolean => TEMP_NAME.test(name);

/** A file written and flushed beside its target, waiting for {@link commitStaged}. */
export interface StagedFile {
  readonly target: string;
  readonly temp: string;
}

/**
 * Writes `content` to a temporary file in the target's own folder (a rename is atomic only within
 * one file system) and flushes it to disk. The target keeps its permissions when it exists.
 */
export async function stageFile(target: string, content: string): Promise<StagedFile> {
  const temp = join(
    dirname(target),
    `.${basename(target)}.burnrate-${process.pid}-${randomBytes(4).toString('hex')}.tmp`,
  );
  const mode = await stat(target).then(
    (s) => s.mode & 0o7777,
    () => 0o644,
  );
  const handle = await open(temp, 'wx', mode);
  let written = false;
  try {
    await handle.writeFile(content);
    await handle.chmod(mode);
    await handle.sync();
    written = true;
  } finally {
    await handle.close();
    if (!written) await unlink(temp).catch(() => undefined);
  }
  return { target, temp };
}

/** Renames a staged file over its target: a reader sees the old file or the new one, never a part. */
export const commitStaged = (file: StagedFile): Promise<void> => rename(file.temp, file.target);

export const discardStaged = (file: StagedFile): Promise<void> => unlink(file.temp).catch(() => undefined);

/** Flushes a folder's entries, so renames and removals in it survive a crash. */
export async function syncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
