import 'reflect-metadata';

import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';

import type { DataSource } from 'typeorm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import {
  DataDirInUseError,
  createDataSource,
  lockFileOf,
  type DataDirHolder,
  type DatabaseConfig,
} from '@burnrate/persistence';

/** A pid that ran on this host and has exited. */
function aGonePid(): number {
  return Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout);
}

describe('the lock on an embedded data folder', () => {
  let root: string;
  let config: DatabaseConfig & { kind: 'pglite'; dataDir: string };
  const open: DataSource[] = [];
  const connect = async (log?: (message: string) => void) => {
    const dataSource = createDataSource(config, log ? { log } : {});
    await dataSource.initialize();
    open.push(dataSource);
    return dataSource;
  };

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'burnrate-lock-'));
    config = { kind: 'pglite', dataDir: join(root, 'pglite') };
  });

  afterEach(async () => {
    for (const dataSource of open.splice(0)) if (dataSource.isInitialized) await dataSource.destroy();
    await rm(root, { recursive: true, force: true });
  });

  it('names this process, its host and start time beside the folder while open, and is gone once closed', async () => {
    const dataSource = await connect();

    const holder = JSON.parse(await readFile(lockFileOf(config.dataDir), 'utf8')) as DataDirHolder;
    expect(lockFileOf(config.dataDir)).toBe(`${config.dataDir}.lock`);
    expect(holder).toEqual({ pid: process.pid, hostname: hostname(), startedAt: expect.any(String) });
    expect(Date.parse(holder.startedAt)).not.toBeNaN();

    await dataSource.destroy();
    expect(existsSync(lockFileOf(config.dataDir))).toBe(false);
  });

  it('refuses a second opener of a held folder, saying who holds it', async () => {
    await connect();

    const second = connect();

    await expect(second).rejects.toThrow(DataDirInUseError);
    await expect(second).rejects.toThrow(
      `the embedded database in ${config.dataDir} is in use by process ${process.pid} on ${hostname()} (started `,
    );
  });

  it('takes over a lock whose process no longer runs on this host, and says so', async () => {
    const pid = aGonePid();
    await writeFile(
      lockFileOf(config.dataDir),
      JSON.stringify({ pid, hostname: hostname(), startedAt: '2026-01-01T00:00:00.000Z' }),
    );
    const heard: string[] = [];

    await connect((message) => heard.push(message));

    expect(heard).toEqual([
      `taking over ${lockFileOf(config.dataDir)}: process ${pid} (started 2026-01-01T00:00:00.000Z) no longer runs on this host`,
    ]);
    expect(JSON.parse(await readFile(lockFileOf(config.dataDir), 'utf8'))).toMatchObject({
      pid: process.pid,
    });
  });

  it('never takes over a lock from another host, whose process it cannot see, and says how to free it', async () => {
    const lock = { pid: aGonePid(), hostname: 'replica-2.example', startedAt: '2026-01-01T00:00:00.000Z' };
    await writeFile(lockFileOf(config.dataDir), JSON.stringify(lock));

    const opening = connect();

    await expect(opening).rejects.toThrow(
      `in use by process ${lock.pid} on replica-2.example (started 2026-01-01T00:00:00.000Z): stop it, ` +
        `or delete ${lockFileOf(config.dataDir)} if that host no longer runs it`,
    );
    expect(JSON.parse(await readFile(lockFileOf(config.dataDir), 'utf8'))).toEqual(lock);
  });

  it('counts an unreadable lock file as held, and names the file', async () => {
    await writeFile(lockFileOf(config.dataDir), '');

    await expect(connect()).rejects.toThrow(
      `another process (its lock file ${lockFileOf(config.dataDir)} is unreadable)`,
    );
  });

  it('leaves a lock file alone on close once it names another process', async () => {
    const dataSource = await connect();
    // Someone deleted our lock by hand and another process took the folder.
    const theirs = JSON.stringify({ pid: 1, hostname: hostname(), startedAt: '2026-01-01T00:00:00.000Z' });
    await writeFile(lockFileOf(config.dataDir), theirs);

    await dataSource.destroy();

    expect(await readFile(lockFileOf(config.dataDir), 'utf8')).toBe(theirs);
  });
});
