import type { Alerting, AlertTarget, Catalog, Service, Sli, SliKind, Slo } from '../model/catalog.model.js';
import { DEFAULT_CATALOG_DEFAULTS } from '../model/defaults.js';

/**
 * Valid model objects with defaults, so each test states only what matters to it. They build
 * the model directly, independent of the catalog loaders. Shared by every lib's tests.
 */
export type SloOverrides = Partial<Omit<Slo, 'alerting'>> & { alerting?: Partial<Alerting> };

export const aTarget = (severityLabel: string, overrides: Partial<AlertTarget> = {}): AlertTarget => ({
  enabled: true,
  severityLabel,
  labels: {},
  annotations: {},
  ...overrides,
});

export function anAlerting(overrides: Partial<Alerting> = {}): Alerting {
  return {
    name: 'CheckoutAvailabilityBurn',
    labels: {},
    annotations: {},
    page: aTarget('page'),
    ticket: aTarget('ticket'),
    absent: false,
    ...overrides,
  };
}

export const eventsSli = (
  selector = 'http_requests_total{job="checkout"}',
  errorMatcher = 'code=~"5.."',
): Sli => {
  const [metric, rest = '}'] = selector.split('{');
  const matchers = rest.replace(/\}$/, '');
  const withError = matchers.length > 0 ? `${matchers},${errorMatcher}` : errorMatcher;
  return {
    kind: 'events',
    errorQuery: `sum(rate(${metric}{${withError}}[{{.window}}]))`,
    totalQuery: `sum(rate(${selector}[{{.window}}]))`,
  };
};

/** One SLI of each kind the model knows, as a loader would produce it. */
export const SLI_OF_EVERY_KIND: Record<SliKind, Sli> = {
  events: eventsSli(),
  goodTotal: {
    kind: 'goodTotal',
    goodQuery: 'sum(rate(jobs_processed_total{result="ok"}[{{.window}}]))',
    totalQuery: 'sum(rate(jobs_processed_total[{{.window}}]))',
  },
  latency: {
    kind: 'latency',
    metric: 'http_server_request_duration_seconds',
    matchers: 'service_name="checkout"',
    thresholdSeconds: 0.3,
    histogram: 'classic',
  },
  raw: { kind: 'raw', errorRatioQuery: '1 - avg_over_time(up{job="checkout"}[{{.window}}])' },
  gauge: { kind: 'gauge', selector: 'probe_success{job="blackbox"}' },
  logs: { kind: 'logs', selector: '{service_name="checkout"}', errorFilter: '|= "level=error"' },
};

export function anSlo(overrides: SloOverrides = {}): Slo {
  const { alerting, ...rest } = overrides;
  return {
    name: 'availability',
    service: 'checkout',
    team: 'payments',
    objective: 99.9,
    window: { kind: 'rolling', duration: '30d', seconds: 30 * 86_400 },
    sli: eventsSli(),
    labels: {},
    source: { file: 'catalog/payments/checkout.yaml', line: 1, column: 1 },
    ...rest,
    alerting: anAlerting(alerting),
  };
}

export type ServiceOverrides = Partial<Omit<Service, 'slos'>> & { slos?: SloOverrides[] };

/** A service with Tempo telemetry only, whose SLOs inherit its name and team. */
export function aService(overrides: ServiceOverrides = {}): Service {
  const { slos = [{}], ...rest } = overrides;
  const name = rest.name ?? 'checkout';
  const team = rest.team ?? 'payments';
  return {
    name,
    team,
    labels: {},
    runbook: `https://runbooks.example.com/${name}`,
    links: [],
    telemetry: { tempo: { serviceName: name, query: `{resource.service.name="${name}"}` } },
    chat: [],
    format: 'native',
    source: { file: `catalog/${team}/${name}.yaml`, line: 1, column: 1 },
    ...rest,
    slos: slos.map((slo) => anSlo({ service: name, team, ...slo })),
  };
}

/** A catalog of these services, with a declared team for each and the workbook tiers. */
export function aCatalog(services: Service[] = [aService()], overrides: Partial<Catalog> = {}): Catalog {
  const teams = [...new Set(services.map((s) => s.team))].map((name) => ({ name, chat: [], declared: true }));
  return {
    teams,
    services,
    defaults: { ...DEFAULT_CATALOG_DEFAULTS, tiers: [...DEFAULT_CATALOG_DEFAULTS.tiers] },
    ...overrides,
  };
}
