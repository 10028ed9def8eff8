/**
 * Golden inputs. Built with the model factories while the catalog loaders land; each mirrors a
 * native catalog snippet (comment above it) and together they cover every SLI kind and option.
 */
import { type RulesOptions } from '@burnrate/rules';
import { DEFAULT_CATALOG_DEFAULTS, type Catalog } from '@burnrate/catalog';
import { aCatalog, aService, aTarget } from '@burnrate/catalog/testing';

export interface GoldenCase {
  name: string;
  catalog: Catalog;
  options?: Partial<RulesOptions>;
}

const DAY = 86_400;

export const GOLDEN_CASES: GoldenCase[] = [
  {
    // payments/checkout-api: availability (events) and latency (classic histogram) SLOs, Loki and Tempo telemetry.
    name: 'checkout',
    catalog: aCatalog([
      aService({
        name: 'checkout-api',
        team: 'payments',
        labels: { tier: '1' },
        telemetry: {
          prometheus: { matchers: 'service_name="checkout-api"', convention: 'opentelemetry' },
          loki: { selector: '{service_name="checkout-api"}', errorFilter: '| detected_level="error"' },
          tempo: { serviceName: 'checkout-api', query: '{resource.service.name="checkout-api"}' },
        },
        slos: [
          {
            name: 'availability',
            labels: { category: 'availability' },
            sli: {
              kind: 'events',
              errorQuery: 'sum(rate(http_server_request_duration_seconds_count{service_name="checkout-api",http_response_status_code=~"5.."}[{{.window}}]))',
              totalQuery: 'sum(rate(http_server_request_duration_seconds_count{service_name="checkout-api"}[{{.window}}]))',
            },
            alerting: { name: 'CheckoutApiAvailabilityBurn', labels: { component: 'checkout' }, absent: true },
          },
          {
            name: 'latency',
            objective: 99,
            window: { kind: 'rolling', duration: '28d', seconds: 28 * DAY },
            sli: {
              kind: 'latency',
              metric: 'http_server_request_duration_seconds',
              matchers: 'service_name="checkout-api"',
              thresholdSeconds: 0.3,
              histogram: 'classic',
            },
            alerting: { name: 'CheckoutApiLatencyBurn', minEvents: 100, absent: true },
          },
        ],
      }),
    ]),
  },
  {
    // platform/edge: native histogram, probe_success gauge, raw ratio, good/total over a calendar month,
    // a free-form events query over 7d and a logs SLI.
    name: 'sli-kinds',
    catalog: aCatalog([
      aService({
        name: 'edge',
        team: 'platform',
        telemetry: { loki: { selector: '{app="edge"}', errorFilter: '|= "level=error"' } },
        slos: [
          {
            name: 'latency-native',
            sli: { kind: 'latency', metric: 'edge_request_duration_seconds', matchers: 'route!="/health"', thresholdSeconds: 1, histogram: 'native' },
            alerting: { name: 'EdgeLatencyNativeBurn' },
          },
          {
            name: 'probe',
            objective: 99.5,
            sli: { kind: 'gauge', selector: 'probe_success{job="blackbox",instance="https://edge.example.com"}' },
            alerting: { name: 'EdgeProbeBurn', absent: true },
          },
          {
            name: 'saturation',
            objective: 95,
            sli: { kind: 'raw', errorRatioQuery: '1 - avg(avg_over_time(edge_capacity_headroom_ratio[{{.window}}]))' },
            alerting: { name: 'EdgeSaturationBurn' },
          },
          {
            name: 'good-requests',
            objective: 99.5,
            window: { kind: 'calendar', unit: 'month' },
            sli: {
              kind: 'goodTotal',
              goodQuery: 'sum(rate(edge_requests_total{code!~"5.."}[{{.window}}]))',
              totalQuery: 'sum(rate(edge_requests_total[{{.window}}]))',
            },
            alerting: { name: 'EdgeGoodRequestsBurn' },
          },
          {
            name: 'cache',
            objective: 99,
            window: { kind: 'rolling', duration: '7d', seconds: 7 * DAY },
            sli: {
              kind: 'events',
              errorQuery: 'sum(increase(edge_cache_errors_total[{{.window}}]))',
              totalQuery: 'sum(increase(edge_cache_lookups_total[{{.window}}]))',
            },
            alerting: { name: 'EdgeCacheBurn' },
          },
          {
            name: 'log-errors',
            objective: 99,
            sli: { kind: 'logs', selector: '{app="edge"}', errorFilter: '|= "level=error"' },
            alerting: { name: 'EdgeLogErrorsBurn' },
          },
        ],
      }),
    ]),
  },
  {
    // Catalog `Defaults` with three tiers; one SLO with its own tiers and Sloth-style severity labels;
    // one with paging disabled.
    name: 'custom-tiers',
    catalog: aCatalog(
      [
        aService({
          name: 'search',
          team: 'discovery',
          runbook: 'https://runbooks.example.com/search',
          slos: [
            {
              name: 'availability',
              objective: 99.95,
              sli: {
                kind: 'events',
                errorQuery: 'sum(rate(search_requests_total{status="error"}[{{.window}}]))',
                totalQuery: 'sum(rate(search_requests_total[{{.window}}]))',
              },
              alerting: {
                name: 'SearchAvailability',
                page: aTarget('critical', { labels: { routing_key: 'discovery' } }),
                ticket: aTarget('warning', { annotations: { summary: 'Search is slowly eating its error budget' } }),
                tiers: [
                  { severity: 'page', longWindow: '1h', shortWindow: '5m', budgetPercent: 2 },
                  { severity: 'ticket', longWindow: '12h', shortWindow: '1h', budgetPercent: 10 },
                ],
              },
            },
            {
              name: 'indexing',
              objective: 99,
              sli: {
                kind: 'events',
                errorQuery: 'sum(rate(index_jobs_failed_total[{{.window}}]))',
                totalQuery: 'sum(rate(index_jobs_total[{{.window}}]))',
              },
              alerting: { name: 'SearchIndexing', page: aTarget('page', { enabled: false }) },
            },
          ],
        }),
      ],
      {
        defaults: {
          window: { kind: 'rolling', duration: '30d', seconds: 30 * DAY },
          tiers: [
            { severity: 'page', longWindow: '1h', shortWindow: '5m', budgetPercent: 2 },
            { severity: 'page', longWindow: '6h', shortWindow: '30m', budgetPercent: 5 },
            { severity: 'ticket', longWindow: '3d', shortWindow: '6h', budgetPercent: 10 },
          ],
          errorLogAlert: DEFAULT_CATALOG_DEFAULTS.errorLogAlert,
        },
      },
    ),
    options: { grafanaUrl: 'https://grafana.example.com/' },
  },
];
