import { describe, expect, it } from 'vitest';

import { loadServerConfig, type Environment } from './server-config.js';
import { describeStartup } from './startup-summary.js';

const startup = (env: Environment) => describeStartup(loadServerConfig(env, '/srv/burnrate')).join('\n');

describe(describeStartup.name, () => {
  it('names the embedded database, says it is one process, and that the admin API is off without ADMIN_TOKEN', () => {
    const log = startup({});

    expect(log).toContain('port 3000, database embedded PGlite in /srv/burnrate/.data/pglite (one process;');
    expect(log).toContain('admin API (publish dashboards and rules): off, set ADMIN_TOKEN to switch it on');
  });

  it('says which publish targets are on and which are missing once ADMIN_TOKEN is set', () => {
    const log = startup({
      ADMIN_TOKEN: 'adm-hunter2',
      GRAFANA_URL: 'https://grafana.example.com',
      GRAFANA_API_TOKEN: 'glsa_hunter2',
      LOKI_RULER_URL: 'http://loki:3100',
    });

    expect(log).toContain(
      'admin API: on; dashboards publish to Grafana https://grafana.example.com/; rules publish to Loki http://loki:3100/',
    );
    expect(startup({ ADMIN_TOKEN: 'adm' })).toContain(
      'dashboards publish off (set GRAFANA_URL and GRAFANA_API_TOKEN); rules publish off (set MIMIR_RULER_URL or LOKI_RULER_URL)',
    );
  });

  it('reports variables of features still to come as unused, never as switched on', () => {
    const log = startup({ REPORT_TIMEZONE: 'Europe/Berlin' });

    expect(log).toContain('not used by this version yet: REPORT_TIMEZONE');
    expect(startup({})).not.toContain('not used');
  });

  it('says the webhook queues alerts but does not deliver them yet, and warns when it is off', () => {
    expect(startup({ WEBHOOK_TOKEN: 'wh' })).toContain('sent to chat');
    expect(startup({})).toContain('warning: Alertmanager webhook: off (503), set WEBHOOK_TOKEN');
  });

  it('says whether SLO status refreshes, from where, and whether replicas share the jobs', () => {
    expect(startup({})).toContain('SLO status: off, set PROMETHEUS_URL to switch it on');
    const embedded = startup({ PROMETHEUS_URL: 'http://prometheus:9090', SLO_REFRESH_INTERVAL: '30s' });
    expect(embedded).toContain('SLO status: refresh every 30s from http://prometheus:9090/');
    expect(embedded).toContain('embedded PGlite: this one process runs every job');
    const shared = startup({
      PROMETHEUS_URL: 'http://prometheus:9090',
      DATABASE_URL: 'postgres://db/burnrate',
    });
    expect(shared).toContain('once per tick across replicas');
  });

  it('never shows a database password or a token', () => {
    const log = startup({
      DATABASE_URL: 'postgres://burnrate:hunter2@db:5432/burnrate',
      ADMIN_TOKEN: 'hunter2',
      GRAFANA_URL: 'https://admin:hunter2@grafana.example.com',
      GRAFANA_API_TOKEN: 'hunter2',
      WEBHOOK_TOKEN: 'hunter2',
    });

    expect(log).toContain('database PostgreSQL postgres://burnrate:redacted@db:5432/burnrate');
    expect(log).not.toContain('hunter2');
  });
});
