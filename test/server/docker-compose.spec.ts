import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';

import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';

import { DEFAULT_DATASOURCES } from '@burnrate/dashboards';
import { resolveRulesOptions } from '@burnrate/rules';

import { aPostgresDatabase, type TestDatabase } from '../persistence/test-databases.js';

// Docker cannot run here: these tests check the stack's files with the real tools that can.
const run = promisify(execFile);
const root = resolve(import.meta.dirname, '../..');

interface Service {
  image?: string;
  build?: unknown;
  environment?: Record<string, string>;
  volumes?: string[];
}

const readYaml = async <T>(path: string): Promise<T> => parse(await readFile(join(root, path), 'utf8')) as T;
const bindMounts = (service: Service) =>
  (service.volumes ?? [])
    .filter((volume) => volume.startsWith('./'))
    .map((volume) => {
      const [source = '', target = ''] = volume.split(':');
      return { source, target };
    });

describe('docker-compose.yml', () => {
  let services: Record<string, Service>;

  beforeAll(async () => {
    services = (await readYaml<{ services: Record<string, Service> }>('docker-compose.yml')).services;
  });

  it('runs the whole stack: PostgreSQL, Prometheus, Alertmanager, Grafana, Loki, Tempo and Burnrate', () => {
    expect(Object.keys(services)).toEqual(
      expect.arrayContaining([
        'postgres',
        'prometheus',
        'alertmanager',
        'grafana',
        'loki',
        'tempo',
        'burnrate',
      ]),
    );
    expect(services['postgres']?.image).toMatch(/^postgres:15\./);
  });

  it('pins every image to an exact version', () => {
    const images = Object.values(services).flatMap((service) => (service.build ? [] : [service.image ?? '']));

    // PostgreSQL numbers its releases major.minor; everything else here is major.minor.patch.
    for (const image of images)
      expect(image).toMatch(/^(postgres:\d+\.\d+|[\w./-]+:v?\d+\.\d+\.\d+)(-[\w.]+)?$/);
  });

  it('mounts only files and folders that exist in the repository', () => {
    const sources = Object.values(services).flatMap((service) =>
      bindMounts(service).map((mount) => mount.source),
    );

    expect(sources.length).toBeGreaterThan(5);
    for (const source of sources) expect(existsSync(join(root, source)), source).toBe(true);
  });

  it('builds Burnrate from the root Dockerfile on Node 24 and starts it with npm start', async () => {
    const dockerfile = await readFile(join(root, 'Dockerfile'), 'utf8');

    expect(services['burnrate']?.build).toBe('.');
    expect(dockerfile).toMatch(/^FROM node:24\.\d+\.\d+-\S+$/m);
    expect(dockerfile).toMatch(/^RUN npm ci\b.*&& npm run build$/m);
    expect(dockerfile).toMatch(/^CMD \["npm", "start"\]$/m);
  });

  it('points Burnrate at the compose PostgreSQL, and Alertmanager at Burnrate with the same webhook token', () => {
    const burnrate = services['burnrate']?.environment ?? {};

    expect(new URL(burnrate['DATABASE_URL'] ?? '').host).toBe('postgres:5432');
    expect(burnrate['PROMETHEUS_URL']).toBe('http://prometheus:9090');
    expect(burnrate['WEBHOOK_TOKEN']).toBeTruthy();
    expect(services['alertmanager']?.environment?.['WEBHOOK_TOKEN']).toBe(burnrate['WEBHOOK_TOKEN']);
  });
});

describe('deploy/ configurations', () => {
  it('gives Prometheus a configuration promtool accepts', async () => {
    const { stdout } = await run('promtool', [
      'check',
      'config',
      join(root, 'deploy/prometheus/prometheus.yml'),
    ]);

    expect(stdout).toContain('SUCCESS');
  });

  it('sends every alert to the Burnrate webhook with a bearer token, in a config amtool accepts', async () => {
    const path = join(root, 'deploy/alertmanager/alertmanager.yml');
    const config = await readYaml<{
      route: { receiver: string };
      receivers: Array<{ name: string; webhook_configs: Array<{ url: string; http_config: object }> }>;
    }>('deploy/alertmanager/alertmanager.yml');

    await run('amtool', ['check-config', path]);
    const receiver = config.receivers.find((candidate) => candidate.name === config.route.receiver);
    expect(receiver?.webhook_configs[0]?.url).toBe('http://burnrate:3000/webhooks/alertmanager');
    expect(receiver?.webhook_configs[0]?.http_config).toMatchObject({ authorization: { type: 'Bearer' } });
  });

  it('provisions the data sources generated dashboards refer to, by their fixed uids', async () => {
    const { datasources } = await readYaml<{ datasources: Array<{ uid: string; type: string }> }>(
      'deploy/grafana/provisioning/datasources/burnrate.yaml',
    );

    expect(datasources.map((source) => [source.uid, source.type])).toEqual([
      [DEFAULT_DATASOURCES.prometheus, 'prometheus'],
      [DEFAULT_DATASOURCES.loki, 'loki'],
      [DEFAULT_DATASOURCES.tempo, 'tempo'],
      [DEFAULT_DATASOURCES.postgres, 'grafana-postgresql-datasource'],
    ]);
    // The Tempo links in alert annotations use the same uid.
    expect(
      resolveRulesOptions({ grafanaUrl: 'http://grafana', promtoolTests: false }).tempoDatasourceUid,
    ).toBe(DEFAULT_DATASOURCES.tempo);
  });

  it('has Grafana load dashboards from where ./dashboards is mounted', async () => {
    const compose = await readYaml<{ services: Record<string, Service> }>('docker-compose.yml');
    const { providers } = await readYaml<{ providers: Array<{ type: string; options: { path: string } }> }>(
      'dashboards/_provisioning/dashboards.yaml',
    );
    const mounts = bindMounts(compose.services['grafana'] ?? {});
    const dashboards = mounts.find((m) => m.source === './dashboards');
    const provisioning = mounts.find((m) => m.source === './dashboards/_provisioning');

    expect(provisioning?.target).toBe('/etc/grafana/provisioning/dashboards');
    expect(providers.length).toBeGreaterThan(1);
    for (const provider of providers) {
      expect(provider.type).toBe('file');
      expect(provider.options.path.startsWith(`${dashboards?.target}/`)).toBe(true);
    }
  });

  it("has Loki's ruler read the single tenant's rules where rules-sync publishes them", async () => {
    const loki = await readYaml<{
      auth_enabled: boolean;
      ruler: { storage: { local: { directory: string } } };
    }>('deploy/loki/loki.yaml');

    expect(loki.auth_enabled).toBe(false);
    expect(loki.ruler.storage.local.directory).toBe('/etc/burnrate-rules/loki');
  });
});

