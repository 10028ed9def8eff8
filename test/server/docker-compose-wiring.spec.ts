import { statSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

import { beforeAll, describe, expect, it } from 'vitest';

import { loadCatalog } from '@burnrate/catalog';

import { DEFAULT_GRAFANA_URL } from '@burnrate/rules';
import {
  dashboardDatasources,
  loadServices,
  mountsOf,
  promDurationSeconds,
  publishedPorts,
  readYaml,
  root,
  serviceReferences,
  withDefaults,
  type Service,
} from './compose.util.js';

// What `docker compose config` and a running stack would show, read from the files: no Docker here.
describe('the stack wiring, checked without Docker', () => {
  let services: Record<string, Service>;
  let names: string[];
  /** The ports each service listens on inside its container. */
  let listens: Map<string, Set<number>>;
  const env = (name: string): Record<string, string> =>
    Object.fromEntries(
      Object.entries(services[name]?.environment ?? {}).map(([k, v]) => [k, withDefaults(String(v))]),
    );

  beforeAll(async () => {
    services = await loadServices();
    names = Object.keys(services);
    const loki = await readYaml<{ server: { http_listen_port: number; grpc_listen_port: number } }>(
      'deploy/loki/loki.yaml',
    );
    const tempo = await readYaml<{
      server: { http_listen_port: number };
      distributor: { receivers: { otlp: { protocols: Record<string, { endpoint: string }> } } };
    }>('deploy/tempo/tempo.yaml');
    const otlp = Object.values(tempo.distributor.receivers.otlp.protocols).map((p) =>
      Number(p.endpoint.split(':')[1]),
    );
    // The images' own ports where nothing in deploy/ or the environment sets one.
    listens = new Map([
      ['postgres', new Set([5432])],
      ['grafana', new Set([Number(env('grafana')['GF_SERVER_HTTP_PORT'] ?? 3000)])],
      ['prometheus', new Set([9090])],
      ['alertmanager', new Set([9093])],
      ['loki', new Set([loki.server.http_listen_port, loki.server.grpc_listen_port])],
      ['tempo', new Set([tempo.server.http_listen_port, ...otlp])],
      ['burnrate', new Set([Number(env('burnrate')['PORT'])])],
    ]);
  });

  it('publishes only ports the services listen on', () => {
    for (const [name, service] of Object.entries(services)) {
      for (const container of publishedPorts(service).keys())
        expect(listens.get(name), name).toContain(container);
    }
  });

  it('reaches each service by its compose name on a port it listens on, in deploy/* and in compose environments', async () => {
    const texts: Array<[string, string]> = [];
    for (const entry of await readdir(join(root, 'deploy'), { recursive: true, withFileTypes: true })) {
      if (entry.isFile()) {
        const path = join(entry.parentPath, entry.name);
        texts.push([path.slice(root.length + 1), await readFile(path, 'utf8')]);
      }
    }
    for (const name of names) texts.push([`${name} environment`, Object.values(env(name)).join('\n')]);

    const references = texts.flatMap(([where, text]) =>
      serviceReferences(text, names).map((ref) => ({ where, ...ref })),
    );

    expect(references.length).toBeGreaterThan(15);
    for (const { where, host, port } of references)
      expect(listens.get(host), `${where}: ${host}:${port}`).toContain(port);
  });

  it('has the server call Grafana and Prometheus by compose name, and link to Grafana where it is published', () => {
    const burnrate = env('burnrate');
    const grafanaPort = publishedPorts(services['grafana'] ?? {}).get(
      Number(env('grafana')['GF_SERVER_HTTP_PORT'] ?? 3000),
    );
    const publicUrl = new URL(burnrate['GRAFANA_PUBLIC_URL'] ?? '');

    for (const [name, value] of Object.entries(burnrate)) {
      if (name.endsWith('_URL') && name !== 'GRAFANA_PUBLIC_URL')
        expect(names, name).toContain(new URL(value).hostname);
    }
    expect(new URL(burnrate['GRAFANA_URL'] ?? '').hostname).toBe('grafana');
    expect(publicUrl.hostname).toBe('localhost');
    expect(Number(publicUrl.port)).toBe(grafanaPort);
    expect(Number(publicUrl.port)).not.toBe(
      publishedPorts(services['burnrate'] ?? {}).get(Number(burnrate['PORT'])),
    );
    // `burnrate generate` without --grafana-url links to the same Grafana.
    expect(DEFAULT_GRAFANA_URL).toBe(publicUrl.origin);
  });

  it('links the committed alert rules to the published Grafana', async () => {
    const links: string[] = [];
    for (const file of await readdir(join(root, 'rules'), { recursive: true })) {
      if (!file.endsWith('.yaml') || file.endsWith('.test.yaml')) continue;
      const text = await readFile(join(root, 'rules', file), 'utf8');
      links.push(...[...text.matchAll(/^\s+dashboard: (\S+)$/gm)].map((m) => m[1]!));
    }

    expect(links.length).toBeGreaterThan(20);
    for (const link of links) expect(link.startsWith(`${DEFAULT_GRAFANA_URL}/d/`), link).toBe(true);
  });

  it('nests no mount inside a read-only mount of the same container', () => {
    for (const [name, service] of Object.entries(services)) {
      const mounts = mountsOf(service);
      for (const outer of mounts.filter((m) => m.readOnly)) {
        for (const inner of mounts) {
          expect(
            inner.target.startsWith(`${outer.target}/`),
            `${name}: ${inner.target} inside ${outer.target}:ro`,
          ).toBe(false);
        }
      }
    }
  });

  it('mounts generated output as folders, where a file generate renames in is seen', () => {
    const generated = Object.values(services)
      .flatMap((service) => mountsOf(service))
      .filter((m) => m.bind && /^\.\/(rules|dashboards)(\/|$)/.test(m.source));

    expect(generated.length).toBeGreaterThanOrEqual(3);
    // A single-file bind holds the old inode: it would never see the replaced file.
    for (const mount of generated)
      expect(statSync(join(root, mount.source)).isDirectory(), mount.source).toBe(true);
  });

  it("keeps Prometheus' data for the longest SLO window in the catalog plus a week", async () => {
    const { catalog } = await loadCatalog([join(root, 'catalog')]);
    const day = 86_400;
    const longest = Math.max(
      ...catalog.services
        .flatMap((s) => s.slos)
        .map((slo) => (slo.window.kind === 'rolling' ? slo.window.seconds : 31 * day)),
    );
    const command = services['prometheus']?.command ?? [];
    const flag = (Array.isArray(command) ? command : [command]).find((arg) =>
      arg.startsWith('--storage.tsdb.retention.time='),
    );

    expect(longest).toBeGreaterThanOrEqual(30 * day);
    expect(flag, 'retention flag').toBeDefined();
    expect(promDurationSeconds(flag!.split('=')[1]!)).toBeGreaterThanOrEqual(longest + 7 * day);
  });

  it('provisions every data source the committed dashboards use, with the type they expect', async () => {
    const { datasources } = await readYaml<{ datasources: Array<{ uid: string; type: string }> }>(
      'deploy/grafana/provisioning/datasources/burnrate.yaml',
    );
    const provisioned = new Map(datasources.map((d) => [d.uid, d.type]));
    const used = new Map<string, Set<string | undefined>>();
    for (const file of await readdir(join(root, 'dashboards'), { recursive: true })) {
      if (!file.endsWith('.json')) continue;
      for (const ref of dashboardDatasources(
        JSON.parse(await readFile(join(root, 'dashboards', file), 'utf8')),
      )) {
        used.set(ref.uid, (used.get(ref.uid) ?? new Set()).add(ref.type));
      }
    }

    expect([...used.keys()].sort()).toEqual(expect.arrayContaining(['loki', 'prometheus', 'tempo']));
    for (const [uid, types] of used) {
      expect(provisioned.has(uid), uid).toBe(true);
      for (const type of types) if (type !== undefined) expect(provisioned.get(uid), uid).toBe(type);
    }
  });
});
