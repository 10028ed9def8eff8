/**
 * Runs the built server as `npm start` does (`node apps/server/dist/main.js`) in its own process,
 * configured by environment variables only. Build first with {@link buildServer}.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';

import { freePort } from '../support/prometheus.js';

const root = resolve(import.meta.dirname, '../..');

export interface ServerProcess {
  readonly child: ChildProcess;
  readonly port: number;
  /** Everything it wrote so far, stdout and stderr interleaved (Nest logs warnings to stdout). */
  output(): string;
  /** Resolves with the exit code (or the signal that ended it). */
  readonly exited: Promise<number | NodeJS.Signals>;
  /** Polls GET /readyz until 200; fails if the process exits first or `timeoutMs` passes. */
  ready(timeoutMs?: number): Promise<void>;
  /** SIGTERM, then waits for the exit. */
  stop(): Promise<number | NodeJS.Signals>;
}

/** The same incremental build `npm start` runs; quick when nothing changed. */
export async function buildServer(): Promise<void> {
  await promisify(execFile)(
    process.execPath,
    ['node_modules/typescript/bin/tsc', '-b', 'tsconfig.build.json'],
    {
      cwd: root,
    },
  );
}

export async function startServerProcess(env: Record<string, string>): Promise<ServerProcess> {
  const port = env['PORT'] !== undefined ? Number(env['PORT']) : await freePort();
  const child = spawn(process.execPath, ['apps/server/dist/main.js'], {
    cwd: root,
    env: { PATH: process.env['PATH'] ?? '', LOG_LEVEL: 'warn', ...env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const collect = (chunk: Buffer) => (output += chunk.toString());
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  let exitStatus: number | NodeJS.Signals | undefined;
  const exited = new Promise<number | NodeJS.Signals>((resolveExit) =>
    child.on('exit', (code, signal) => {
      exitStatus = code ?? signal ?? -1;
      resolveExit(exitStatus);
    }),
  );
  return {
    child,
    port,
    output: () => output,
    exited,
    ready: async (timeoutMs = 60_000) => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        if (exitStatus !== undefined)
          throw new Error(`server exited (${exitStatus}) before ready:\n${output}`);
        if (Date.now() > deadline) throw new Error(`server not ready in ${timeoutMs} ms:\n${output}`);
        const status = await fetch(`http://127.0.0.1:${port}/readyz`).then(
          (response) => response.status,
          () => 0,
        );
        if (status === 200) return;
        await new Promise((wait) => setTimeout(wait, 50));
      }
    },
    stop: () => {
      if (exitStatus === undefined) child.kill('SIGTERM');
      return exited;
    },
  };
}
