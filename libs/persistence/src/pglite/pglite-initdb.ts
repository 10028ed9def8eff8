import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

import { PGLITE_START_PARAMS } from './pglite-settings.js';

// Runs in the child: PGlite creates the cluster (initdb) when the folder has none, then closes.
const CHILD = `
const [entry, dataDir, params] = process.argv.slice(1);
const { PGlite } = await import(entry);
const db = await PGlite.create({ dataDir, startParams: JSON.parse(params) });
await db.close();
`;

/** Whether the folder already holds a cluster; PGlite tests the same file. */
export function hasCluster(dataDir: string): boolean {
  return existsSync(join(dataDir, 'PG_VERSION'));
}

/**
 * Creates the cluster of an empty data folder in a short-lived child process. PGlite's initdb
 * runs a second WASM instance whose memory (about 200 MB) the parent would keep until a full
 * garbage collection, which an idle server never triggers; in a child it goes back to the system.
 */
export async function initialiseDataDir(dataDir: string): Promise<void> {
  const entry = pathToFileURL(createRequire(import.meta.url).resolve('@electric-sql/pglite')).href;
  await new Promise<void>((resolve, reject) => {
    execFile(
      process.execPath,
      ['--input-type=module', '-e', CHILD, '--', entry, dataDir, JSON.stringify(PGLITE_START_PARAMS)],
      { env: {} },
      (error, _stdout, stderr) => {
        if (!error) return resolve();
        const reason = stderr.trim().split('\n').filter(Boolean).at(-1) ?? error.message;
        reject(new Error(`cannot create the embedded database in ${dataDir}: ${reason}`));
      },
    );
  });
}
