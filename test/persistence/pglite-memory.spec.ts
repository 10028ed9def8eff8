import 'reflect-metadata';

import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { openDataSource, type DatabaseConfig } from '@burnrate/persistence';

// The embedded database's memory is mostly PostgreSQL's buffer cache inside PGlite's WASM heap.
describe('the embedded database', () => {
  let root: string;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'burnrate-pglite-memory-'));
  });

  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  const sharedBuffers = async (config: DatabaseConfig) => {
    const dataSource = await openDataSource(config);
    try {
      const [row] = await dataSource.query<Array<{ shared_buffers: string }>>('SHOW shared_buffers');
      return row?.shared_buffers;
    } finally {
      await dataSource.destroy();
    }
  };

  it('creates the cluster of an empty folder and runs it with a 16MB buffer cache', async () => {
    const dataDir = join(root, 'fresh');

    expect(await sharedBuffers({ kind: 'pglite', dataDir })).toBe('16MB');
    expect(existsSync(join(dataDir, 'PG_VERSION'))).toBe(true);
  });

  it('uses the 16MB buffer cache on a folder whose postgresql.conf asks for 128MB', async () => {
    const dataDir = join(root, 'older');
    const older = await PGlite.create({ dataDir });
    expect(
      (await older.query<{ shared_buffers: string }>('SHOW shared_buffers')).rows[0]?.shared_buffers,
    ).toBe('128MB');
    await older.close();

    expect(await sharedBuffers({ kind: 'pglite', dataDir })).toBe('16MB');
  });

  it('uses it in memory too', async () => {
    expect(await sharedBuffers({ kind: 'pglite', dataDir: undefined })).toBe('16MB');
  });
});
