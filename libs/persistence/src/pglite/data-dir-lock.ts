import { readFileSync, unlinkSync } from 'node:fs';
import { mkdir, open, readFile, unlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import { dirname } from 'node:path';

import { BurnrateError } from '@burnrate/contracts';

/** Who holds an embedded data folder, as written in its lock file. */
export interface DataDirHolder {
  readonly pid: number;
  readonly hostname: string;
  readonly startedAt: string;
}

/** A second process asked for an embedded data folder another one holds. */
export class DataDirInUseError extends BurnrateError {
  readonly kind = 'conflict';

  constructor(
    readonly dataDir: string,
    readonly lockFile: string,
    readonly holder: DataDirHolder | undefined,
  ) {
    const who = holder
      ? `process ${holder.pid} on ${holder.hostname} (started ${holder.startedAt})`
      : `another process (its lock file ${lockFile} is unreadable)`;
    const remedy =
      holder && holder.hostname !== hostname()
        ? `stop it, or delete ${lockFile} if that host no longer runs it`
        : 'stop it, or give this one its own DATA_DIR';
    super(
      'data-dir-in-use',
      `the embedded database in ${dataDir} is in use by ${who}: ${remedy}. ` +
        'Several replicas need PostgreSQL (DATABASE_URL).',
    );
  }
}

/** Lock files this process holds: its own pid in one of them is a live holder, not a leftover. */
const heldHere = new Set<string>();

/** The lock file of a data folder: beside it, so PostgreSQL never finds a stranger in PGDATA. */
export function lockFileOf(dataDir: string): string {
  return `${dataDir}.lock`;
}

export interface DataDirLock {
  /** Removes the lock file if it is still ours; safe to call twice. */
  release(): void;
}

/**
 * Takes the data folder for this process: creates its lock file exclusively (`wx`), holding
 * {pid, hostname, startedAt}. A lock left by a process that is gone from this host is taken over
 * (`onStaleLock` says so); a live holder, or one on another host, gets {@link DataDirInUseError}.
 */
export async function lockDataDir(
  dataDir: string,
  onStaleLock: (message: string) => void = () => undefined,
): Promise<DataDirLock> {
  const lockFile = lockFileOf(dataDir);
  await mkdir(dirname(lockFile), { recursive: true });
  const mine: DataDirHolder = { pid: process.pid, hostname: hostname(), startedAt: new Date().toISOString() };
  const content = `${JSON.stringify(mine)}\n`;
  if (await createExclusive(lockFile, content)) return heldLock(lockFile, content);
  const holder = await readHolder(lockFile);
  if (!holder || !isStale(holder, lockFile)) throw new DataDirInUseError(dataDir, lockFile, holder);
  onStaleLock(
    `taking over ${lockFile}: process ${holder.pid} (started ${holder.startedAt}) no longer runs on this host`,
  );
  await unlink(lockFile).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'ENOENT') throw error;
  });
  // Another starter may have taken it between our unlink and create: then it is the holder. (Two
  // starters that both found the stale lock can still race here; one of them is misconfigured.)
  if (await createExclusive(lockFile, content)) return heldLock(lockFile, content);
  throw new DataDirInUseError(dataDir, lockFile, await readHolder(lockFile));
}

/** Creates the file with `content` unless it exists (O_EXCL): true when this call created it. */
async function createExclusive(path: string, content: string): Promise<boolean> {
  let handle;
  try {
    handle = await open(path, 'wx');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  try {
    await handle.writeFile(content);
  } finally {
    await handle.close();
  }
  return true;
}

function heldLock(lockFile: string, content: string): DataDirLock {
  heldHere.add(lockFile);
  // Only remove the file while it still says we hold it: never another process's lock.
  const removeIfOurs = () => {
    heldHere.delete(lockFile);
    try {
      if (readFileSync(lockFile, 'utf8') === content) unlinkSync(lockFile);
    } catch {
      // Already gone: nothing to release.
    }
  };
  // A process that exits without closing the database (an uncaught error) still frees the folder.
  process.once('exit', removeIfOurs);
  return {
    release: () => {
      process.off('exit', removeIfOurs);
      removeIfOurs();
    },
  };
}

async function readHolder(lockFile: string): Promise<DataDirHolder | undefined> {
  try {
    const parsed = JSON.parse(await readFile(lockFile, 'utf8')) as Partial<DataDirHolder>;
    if (typeof parsed.pid === 'number' && typeof parsed.hostname === 'string')
      return { pid: parsed.pid, hostname: parsed.hostname, startedAt: String(parsed.startedAt) };
  } catch {
    // Unreadable or half written: treated as held, the message names the file.
  }
  return undefined;
}

/** Gone from this host. A process on another host cannot be checked, so it counts as alive. */
function isStale(holder: DataDirHolder, lockFile: string): boolean {
  if (holder.hostname !== hostname()) return false;
  // Our own pid in a file we do not hold is a previous life (a container restarted, same pid).
  if (holder.pid === process.pid) return !heldHere.has(lockFile);
  try {
    process.kill(holder.pid, 0);
    return false;
  } catch (error) {
    // EPERM: it runs, under another user.
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}
