// Server start as a user meets it: `node apps/server/dist/main.js` in a fresh process, timed from
// spawn until GET /readyz answers 200, then its idle RSS (from /proc) 5 s later, with the V8 heap
// and external memory the server reports on /metrics. `pglite` starts twice on one data folder
// (fresh: initdb and migrations; existing: the restart every later start is); `postgres` starts
// on a fresh database (migrations) and again on the migrated one.
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import pg from 'pg';

// BENCH_SERVER_ROOT: another built checkout to start instead (e.g. main, for a before/after).
const root = process.env.BENCH_SERVER_ROOT ?? fileURLToPath(new URL('../..', import.meta.url));
const backend = process.argv[2] ?? 'pglite';
const IDLE_MS = Number(process.env.BENCH_IDLE_MS ?? 5_000);
const READY_TIMEOUT_MS = 60_000;
const POSTGRES_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

const freePort = () =>
  new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function rssMiB(pid) {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1]) / 1024;
}

function metric(text, name) {
  const value = new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1];
  return value === undefined ? undefined : Number(value) / 2 ** 20;
}

/** One server start: seconds to ready, then memory after IDLE_MS of doing nothing. */
async function startOnce(env) {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(process.execPath, [join(root, 'apps/server/dist/main.js')], {
    cwd: root,
    env: { PATH: process.env.PATH, LOG_LEVEL: 'warn', ...env, PORT: String(port) },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve(code ?? signal)));
  let exitedEarly;
  exited.then((code) => (exitedEarly = code));
  try {
    let readySeconds;
    while (readySeconds === undefined) {
      if (exitedEarly !== undefined)
        throw new Error(`server exited (${exitedEarly}) before ready:\n${stderr}`);
      if (performance.now() - started > READY_TIMEOUT_MS) throw new Error(`not ready in 60 s:\n${stderr}`);
      const status = await fetch(`http://127.0.0.1:${port}/readyz`).then(
        (response) => response.status,
        () => 0,
      );
      if (status === 200) readySeconds = (performance.now() - started) / 1000;
      else await sleep(20);
    }
    await sleep(IDLE_MS);
    const idleRssMiB = await rssMiB(child.pid);
    const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    return {
      readySeconds,
      idleRssMiB,
      heapUsedMiB: metric(metrics, 'nodejs_heap_size_used_bytes'),
      externalMiB: metric(metrics, 'nodejs_external_memory_bytes'),
    };
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
}

const print = (data, result) =>
  console.log(
    JSON.stringify({
      bench: `server-startup-${backend}`,
      data,
      ...result,
      ...(process.env.BENCH_SERVER_ROOT ? { root } : {}),
    }),
  );

if (backend === 'pglite') {
  const dir = await mkdtemp(join(tmpdir(), 'burnrate-bench-startup-'));
  try {
    print('fresh', await startOnce({ DATA_DIR: dir }));
    print('existing', await startOnce({ DATA_DIR: dir }));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
} else if (backend === 'postgres') {
  const name = `burnrate_bench_${process.pid}`;
  const admin = async (sql) => {
    const client = new pg.Client({ connectionString: POSTGRES_URL });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await admin(`CREATE DATABASE "${name}"`);
  try {
    const url = new URL(POSTGRES_URL);
    url.pathname = `/${name}`;
    print('fresh', await startOnce({ DATABASE_URL: url.href }));
    print('existing', await startOnce({ DATABASE_URL: url.href }));
  } finally {
    await admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  }
} else {
  throw new Error(`unknown backend ${backend}: pglite or postgres`);
}
