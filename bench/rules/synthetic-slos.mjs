// A synthetic catalog model (no loader needed): `services` services with `slosPerService` SLOs,
// alternating selector-shaped availability SLOs and classic-histogram latency SLOs.
import { DEFAULT_CATALOG_DEFAULTS } from '@burnrate/catalog';

const DAY = 86_400;

export function syntheticCatalog({ services = 2000, slosPerService = 5, teams = 40 } = {}) {
  const list = [];
  for (let s = 0; s < services; s++) {
    const name = `svc-${s}`;
    const team = `team-${s % teams}`;
    const slos = [];
    for (let i = 0; i < slosPerService; i++) {
      const sel = `service="${name}",route="/r${i}"`;
      slos.push({
        name: i % 2 === 0 ? `availability-${i}` : `latency-${i}`,
        service: name,
        team,
        objective: i % 2 === 0 ? 99.9 : 99,
        window: { kind: 'rolling', duration: '30d', seconds: 30 * DAY },
        sli:
          i % 2 === 0
            ? {
                kind: 'events',
                errorQuery: `sum(rate(http_requests_total{${sel},code=~"5.."}[{{.window}}]))`,
                totalQuery: `sum(rate(http_requests_total{${sel}}[{{.window}}]))`,
              }
            : {
                kind: 'latency',
                metric: 'http_request_duration_seconds',
                matchers: sel,
                thresholdSeconds: 0.3,
                histogram: 'classic',
              },
        alerting: {
          name: `Svc${s}Slo${i}Burn`,
          labels: {},
          annotations: {},
          page: { enabled: true, severityLabel: 'page', labels: {}, annotations: {} },
          ticket: { enabled: true, severityLabel: 'ticket', labels: {}, annotations: {} },
          absent: false,
        },
        labels: {},
        source: { file: `${team}/${name}.yaml`, line: 1, column: 1 },
      });
    }
    list.push({
      name,
      team,
      labels: { tier: String(s % 3) },
      runbook: `https://runbooks.example.com/${name}`,
      links: [],
      telemetry: {
        tempo: { serviceName: name },
        loki: { selector: `{service_name="${name}"}`, errorFilter: '| detected_level="error"' },
      },
      slos,
      format: 'native',
      source: { file: `${team}/${name}.yaml`, line: 1, column: 1 },
    });
  }
  const teamNames = [...new Set(list.map((s) => s.team))];
  return {
    teams: teamNames.map((name) => ({ name, chat: [], declared: true })),
    services: list,
    defaults: { ...DEFAULT_CATALOG_DEFAULTS, tiers: [...DEFAULT_CATALOG_DEFAULTS.tiers] },
  };
}
