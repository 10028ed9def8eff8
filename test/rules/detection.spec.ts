/**
 * Detection proofs with real promtool and one-minute evaluations, from a healthy two-hour
 * history: a total outage of a 99.9% SLO pages within five minutes, a 2% error rate pages within
 * the hour, a 3x burn opens a ticket and never pages, no traffic never pages, the low-traffic
 * guard holds pages back, and the absent alert notices missing series.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { generateRules, toYaml } from '@burnrate/rules';
import { aCatalog, aService } from '@burnrate/catalog/testing';
import { promtool } from './promtool.util.js';

const catalog = aCatalog([
  aService({
    slos: [
      {},
      {
        name: 'quiet',
        sli: {
          kind: 'events',
          errorQuery: 'sum(rate(jobs_total{job="quiet",status="failed"}[{{.window}}]))',
          totalQuery: 'sum(rate(jobs_total{job="quiet"}[{{.window}}]))',
        },
        alerting: { name: 'QuietBurn', minEvents: 100, absent: true },
      },
    ],
  }),
]);

const BASELINE = 120; // minutes of healthy traffic before anything happens
const good = 'http_requests_total{job="checkout", code="200"}';
const bad = 'http_requests_total{job="checkout", code="500"}';
/** Counter values: `perMinute` increments from `start`, for `minutes` samples after the baseline. */
const after = (start: number, perMinute: number, minutes: number) => `${start}+${perMinute}x${minutes - 1}`;
const atMinute = (m: number) => `${m}m`;

function firing(slo: string, minute: number, severities: string[]) {
  return {
    expr: `count by (severity) (ALERTS{alertstate="firing", slo="${slo}", alertname!~".*SLIAbsent"})`,
    eval_time: atMinute(minute),
    exp_samples: severities.map((severity) => ({ labels: `{severity="${severity}"}`, value: 1 })),
  };
}

const tests = [
  {
    name: 'a total outage of a 99.9% SLO pages within five minutes',
    interval: '1m',
    input_series: [
      { series: good, values: `0+600x${BASELINE} ${600 * BASELINE}x30` },
      { series: bad, values: `0x${BASELINE} ${after(600, 600, 30)}` },
    ],
    promql_expr_test: [
      firing('availability', BASELINE, []),
      firing('availability', BASELINE + 5, ['page', 'ticket']),
    ],
  },
  {
    name: 'a 2% error rate pages within the hour',
    interval: '1m',
    input_series: [
      { series: good, values: `0+600x${BASELINE} ${after(600 * BASELINE + 588, 588, 60)}` },
      { series: bad, values: `0x${BASELINE} ${after(12, 12, 60)}` },
    ],
    promql_expr_test: [
      firing('availability', BASELINE + 30, ['ticket']),
      firing('availability', BASELINE + 60, ['page', 'ticket']),
    ],
  },
  {
    name: 'a 3x burn opens a ticket and never pages',
    interval: '1m',
    input_series: [
      { series: good, values: `0+600x${BASELINE} ${after(600 * BASELINE + 598.2, 598.2, 360)}` },
      { series: bad, values: `0x${BASELINE} ${after(1.8, 1.8, 360)}` },
    ],
    promql_expr_test: [
      // (an hour in, the 3d and 6h windows hold the whole 3-hour history, exactly at 1x: no check there)
      ...[5, 30, 120, 240].map((m) => firing('availability', BASELINE + m, m >= 120 ? ['ticket'] : [])),
      firing('availability', BASELINE + 360, ['ticket']),
    ],
  },
  {
    name: 'no traffic (0/0) never pages, from the start or after traffic stops',
    interval: '1m',
    input_series: [
      { series: good, values: `0+600x60 36000x180` },
      { series: bad, values: `0x60 0x180` },
      { series: 'jobs_total{job="quiet", status="ok"}', values: '0x240' },
    ],
    promql_expr_test: [30, 90, 150, 240].flatMap((m) => [
      firing('availability', m, []),
      firing('quiet', m, []),
    ]),
  },
  {
    name: 'the low-traffic guard holds back a page below minEvents, and only that page',
    interval: '1m',
    input_series: [
      // one event a minute, half of them failing: 60 events an hour, fewer than minEvents (100)
      { series: 'jobs_total{job="quiet", status="ok"}', values: '0+0.5x120' },
      { series: 'jobs_total{job="quiet", status="failed"}', values: '0+0.5x120' },
      { series: good, values: '0+0.5x120' },
      { series: bad, values: '0+0.5x120' },
    ],
    promql_expr_test: [firing('quiet', 90, ['ticket']), firing('availability', 90, ['page', 'ticket'])],
  },
  {
    name: 'the absent alert fires once the SLI has had no series for 10 minutes',
    interval: '1m',
    input_series: [{ series: good, values: '0+600x30' }],
    alert_rule_test: [
      { eval_time: '5m', alertname: 'QuietBurnSLIAbsent', exp_alerts: [] },
      {
        eval_time: '15m',
        alertname: 'QuietBurnSLIAbsent',
        exp_alerts: [
          {
            exp_labels: { service: 'checkout', slo: 'quiet', team: 'payments', severity: 'ticket' },
            exp_annotations: absentAnnotations(),
          },
        ],
      },
    ],
  },
];

function absentAnnotations(): Record<string, string> {
  return {
    dashboard: 'http://grafana.test/d/svc-payments-checkout',
    description:
      'checkout (team payments) quiet SLO, 99.9% over 30d: no data for 10m from one of jobs_total{job="quiet"}, slo:sli_total:rate5m{service="checkout", slo="quiet"}; ' +
      'the SLO cannot alert until it comes back (`burnrate verify` names the missing series).',
    runbook_url: 'https://runbooks.example.com/checkout',
    summary: 'checkout quiet has no SLI data',
  };
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'burnrate-detection-'));
  const [rules] = generateRules(catalog, { grafanaUrl: 'http://grafana.test', promtoolTests: false });
  await writeFile(join(dir, 'rules.yaml'), rules!.content);
  await writeFile(
    join(dir, 'detection.test.yaml'),
    toYaml({ rule_files: ['rules.yaml'], evaluation_interval: '1m', tests }),
  );
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

it('pages, tickets and stays quiet exactly as the burn-rate policy says (promtool test rules)', async () => {
  const result = await promtool('test', 'rules', join(dir, 'detection.test.yaml'));
  expect(result.ok, result.output).toBe(true);
});
