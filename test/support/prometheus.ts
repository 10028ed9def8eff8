/**
 * Starts a real Prometheus (Debian's 2.42 binary) for tests and benches: a temporary data
 * directory, a free port, `--web.enable-lifecycle` so `POST /-/reload` works. Always `stop()` it.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface PrometheusOptions {
  /** Absolute paths or globs of rule files. */
  ruleFiles?: string[];
  /** Extra top-level config (e.g. `scrape_configs`), merged into the generated prometheus.yml. */
  config?: Record<string, unknown>;
  evaluationInterval?: string;
  /** Existing TSDB directory (e.g. backfilled blocks); a fresh temporary one otherwise. */
  dataDir?: string;
  extraArgs?: string[];
  binary?: string;
  /**
   * Listen here (a restart on the port clients know); a free one otherwise. A `dataDir` given
   * survives `stop()`, so a restart serves the same data.
   */
  port?: number;
}

export interface PrometheusServer {
  url: string;
  dataDir: string;
  configFile: string;
  /** Instant query; returns the `data.result` vector. */
  query(expr: string, time?: number): Promise<{ metric: Record<string, string>; value: [number, string] }[]>;
  /** Rule groups as `GET /api/v1/rules` reports them. */
  ruleGroups(): Promise<
    { name: string; rules: unknown[]; lastEvaluation: string; evaluationTime: number; interval: number }[]
  >;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

export async function startPrometheus(options: PrometheusOptions = {}): Promise<PrometheusServer> {
  const home = await mkdtemp(join(tmpdir(), 'burnrate-prom-'));
  const dataDir = options.dataDir ?? join(home, 'data');
  const configFile = join(home, 'prometheus.yml');
  const config = {
    global: { evaluation_interval: options.evaluationInterval ?? '1m', scrape_interval: '15s' },
    rule_files: options.ruleFiles ?? [],
    ...options.config,
  };
  await writeFile(configFile, JSON.stringify(config, null, 2));
  const port = options.port ?? (await freePort());
  const url = `http://127.0.0.1:${port}`;
  const args = [
    `--config.file=${configFile}`,
    `--storage.tsdb.path=${dataDir}`,
    `--web.listen-address=127.0.0.1:${port}`,
    '--web.enable-lifecycle',
    '--storage.tsdb.retention.time=90d',
    ...(options.extraArgs ?? []),
  ];
  const stop = await startDaemon(options.binary ?? 'prometheus', args, url, home);
  return {
    url,
    dataDir,
    configFile,
    async query(expr, time) {
      const params = new URLSearchParams({
        query: expr,
        ...(time !== undefined ? { time: String(time) } : {}),
      });
      const body = (await (await fetch(`${url}/api/v1/query?${params.toString()}`)).json()) as {
        status: string;
        error?: string;
        data: { result: never[] };
      };
      if (body.status !== 'success') throw new Error(`query ${expr}: ${body.error}`);
      return body.data.result;
    },
    async ruleGroups() {
      const body = (await (await fetch(`${url}/api/v1/rules`)).json()) as { data: { groups: never[] } };
      return body.data.groups;
    },
    stop,
  };
}

/**
 * Spawns a Prometheus-family server (`binary` with `args`), waits until `<url>/-/ready` answers,
 * and returns how to stop it and remove `home`. Its stderr is kept for the error when it fails.
 */
export async function startDaemon(
  binary: string,
  args: string[],
  url: string,
  home: string,
): Promise<() => Promise<void>> {
  const child = spawn(binary, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    log = (log + chunk.toString()).slice(-20_000);
  });
  const stop = async () => {
    await stopChild(child);
    await rm(home, { recursive: true, force: true });
  };
  try {
    await waitReady(binary, url, child, () => log);
  } catch (error) {
    await stop();
    throw error;
  }
  return stop;
}

/** Polls `<url>/-/ready` (Prometheus and Alertmanager both serve it) until the child answers. */
async function waitReady(name: string, url: string, child: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode}:\n${log()}`);
    try {
      if ((await fetch(`${url}/-/ready`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${name} not ready after 60s:\n${log()}`);
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}
