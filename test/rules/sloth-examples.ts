/**
 * Sloth's example specs (reference/anchors/sloth/examples/*.yml) as the model the Sloth loader
 * reads them into (team from labels.owner, page/ticket `labels.severity` as the severity label),
 * with input series that drive each SLI to a chosen error ratio.
 */
import { type Catalog, type Service } from '@burnrate/catalog';
import { aCatalog, aService, aTarget } from '@burnrate/catalog/testing';

export type Load = 'healthy' | 'slow' | 'fast' | 'outage' | 'idle';

export interface SlothExample {
  file: string;
  catalog: Catalog;
  /** Input series (promtool notation, 1m samples): `baseline` healthy minutes, then `minutes` of the load. */
  series(load: Load, baseline: number, minutes: number): { series: string; values: string }[];
  /** Which severities each SLO should raise under a load once every window is settled. */
  expected(slo: string, load: Load): ('page' | 'ticket')[];
}

const BURN: Record<Load, number> = { healthy: 0.5, slow: 4, fast: 50, outage: Infinity, idle: 0 };
const byBurn = (load: Load): ('page' | 'ticket')[] =>
  load === 'fast' || load === 'outage' ? ['page', 'ticket'] : load === 'slow' ? ['ticket'] : [];
export const errorRatio = (load: Load, budget: number): number =>
  load === 'outage' ? 1 : load === 'idle' ? 0 : Math.min(0.8, BURN[load] * budget);

/** Two counters at 10 events/s: healthy ratio during the baseline, then the load's ratio. */
function counters(
  hit: string,
  miss: string,
  ratioOf: (load: Load) => number,
  load: Load,
  baseline: number,
  minutes: number,
  hitIsError = true,
) {
  const base = ratioOf('healthy');
  const r = ratioOf(load);
  const rate = load === 'idle' ? 0 : 600;
  const split = (ratio: number) => (hitIsError ? [ratio, 1 - ratio] : [1 - ratio, ratio]);
  const [hb, mb] = split(base).map((x) => x * 600);
  const [hl, ml] = split(r).map((x) => x * rate);
  const series = (name: string, b: number, l: number) => ({
    series: name,
    values: `0+${fmt(b)}x${baseline} ${fmt(b * baseline + l)}+${fmt(l)}x${minutes - 1}`,
  });
  return [series(hit, hb!, hl!), series(miss, mb!, ml!)];
}
const fmt = (n: number): string => String(Number(n.toPrecision(12)));

const service = (s: Parameters<typeof aService>[0]): Service =>
  aService({ runbook: undefined, telemetry: {}, ...s });

export const SLOTH_EXAMPLES: SlothExample[] = [
  {
    file: 'getting-started.yml',
    catalog: aCatalog([
      service({
        name: 'myservice',
        team: 'myteam',
        labels: { owner: 'myteam', repo: 'myorg/myservice', tier: '2' },
        slos: [
          {
            name: 'requests-availability',
            objective: 99.9,
            sli: {
              kind: 'events',
              errorQuery:
                'sum(rate(http_request_duration_seconds_count{job="myservice",code=~"(5..|429)"}[{{.window}}]))',
              totalQuery: 'sum(rate(http_request_duration_seconds_count{job="myservice"}[{{.window}}]))',
            },
            alerting: {
              name: 'MyServiceHighErrorRate',
              labels: { category: 'availability' },
              annotations: { summary: "High error rate on 'myservice' requests responses" },
              page: aTarget('pageteam', { labels: { routing_key: 'myteam' } }),
              ticket: aTarget('slack', { labels: { slack_channel: '#alerts-myteam' } }),
            },
          },
        ],
      }),
    ]),
    series: (load, baseline, minutes) =>
      counters(
        'http_request_duration_seconds_count{job="myservice",code="503"}',
        'http_request_duration_seconds_count{job="myservice",code="200"}',
        (l) => errorRatio(l, 0.001),
        load,
        baseline,
        minutes,
      ),
    expected: (_slo, load) => byBurn(load),
  },
  {
    file: 'kubernetes-apiserver.yml',
    catalog: aCatalog([
      service({
        name: 'k8s-apiserver',
        team: 'kubernetes',
        labels: { cluster: 'valhalla', component: 'kubernetes' },
        slos: [
          {
            name: 'requests-availability',
            objective: 99.9,
            labels: { category: 'availability' },
            sli: {
              kind: 'events',
              errorQuery: 'sum(rate(apiserver_request_total{code=~"(5..|429)"}[{{.window}}]))',
              totalQuery: 'sum(rate(apiserver_request_total[{{.window}}]))',
            },
            alerting: {
              name: 'K8sApiserverAvailabilityAlert',
              labels: { category: 'availability' },
              page: aTarget('critical'),
              ticket: aTarget('warning'),
            },
          },
          {
            name: 'requests-latency',
            objective: 99,
            labels: { category: 'latency' },
            sli: {
              kind: 'events',
              errorQuery:
                '(\n  sum(rate(apiserver_request_duration_seconds_count{verb!="WATCH"}[{{.window}}]))\n  -\n  sum(rate(apiserver_request_duration_seconds_bucket{le="0.4",verb!="WATCH"}[{{.window}}]))\n)\n',
              totalQuery: 'sum(rate(apiserver_request_duration_seconds_count{verb!="WATCH"}[{{.window}}]))',
            },
            alerting: {
              name: 'K8sApiserverLatencyAlert',
              labels: { category: 'latency' },
              page: aTarget('critical'),
              ticket: aTarget('warning'),
            },
          },
        ],
      }),
    ]),
    series: (load, baseline, minutes) => {
      const availability = counters(
        'apiserver_request_total{code="500"}',
        'apiserver_request_total{code="200"}',
        (l) => errorRatio(l, 0.001),
        load,
        baseline,
        minutes,
      );
      // count = all requests, bucket = the fast ones: the bucket is the "good" counter of a good/total pair.
      const [fast, all] = counters(
        'apiserver_request_duration_seconds_bucket{le="0.4",verb="GET"}',
        'apiserver_request_duration_seconds_count{verb="GET"}',
        (l) => errorRatio(l, 0.01),
        load,
        baseline,
        minutes,
        false,
      );
      return [...availability, fast!, cumulative(all!, fast!)];
    },
    expected: (_slo, load) => byBurn(load),
  },
  ...homeWifi(),
  {
    file: 'no-alerts.yml',
    catalog: aCatalog([
      service({
        name: 'myapp',
        team: 'myteam',
        labels: { owner: 'myteam' },
        slos: [
          {
            name: 'http-availability',
            objective: 99.99,
            sli: {
              kind: 'events',
              errorQuery:
                'sum(\n  rate(http_request_duration_seconds_count{job="myapp", code=~"(5..|429)"}[{{.window}}])\n)\n',
              totalQuery: 'sum(\n  rate(http_request_duration_seconds_count{job="myapp"}[{{.window}}])\n)\n',
            },
            alerting: {
              name: 'MyappHttpAvailability',
              page: aTarget('page', { enabled: false }),
              ticket: aTarget('ticket', { enabled: false }),
            },
          },
        ],
      }),
    ]),
    series: (load, baseline, minutes) =>
      counters(
        'http_request_duration_seconds_count{job="myapp",code="500"}',
        'http_request_duration_seconds_count{job="myapp",code="200"}',
        (l) => errorRatio(l, 0.0001),
        load,
        baseline,
        minutes,
      ),
    expected: () => [],
  },
];

