import { inspect } from 'node:util';

import { describe, expect, it } from 'vitest';

import { ServerConfigError, loadServerConfig, type Environment } from './server-config.js';

const load = (env: Environment) => loadServerConfig(env, '/srv/burnrate');

function problemsOf(env: Environment): readonly string[] {
  try {
    load(env);
  } catch (error) {
    if (error instanceof ServerConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected the configuration to be rejected');
}

describe(loadServerConfig.name, () => {
  it('runs on port 3000 with an embedded database under ./.data and reports in UTC by default', () => {
    const config = load({});

    expect(config.port).toBe(3000);
    expect(config.database).toEqual({ kind: 'pglite', dataDir: '/srv/burnrate/.data/pglite' });
    expect(config.reportTimezone).toBe('UTC');
    expect(config.prometheusUrl).toBeUndefined();
    expect(config.webhookToken).toBeUndefined();
  });

  it('uses PostgreSQL when DATABASE_URL is set, whatever DATA_DIR says', () => {
    const url = 'postgres://burnrate:secret@db:5432/burnrate';

    expect(load({ DATABASE_URL: url, DATA_DIR: '/var/lib/burnrate' }).database).toEqual({
      kind: 'postgres',
      url,
    });
  });

  it('keeps the embedded database in memory when DATA_DIR is memory://', () => {
    expect(load({ DATA_DIR: 'memory://' }).database).toEqual({ kind: 'pglite', dataDir: undefined });
  });

  it('treats empty variables as unset, as compose files often leave them', () => {
    expect(load({ PORT: '', DATABASE_URL: ' ', PROMETHEUS_URL: '' }).port).toBe(3000);
  });

  it('reads integration URLs and canonicalises the report time zone', () => {
    const config = load({
      PROMETHEUS_URL: 'http://prometheus:9090',
      GRAFANA_URL: 'https://grafana.example.com/',
      REPORT_TIMEZONE: 'europe/berlin',
    });

    expect(config.prometheusUrl?.href).toBe('http://prometheus:9090/');
    expect(config.grafana.url?.host).toBe('grafana.example.com');
    expect(config.reportTimezone).toBe('Europe/Berlin');
  });

  it('reports every invalid variable at once', () => {
    expect(
      problemsOf({
        PORT: '70000',
        PROMETHEUS_URL: 'prometheus:9090',
        GRAFANA_URL: 'ftp://grafana',
        REPORT_TIMEZONE: 'Moon',
      }),
    ).toEqual([
      'PORT: must be a whole number from 0 to 65535, got "70000"',
      'PROMETHEUS_URL: must be an http:// or https:// URL, got "prometheus:9090"',
      'GRAFANA_URL: must be an http:// or https:// URL, got "ftp://grafana"',
      'REPORT_TIMEZONE: must be an IANA time zone such as UTC or Europe/Berlin, got "Moon"',
    ]);
  });

  it('does not repeat a malformed DATABASE_URL, which may hold a password', () => {
    const problems = problemsOf({ DATABASE_URL: 'postgress://burnrate:hunter2@db/burnrate' });

    expect(problems).toEqual([
      'DATABASE_URL: must be a URL like postgres://user:password@host:5432/database',
    ]);
  });

  it('keeps tokens out of logs however the config is printed', () => {
    const config = load({ WEBHOOK_TOKEN: 'wh-hunter2', GRAFANA_API_TOKEN: 'glsa_hunter2' });

    expect(config.webhookToken?.reveal()).toBe('wh-hunter2');
    expect(JSON.stringify(config)).not.toContain('hunter2');
    expect(inspect(config, { depth: 5 })).not.toContain('hunter2');
    expect(String(config.webhookToken)).toBe('[redacted]');
  });

  it('reads the status settings: headers, basic auth from the URL, timeout, interval, retention', () => {
    const config = load({
      PROMETHEUS_URL: 'http://reader:s%40cret@mimir:8080/prometheus',
      PROMETHEUS_HEADERS: 'X-Scope-OrgID=tenant-1,X-Note=a%2Cb',
      PROMETHEUS_TIMEOUT: '5s',
      SLO_REFRESH_INTERVAL: '2m',
    });
    expect(config.prometheusUrl?.href).toBe('http://mimir:8080/prometheus');
    const headers = Object.fromEntries([...config.prometheus.headers].map(([k, v]) => [k, v.reveal()]));
    expect(headers).toEqual({
      'X-Scope-OrgID': 'tenant-1',
      'X-Note': 'a,b',
      Authorization: `Basic ${btoa('reader:s@cret')}`,
    });
    expect(config.prometheus.timeoutMs).toBe(5000);
    expect(config.status).toEqual({
      refreshIntervalMs: 120_000,
      historyRetentionSeconds: 400 * 86400,
      fastInterval: '1m',
    });
    expect(inspect(config)).not.toContain('s@cret');
    expect(inspect(config)).not.toContain('tenant-1');
  });

  it('reports every bad status setting at once, by name, never echoing a header value', () => {
    const problems = problemsOf({
      PROMETHEUS_HEADERS: 'Authorization=Bearer%20hunter2,broken',
      PROMETHEUS_TIMEOUT: 'soon',
      SLO_REFRESH_INTERVAL: '-1m',
      SLO_HISTORY_RETENTION: '1y2',
    });
    expect(problems).toEqual([
      'PROMETHEUS_HEADERS: entry 2 must be Name=value (entries separated by commas, values URL-encoded)',
      'PROMETHEUS_TIMEOUT: must be a duration such as 30s, 5m or 400d, got "soon"',
      'SLO_REFRESH_INTERVAL: must be a duration such as 30s, 5m or 400d, got "-1m"',
      'SLO_HISTORY_RETENTION: must be a duration such as 30s, 5m or 400d, got "1y2"',
    ]);
    expect(problems.join('\n')).not.toContain('hunter2');
  });
});
