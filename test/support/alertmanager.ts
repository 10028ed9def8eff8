/**
 * Starts a real Alertmanager (Debian's 0.25 `prometheus-alertmanager`) for tests: a temporary
 * storage directory, a free port, clustering off. Always `stop()` it.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, startDaemon } from './prometheus.js';

export interface AlertmanagerServer {
  url: string;
  /** `host:port`, as Prometheus's `alerting.alertmanagers[].static_configs[].targets` wants it. */
  target: string;
  stop(): Promise<void>;
}

/** `config` is Alertmanager's configuration (`route`, `receivers`, ...), written as JSON (valid YAML). */
export async function startAlertmanager(config: Record<string, unknown>): Promise<AlertmanagerServer> {
  const home = await mkdtemp(join(tmpdir(), 'burnrate-am-'));
  const configFile = join(home, 'alertmanager.yml');
  await writeFile(configFile, JSON.stringify(config, null, 2));
  const port = await freePort();
  const target = `127.0.0.1:${port}`;
  const url = `http://${target}`;
  const stop = await startDaemon(
    'prometheus-alertmanager',
    [
      `--config.file=${configFile}`,
      `--storage.path=${join(home, 'data')}`,
      `--web.listen-address=${target}`,
      '--cluster.listen-address=',
    ],
    url,
    home,
  );
  return {
    url,
    target,
    stop,
  };
}