/** `_count` must include the bucket's events: add the "slow" counter to the "fast" one. */
function cumulative(slow: { series: string; values: string }, fast: { series: string; values: string }) {
  const expand = (v: string) =>
    v.split(' ').flatMap((segment) => {
      const [, start, step, n] = /^([\d.]+)\+([\d.]+)x(\d+)$/.exec(segment)!;
      return Array.from({ length: Number(n) + 1 }, (_, i) => Number(start) + Number(step) * i);
    });
  const a = expand(slow.values);
  const b = expand(fast.values);
  return { series: slow.series, values: a.map((x, i) => fmt(x + b[i]!)).join(' ') };
}

function homeWifi(): SlothExample[] {
  const CLIENTS = 20;
  /** Satisfaction of each client under a load: a share of them drop to 0.6 (or all to 0.3 in an outage). */
  const satisfaction = (load: Load, client: number): number | undefined => {
    if (load === 'idle') return undefined;
    if (load === 'outage') return 0.3;
    const bad = { healthy: 0, slow: 4, fast: 16 }[load];
    return client < bad ? 0.6 : 0.9;
  };
  const rawSatisfaction = (load: Load): number | undefined =>
    ({ healthy: 0.99, slow: 0.8, fast: 0.1, outage: 0, idle: undefined })[load];
  const labels = { cluster: 'valhalla', component: 'ubiquiti', context: 'home' };
  const repeat = (value: number | undefined, n: number) =>
    value === undefined ? `_x${n - 1}` : `${value}x${n - 1}`;
  return [
    {
      file: 'home-wifi.yml',
      catalog: aCatalog([
        service({
          name: 'home-wifi',
          team: 'home',
          labels,
          slos: [
            ['good-wifi-client-satisfaction', 95, 0.75, 'GoodWifiClientSatisfaction'] as const,
            ['risk-wifi-client-satisfaction', 99.9, 0.5, 'RiskWifiClientSatisfaction'] as const,
          ].map(([name, objective, below, alert]) => ({
            name,
            objective,
            sli: {
              kind: 'events' as const,
              errorQuery: `sum_over_time((count(unifipoller_client_satisfaction_ratio < ${below}))[{{.window}}:]) OR on() vector(0)`,
              totalQuery: 'sum_over_time((count(unifipoller_client_satisfaction_ratio))[{{.window}}:])',
            },
            alerting: { name: alert, page: aTarget('home'), ticket: aTarget('warning') },
          })),
        }),
      ]),
      series: (load, baseline, minutes) =>
        Array.from({ length: CLIENTS }, (_, c) => ({
          series: `unifipoller_client_satisfaction_ratio{name="client-${c}"}`,
          values: `0.9x${baseline} ${repeat(satisfaction(load, c), minutes)}`,
        })),
      expected: (slo, load) =>
        slo.startsWith('risk') ? (load === 'outage' ? ['page', 'ticket'] : []) : byBurn(load),
    },
    {
      file: 'raw-home-wifi.yml',
      catalog: aCatalog([
        service({
          name: 'home-wifi',
          team: 'home',
          labels,
          slos: [
            {
              name: 'wifi-client-satisfaction',
              objective: 95,
              sli: {
                kind: 'raw',
                errorRatioQuery:
                  '1 - (\n  sum(sum_over_time(unifipoller_client_satisfaction_ratio[{{.window}}]))\n  /\n  sum(count_over_time(unifipoller_client_satisfaction_ratio[{{.window}}]))\n)\n',
              },
              alerting: { name: 'WifiClientSatisfaction', page: aTarget('home'), ticket: aTarget('warning') },
            },
          ],
        }),
      ]),
      series: (load, baseline, minutes) =>
        Array.from({ length: 4 }, (_, c) => ({
          series: `unifipoller_client_satisfaction_ratio{name="client-${c}"}`,
          values: `0.99x${baseline} ${repeat(rawSatisfaction(load), minutes)}`,
        })),
      expected: (_slo, load) => byBurn(load),
    },
  ];
}
