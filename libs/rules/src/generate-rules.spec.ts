import { parser as promql } from '@prometheus-io/lezer-promql';
import { parse as parseYaml } from 'yaml';
import { describe, expect, it } from 'vitest';
import {
  generateRules,
  isAlertingRule,
  type AlertingRule,
  type RecordingRule,
  type RuleGroup,
  type RulesOptions,
} from './index.js';
import { type Service } from '@burnrate/catalog';
import { aCatalog, aService, aTarget } from '@burnrate/catalog/testing';

const OPTIONS: RulesOptions = { grafanaUrl: 'https://grafana.example.com/', promtoolTests: true };

function groupsOf(services: Service[], options: Partial<RulesOptions> = {}): RuleGroup[] {
  const file = generateRules(aCatalog(services), { ...OPTIONS, ...options }).find(
    (f) => f.path.startsWith('rules/prometheus/') && !f.path.endsWith('.test.yaml'),
  );
  return (parseYaml(file!.content) as { groups: RuleGroup[] }).groups;
}
const records = (group: RuleGroup) => group.rules.filter((r): r is RecordingRule => !isAlertingRule(r));
const alerts = (group: RuleGroup) => group.rules.filter(isAlertingRule);
const syntaxErrors = (expr: string): number => {
  let errors = 0;
  promql.parse(expr).iterate({ enter: (n) => void (n.type.isError && errors++) });
  return errors;
};

describe('generateRules', () => {
  it('writes one rule file and one promtool test per service, under rules/prometheus/<team>/', () => {
    const files = generateRules(
      aCatalog([aService(), aService({ name: 'ledger', team: 'finance' })]),
      OPTIONS,
    );
    expect(files.map((f) => f.path)).toEqual([
      'rules/prometheus/finance/ledger.yaml',
      'rules/prometheus/finance/ledger.test.yaml',
      'rules/prometheus/payments/checkout.yaml',
      'rules/prometheus/payments/checkout.test.yaml',
    ]);
  });

  it('gives the same bytes for the same catalog, whatever the service order', () => {
    const a = aService();
    const b = aService({ name: 'ledger', team: 'finance' });
    expect(generateRules(aCatalog([b, a]), OPTIONS)).toEqual(generateRules(aCatalog([a, b]), OPTIONS));
  });

  it('skips promtool tests when asked', () => {
    expect(generateRules(aCatalog(), { ...OPTIONS, promtoolTests: false }).map((f) => f.path)).toEqual([
      'rules/prometheus/payments/checkout.yaml',
    ]);
  });

  it('writes every expression as valid PromQL, multi-line ones as block scalars', () => {
    const [fast, slow] = groupsOf([aService()]);
    for (const rule of [...fast!.rules, ...slow!.rules]) expect(syntaxErrors(rule.expr), rule.expr).toBe(0);
    expect(generateRules(aCatalog(), OPTIONS)[0]!.content).toContain('expr: |-\n');
  });
});

