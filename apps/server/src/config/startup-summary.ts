import { redactUrl, type ServerConfig } from './server-config.js';

/**
 * What the server will do, one line each, for the start-up log: where data lives and which of
 * its features are on, and why one is off. Only features that exist are named; a variable read
 * for a feature still to come is reported as unused, never as switched on. No secrets.
 */
export function describeStartup(config: ServerConfig): string[] {
  const lines = [`port ${config.port}, database ${describeDatabase(config)}`];
  if (!config.adminToken) {
    lines.push('admin API (publish dashboards and rules): off, set ADMIN_TOKEN to switch it on');
  } else {
    const grafana =
      config.grafana.url && config.grafana.apiToken
        ? `to Grafana ${redactUrl(config.grafana.url.href)}`
        : 'off (set GRAFANA_URL and GRAFANA_API_TOKEN)';
    const { mimir, loki } = config.rulers;
    const rulers = [
      ...(mimir ? [`Mimir ${redactUrl(mimir.url.href)}`] : []),
      ...(loki ? [`Loki ${redactUrl(loki.url.href)}`] : []),
    ];
    const rules =
      rulers.length > 0 ? `to ${rulers.join(' and ')}` : 'off (set MIMIR_RULER_URL or LOKI_RULER_URL)';
    lines.push(`admin API: on; dashboards publish ${grafana}; rules publish ${rules}`);
  }
  lines.push(
    config.prometheusUrl
      ? `SLO status: refresh every ${config.status.refreshIntervalMs / 1000}s from ${redactUrl(config.prometheusUrl.href)}` +
          (config.database.kind === 'pglite'
            ? ' (embedded PGlite: this one process runs every job; DATABASE_URL for several replicas)'
            : ' (once per tick across replicas)')
      : 'SLO status: off, set PROMETHEUS_URL to switch it on',
  );
  lines.push(
    config.apiReadToken
      ? 'read API: bearer token required (API_READ_TOKEN)'
      : 'read API: open (set API_READ_TOKEN to require a token)',
  );
  lines.push(
    config.webhookToken
      ? 'Alertmanager webhook: on at POST /webhooks/alertmanager (alerts are routed, queued in the outbox and sent to chat)'
      : 'warning: Alertmanager webhook: off (503), set WEBHOOK_TOKEN to switch it on',
  );
  const unused = [...(config.reportTimezone !== 'UTC' ? ['REPORT_TIMEZONE'] : [])];
  if (unused.length > 0) lines.push(`not used by this version yet: ${unused.join(', ')}`);
  return lines;
}

function describeDatabase(config: ServerConfig): string {
  if (config.database.kind === 'postgres') return `PostgreSQL ${redactUrl(config.database.url)}`;
  return config.database.dataDir === undefined
    ? 'embedded PGlite in memory (lost on exit)'
    : `embedded PGlite in ${config.database.dataDir} (one process; DATABASE_URL for several)`;
}