describe('rules-sync', () => {
  let work: string;

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'burnrate-rules-sync-'));
  });

  afterAll(async () => {
    await rm(work, { recursive: true, force: true });
  });

  async function sync(source: string): Promise<string> {
    const target = join(work, `synced-${Math.random().toString(36).slice(2)}`);
    await mkdir(target);
    await run('sh', [join(root, 'deploy/rules-sync/sync.sh')], {
      env: { ...process.env, RULES_SRC: source, RULES_DST: target, SYNC_INTERVAL: '0' },
    });
    return target;
  }

  /** promtool on the compose prometheus.yml, its rule glob pointed at a synced directory. */
  async function checkWithPrometheus(synced: string): Promise<string> {
    const config = await readFile(join(root, 'deploy/prometheus/prometheus.yml'), 'utf8');
    const path = join(synced, 'prometheus.yml');
    await writeFile(path, config.replaceAll('/etc/burnrate-rules/', `${synced}/`));
    const { stdout } = await run('promtool', ['check', 'config', path]);
    return stdout;
  }

  it('flattens team folders, leaves promtool tests out, and publishes Loki rules for the single tenant', async () => {
    const source = join(work, 'rules');
    const files: Record<string, string> = {
      'prometheus/payments/checkout.yaml':
        'groups:\n  - name: checkout\n    rules:\n      - record: x:y\n        expr: vector(1)\n',
      'prometheus/payments/checkout.test.yaml': 'rule_files: [checkout.yaml]\ntests: []\n',
      'loki/payments/checkout.yaml': 'groups: []\n',
    };
    for (const [path, text] of Object.entries(files)) {
      await mkdir(dirname(join(source, path)), { recursive: true });
      await writeFile(join(source, path), text);
    }

    const synced = await sync(source);

    expect(await readdir(join(synced, 'prometheus'))).toEqual(['payments__checkout.yaml']);
    expect(await readdir(join(synced, 'loki/fake'))).toEqual(['payments__checkout.yaml']);
    expect(await checkWithPrometheus(synced)).toMatch(/SUCCESS: 1 rule files found/);
  });

  const generated = join(root, 'rules/prometheus');
  const hasGeneratedRules = existsSync(generated);

  it.skipIf(!hasGeneratedRules)(
    'publishes the committed example rules in a form Prometheus loads',
    async () => {
      const synced = await sync(join(root, 'rules'));
      const published = await readdir(join(synced, 'prometheus'));

      const stdout = await checkWithPrometheus(synced);

      expect(stdout).toContain(`SUCCESS: ${published.length} rule files found`);
    },
  );
});

describe('the PostgreSQL init script', () => {
  let database: TestDatabase;
  const reader = `grafana_reader_${process.pid}`;

  beforeAll(async () => {
    database = await aPostgresDatabase();
  });

  afterAll(async () => {
    await database?.drop();
    const admin = new pg.Client({
      connectionString: process.env['DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test',
    });
    await admin.connect();
    await admin.query(`DROP ROLE IF EXISTS "${reader}"`);
    await admin.end();
  });

  it("creates a login that reads Burnrate's tables, including ones created later, and cannot write", async () => {
    if (database.config.kind !== 'postgres') throw new Error('expected PostgreSQL');
    const url = new URL(database.config.url);
    await run('sh', [join(root, 'deploy/postgres/initdb/10-grafana-reader.sh')], {
      env: {
        ...process.env,
        PGHOST: url.hostname,
        PGPORT: url.port || '5432',
        POSTGRES_USER: decodeURIComponent(url.username),
        POSTGRES_DB: url.pathname.slice(1),
        GRAFANA_DB_USER: reader,
        GRAFANA_DB_PASSWORD: 'reader-password',
      },
    });
    const owner = new pg.Client({ connectionString: database.config.url });
    await owner.connect();
    await owner.query(
      `CREATE TABLE slo_status_probe (slo text); INSERT INTO slo_status_probe VALUES ('availability')`,
    );
    await owner.end();

    url.username = reader;
    url.password = 'reader-password';
    const asReader = new pg.Client({ connectionString: url.toString() });
    await asReader.connect();
    try {
      expect((await asReader.query('SELECT slo FROM slo_status_probe')).rows).toEqual([
        { slo: 'availability' },
      ]);
      await expect(asReader.query(`INSERT INTO slo_status_probe VALUES ('x')`)).rejects.toThrow(
        /permission denied/,
      );
    } finally {
      await asReader.end();
    }
  });
});
