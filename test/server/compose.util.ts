import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';

// What `docker compose config` would check, read from the files themselves: Docker is absent here.
export const root = resolve(import.meta.dirname, '../..');

export interface Service {
  image?: string;
  build?: unknown;
  command?: string[] | string;
  environment?: Record<string, string>;
  volumes?: string[];
  ports?: string[];
}

export interface Mount {
  source: string;
  target: string;
  readOnly: boolean;
  bind: boolean;
}

export const readYaml = async <T>(path: string): Promise<T> =>
  parse(await readFile(join(root, path), 'utf8')) as T;

export const loadServices = async (): Promise<Record<string, Service>> =>
  (await readYaml<{ services: Record<string, Service> }>('docker-compose.yml')).services;

/** `source:target[:ro]`, a bind when the source is a path, a named volume otherwise. */
export const mountsOf = (service: Service): Mount[] =>
  (service.volumes ?? []).map((volume) => {
    const [source = '', target = '', options = ''] = volume.split(':');
    return { source, target, readOnly: options.split(',').includes('ro'), bind: /^\.{0,2}\//.test(source) };
  });

/** The value compose substitutes when the variable is unset: `${X:-default}` -> `default`. */
export const withDefaults = (value: string): string =>
  value.replace(/\$\{\w+:-([^}]*)\}/g, '$1').replace(/\$\{\w+\}/g, '');

/** `host:container` published ports: container port -> host port. */
export function publishedPorts(service: Service): Map<number, number> {
  const ports = new Map<number, number>();
  for (const entry of service.ports ?? []) {
    const parts = entry.split(':').map(Number);
    const container = parts.at(-1)!;
    ports.set(container, parts.length > 1 ? parts.at(-2)! : container);
  }
  return ports;
}

/** Prometheus durations as flags take them (`40d`, `6w`, `1y`, `720h`), in seconds. */
export function promDurationSeconds(text: string): number {
  const unit: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400, w: 604_800, y: 31_536_000 };
  let total = 0;
  const rest = text.replace(/(\d+)(ms|[smhdwy])/g, (_, n: string, u: string) => {
    total += u === 'ms' ? Number(n) / 1000 : Number(n) * unit[u]!;
    return '';
  });
  if (rest !== '' || text === '') throw new Error(`not a Prometheus duration: ${text}`);
  return total;
}

/**
 * Every `service:port` a file names, for the hosts that are compose services: the URLs in
 * deploy/* configs and in compose environments that one container uses to reach another.
 */
export function serviceReferences(
  text: string,
  services: readonly string[],
): Array<{ host: string; port: number }> {
  const found: Array<{ host: string; port: number }> = [];
  for (const match of text.matchAll(/(?<![\w.-])([a-z][a-z0-9-]*):(\d{2,5})\b/g)) {
    if (services.includes(match[1]!)) found.push({ host: match[1]!, port: Number(match[2]) });
  }
  return found;
}

/** Datasource uids a dashboard refers to: literal ones, and the defaults of its datasource variables. */
export function dashboardDatasources(dashboard: unknown): Array<{ uid: string; type?: string }> {
  const variables = new Map<string, { uid: string; type: string }>();
  const list = (dashboard as { templating?: { list?: unknown[] } }).templating?.list ?? [];
  for (const v of list as Array<{
    type: string;
    name: string;
    query: string;
    current?: { value?: string };
  }>) {
    if (v.type === 'datasource') variables.set(v.name, { uid: v.current?.value ?? '', type: v.query });
  }
  const refs: Array<{ uid: string; type?: string }> = [];
  const walk = (node: unknown, key?: string): void => {
    if (Array.isArray(node)) node.forEach((item) => walk(item));
    else if (node && typeof node === 'object') {
      const uid = (node as { uid?: unknown }).uid;
      if (key === 'datasource' && typeof uid === 'string') {
        const variable = /^\$\{?(\w+)\}?$/.exec(uid)?.[1];
        refs.push(
          variable === undefined ? { uid } : (variables.get(variable) ?? { uid: `unknown variable ${uid}` }),
        );
      }
      for (const [k, v] of Object.entries(node)) walk(v, k);
    }
  };
  walk(dashboard);
  return refs;
}