describe('recording rules', () => {
  it('read raw series for the 5m rates and every window up to 6h, as Sloth does; day-scale windows tile the 5m rates', () => {
    const [fast, slow] = groupsOf([aService()]);
    const raw = [...fast!.rules, ...slow!.rules].filter((r) => /http_requests_total/.test(r.expr));
    expect(raw.map((r) => (r as RecordingRule).record)).toEqual([
      'slo:sli_total:rate5m',
      'slo:sli_errors:rate5m',
      ...Array<string>(4).fill('slo:sli_error:ratio'),
    ]);
    expect(raw.slice(2).map((r) => (r as RecordingRule).labels!.window)).toEqual(['30m', '1h', '6h', '2h']);
    expect(fast!.interval).toBe('1m');
    expect(slow!.interval).toBe('4m');
  });

  it('record every standard window plus the period, with only service, slo and window as identity', () => {
    const [fast, slow] = groupsOf([aService()]);
    const ratios = [...records(fast!), ...records(slow!)].filter((r) => r.record === 'slo:sli_error:ratio');
    expect(ratios.map((r) => r.labels!.window)).toEqual(['5m', '30m', '1h', '6h', '2h', '1d', '3d', '30d']);
    for (const rule of ratios) expect(Object.keys(rule.labels!).sort()).toEqual(['service', 'slo', 'window']);
  });

  it('read windows up to 6h as rate() over the window, a missing error series read as 0; tile day-scale windows', () => {
    const [fast, slow] = groupsOf([aService()]);
    const expr = (window: string) =>
      [...records(fast!), ...records(slow!)].find((r) => r.labels?.window === window)!.expr;
    expect(expr('1h')).toContain('[1h]))');
    expect(expr('1h')).toContain(
      'or ignoring (service, slo)\n  (0 * slo:sli_total:rate5m{service="checkout", slo="availability"})',
    );
    expect(expr('1h')).toContain(
      '/ ignoring (service, slo)\n(sum(rate(http_requests_total{job="checkout"}[1h])))',
    );
    expect(expr('6h')).toContain('[6h]))');
    expect(expr('1d')).toContain(
      'sum_over_time(slo:sli_errors:rate5m{service="checkout", slo="availability"}[1d:5m])',
    );
    expect(expr('30d')).toContain('[30d:5m])');
  });

  it('tile the 30m and 1h windows of a logs SLI from its 5m rates, a missing tile (the newest too) counting 0', () => {
    const [fast] = groupsOf([
      aService({
        slos: [{ sli: { kind: 'logs', selector: '{app="a"}', errorFilter: '|= "error"' } }],
      }),
    ]);
    const expr = records(fast!).find((r) => r.labels?.window === '1h')!.expr;
    const errors = 'slo:sli_errors:rate5m{service="checkout", slo="availability"}';
    const seen = `0 * last_over_time(${errors}[1h])`;
    expect(expr).toContain(`(${errors} or ${seen})\n  + (${errors} offset 5m or ${seen})`);
    expect(
      [...expr.matchAll(/offset (\w+) or 0 \* last_over_time\(slo:sli_errors/g)].map((m) => m[1]),
    ).toEqual(['5m', '10m', '15m', '20m', '25m', '30m', '35m', '40m', '45m', '50m', '55m']);
  });

  it('zero-fill a missing error series of a recognised query, so a service without errors reads 0', () => {
    const [fast] = groupsOf([aService()]);
    expect(records(fast!).find((r) => r.record === 'slo:sli_errors:rate5m')!.expr).toContain(
      'or ignoring (service, slo)\n(0 * slo:sli_total:rate5m{service="checkout", slo="availability"})',
    );
  });

  it('read a classic histogram bucket with a Prometheus-3-safe le for whole-second thresholds', () => {
    const latency = (thresholdSeconds: number) =>
      records(
        groupsOf([
          aService({
            slos: [
              {
                sli: {
                  kind: 'latency',
                  metric: 'h',
                  matchers: 'job="a"',
                  thresholdSeconds,
                  histogram: 'classic',
                },
              },
            ],
          }),
        ])[0]!,
      ).find((r) => r.record === 'slo:sli_errors:rate5m')!.expr;
    expect(latency(0.3)).toContain('h_bucket{job="a", le="0.3"}');
    expect(latency(1)).toContain('h_bucket{job="a", le=~"1(\\\\.0)?"}');
  });

  it('use histogram_fraction for native histograms and sample counts for 0/1 gauges', () => {
    const [fast] = groupsOf([
      aService({
        slos: [
          {
            name: 'native',
            sli: { kind: 'latency', metric: 'h', matchers: '', thresholdSeconds: 0.5, histogram: 'native' },
          },
          { name: 'probe', sli: { kind: 'gauge', selector: 'probe_success{job="bb"}' } },
        ],
      }),
    ]);
    const text = records(fast!)
      .map((r) => r.expr)
      .join('\n');
    expect(text).toContain('histogram_fraction(0, 0.5, sum(rate(h[5m])))');
    expect(text).toContain('sum(count_over_time(probe_success{job="bb"}[5m])) / 300');
  });

  it('run a raw error ratio at every window up to 6h, as Sloth does, and average it over day-scale windows', () => {
    const [fast, slow] = groupsOf([
      aService({ slos: [{ sli: { kind: 'raw', errorRatioQuery: '1 - avg(x[{{.window}}])' } }] }),
    ]);
    const ratios = [...records(fast!), ...records(slow!)];
    expect(ratios.filter((r) => r.expr.includes('avg(x[')).map((r) => r.labels?.window)).toEqual([
      '5m',
      '30m',
      '1h',
      '6h',
      '2h',
    ]);
    expect(ratios.find((r) => r.labels?.window === '1h')!.expr).toBe('1 - avg(x[1h])');
    expect(ratios.find((r) => r.labels?.window === '3d')!.expr).toBe(
      'avg_over_time(slo:sli_error:ratio{service="checkout", slo="availability", window="5m"}[3d:5m])',
    );
  });

  it('carry team, objective, period, period window and labels on one objective series per SLO', () => {
    const [, slow] = groupsOf([
      aService({
        labels: { tier: '1' },
        slos: [
          {
            objective: 99.95,
            window: { kind: 'calendar', unit: 'month' },
            labels: { category: 'availability', window: 'x' },
          },
        ],
      }),
    ]);
    const objective = records(slow!).find((r) => r.record === 'slo:objective:ratio')!;
    expect(objective.expr).toBe('vector(0.9995)');
    // `window` is the recorded window of the period (a calendar month is recorded as 30d), never the spec's own label.
    expect(objective.labels).toEqual({
      category: 'availability',
      period: 'month',
      service: 'checkout',
      slo: 'availability',
      team: 'payments',
      tier: '1',
      window: '30d',
    });
    expect(records(slow!).some((r) => r.labels?.window === '30d')).toBe(true);
  });
});

describe('burn-rate alerts', () => {
  const [fast, slow] = groupsOf([
    aService({
      labels: { tier: '1', team: 'spoofed' },
      slos: [
        {
          labels: { category: 'availability' },
          alerting: {
            labels: { component: 'cart', window: 'x' },
            page: aTarget('critical', { labels: { routing_key: 'pay' } }),
          },
        },
      ],
    }),
  ]);
  const page = alerts(fast!)[0]!;
  const ticket = alerts(slow!)[0]!;

  it('page from the fast group on 1h/5m at 14.4x and 6h/30m at 6x a 99.9% budget', () => {
    expect(page.expr).toContain('window="1h"} > 0.0144\n');
    expect(page.expr).toContain('window="5m"} > 0.0144\n');
    expect(page.expr).toContain('window="6h"} > 0.006\n');
    expect(page.expr).toContain('window="30m"} > 0.006\n');
    expect(page.expr).toMatch(/^max without \(window\) \(/);
  });

  it('ticket from the slow group on 1d/2h at 3x and 3d/6h at 1x', () => {
    expect(ticket.expr).toContain('window="1d"} > 0.003\n');
    expect(ticket.expr).toContain('window="3d"} > 0.001\n');
  });

  it('carry service, slo, team and severity over any spec label, plus the spec labels', () => {
    expect(page.labels).toEqual({
      category: 'availability',
      component: 'cart',
      routing_key: 'pay',
      service: 'checkout',
      severity: 'critical',
      slo: 'availability',
      team: 'payments',
      tier: '1',
    });
    expect(ticket.labels.severity).toBe('ticket');
  });

  it('link the runbook, the service dashboard and the failing traces in Tempo', () => {
    expect(page.annotations.runbook_url).toBe('https://runbooks.example.com/checkout');
    expect(page.annotations.dashboard).toBe('https://grafana.example.com/d/svc-payments-checkout');
    const traces = new URL(page.annotations.traces_url!);
    expect(traces.pathname).toBe('/explore');
    const panes = JSON.parse(traces.searchParams.get('panes')!) as Record<
      string,
      { queries: { query: string; queryType: string }[] }
    >;
    expect(Object.values(panes)[0]!.queries[0]).toMatchObject({
      queryType: 'traceql',
      query: '{resource.service.name="checkout" && status=error}',
    });
    expect(page.annotations.summary).toBe('checkout availability is burning its error budget too fast');
  });

  it('hold a page back below minEvents, never a ticket', () => {
    const [f, s] = groupsOf([aService({ slos: [{ alerting: { minEvents: 50 } }] })]);
    expect(alerts(f!)[0]!.expr).toContain(
      'sum_over_time(slo:sli_total:rate5m{service="checkout", slo="availability"}[1h]) * 60 >= 50',
    );
    expect(alerts(s!)[0]!.expr).not.toContain('>= 50');
  });

  it('scale factors with the SLO window and follow per-SLO tiers', () => {
    const [f] = groupsOf([
      aService({
        slos: [
          {
            window: { kind: 'rolling', duration: '28d', seconds: 28 * 86400 },
            alerting: {
              tiers: [{ severity: 'page', longWindow: '2h', shortWindow: '10m', budgetPercent: 5 }],
            },
          },
        ],
      }),
    ]);
    const alert = alerts(f!)[0] as AlertingRule;
    expect(alert.expr).toContain('window="2h"} > 0.0168');
    expect(alert.expr).toContain('window="10m"} > 0.0168');
  });

  it('leave out a disabled target and add an absent alert on request', () => {
    const [f, s] = groupsOf([
      aService({ slos: [{ alerting: { page: aTarget('page', { enabled: false }), absent: true } }] }),
    ]);
    expect(alerts(f!).map((a) => [a.alert, a.expr, a.for])).toEqual([
      [
        'CheckoutAvailabilityBurnSLIAbsent',
        'max(\n  absent(http_requests_total{job="checkout"})\n  or\n  absent(slo:sli_total:rate5m{service="checkout", slo="availability"})\n)',
        '10m',
      ],
    ]);
    expect(alerts(s!)).toHaveLength(1);
  });
});
