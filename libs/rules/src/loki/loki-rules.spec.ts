import { parser as logql } from '@grafana/lezer-logql';
import { parse as parseYaml } from 'yaml';
import { describe, expect, it } from 'vitest';
import { generateRules, isAlertingRule, type RuleGroup } from '../index.js';
import { loadCatalogFromSources, type Service } from '@burnrate/catalog';
import { aCatalog, aService } from '@burnrate/catalog/testing';

const loki = { selector: '{service_name="checkout"}', errorFilter: '| detected_level="error"' };

function lokiGroups(services: Service[], errorLogAlert?: false): RuleGroup[] {
  const file = generateRules(aCatalog(services), {
    grafanaUrl: 'http://g',
    promtoolTests: false,
    ...(errorLogAlert === false ? { errorLogAlert } : {}),
  }).find((f) => f.path.startsWith('rules/loki/'));
  return file ? (parseYaml(file.content) as { groups: RuleGroup[] }).groups : [];
}

const syntaxErrors = (expr: string): number => {
  let errors = 0;
  logql.parse(expr).iterate({ enter: (n) => void (n.type.isError && errors++) });
  return errors;
};

describe('Loki rules', () => {
  const logsService = aService({
    telemetry: { loki },
    slos: [
      {
        name: 'log-errors',
        sli: { kind: 'logs', selector: '{app="checkout"}', errorFilter: '|= "level=error"' },
      },
    ],
  });

  it('parse with the LogQL grammar, every expression', () => {
    const rules = lokiGroups([logsService]).flatMap((g) => g.rules);
    expect(rules.length).toBe(3);
    for (const rule of rules) expect(syntaxErrors(rule.expr), rule.expr).toBe(0);
  });

  it('record a logs SLI as the shared 5m rates, labelled like every other SLI', () => {
    const [sli] = lokiGroups([logsService]);
    expect(sli!.rules.map((r) => [('record' in r && r.record) || '', r.expr])).toEqual([
      ['slo:sli_total:rate5m', 'sum(rate({app="checkout"} [5m]))'],
      ['slo:sli_errors:rate5m', 'sum(rate({app="checkout"} |= "level=error" [5m]))\nor vector(0)'],
    ]);
  });

  it('leave windows and burn-rate alerts of a logs SLI to Prometheus, which reads the remote-written rates', () => {
    const files = generateRules(aCatalog([logsService]), { grafanaUrl: 'http://g', promtoolTests: false });
    const prometheus = files.find((f) => f.path === 'rules/prometheus/payments/checkout.yaml')!.content;
    expect(prometheus).not.toContain('{app="checkout"}');
    expect(prometheus).toContain('slo:sli_errors:rate5m{service="checkout", slo="log-errors"} offset 25m');
    expect(prometheus).toContain(
      'sum_over_time(slo:sli_errors:rate5m{service="checkout", slo="log-errors"}[6h])',
    );
  });

  it('alert on a high share of error lines, with a floor for quiet services, on any service with Loki telemetry', () => {
    const [alerts] = lokiGroups([aService({ telemetry: { loki } })]);
    const rule = alerts!.rules[0]!;
    expect(isAlertingRule(rule) && rule.for).toBe('10m');
    expect(rule.expr).toContain('> 0.05\nand\n');
    expect(rule.expr).toContain('>= 10');
    expect(isAlertingRule(rule) && rule.labels).toEqual({
      service: 'checkout',
      severity: 'ticket',
      team: 'payments',
    });
  });

  it('write no Loki file when there is nothing to ask Loki', () => {
    expect(lokiGroups([aService({ telemetry: { loki } })], false)).toEqual([]);
    expect(lokiGroups([aService()])).toEqual([]);
  });
});

describe('the error-log alert, as the catalog configures it', () => {
  const catalogOf = (text: string) => {
    const { catalog, problems } = loadCatalogFromSources([{ file: 'catalog.yaml', text }]);
    expect(problems.filter((p) => p.severity === 'error')).toEqual([]);
    return catalog;
  };
  const alertsOf = (catalog: ReturnType<typeof catalogOf>) =>
    generateRules(catalog, { grafanaUrl: 'http://g', promtoolTests: false })
      .filter((f) => f.path.startsWith('rules/loki/'))
      .flatMap((f) => (parseYaml(f.content) as { groups: RuleGroup[] }).groups.flatMap((g) => g.rules))
      .filter(isAlertingRule);
  const service = (name: string, alerting = '') => `---
apiVersion: burnrate.dev/v1
kind: Service
metadata: { name: ${name}, team: payments }
spec:
  telemetry: { loki: { selector: '{service_name="${name}"}' } }
${alerting}  slos: []
`;

  it('is on by default: over 5% error lines, at least 10, for 10m', () => {
    const [alert] = alertsOf(catalogOf(service('checkout')));
    expect(alert!.expr).toContain('> 0.05');
    expect(alert!.expr).toContain('>= 10');
    expect(alert!.for).toBe('10m');
  });

  it('is turned off catalog-wide by Defaults and back on, with its own thresholds, by one service', () => {
    const catalog = catalogOf(
      `apiVersion: burnrate.dev/v1
kind: Defaults
spec: { alerting: { errorLogs: false } }
` +
        service('quiet') +
        service(
          'loud',
          '  alerting: { errorLogs: { enabled: true, errorPercent: 2, minLines: 50, for: 5m } }\n',
        ),
    );
    const alerts = alertsOf(catalog);
    expect(alerts.map((a) => a.labels?.['service'])).toEqual(['loud']);
    expect(alerts[0]!.expr).toContain('> 0.02');
    expect(alerts[0]!.expr).toContain('>= 50');
    expect(alerts[0]!.for).toBe('5m');
  });

  it('refuses a threshold that is not a percent, with its position', () => {
    const { problems } = loadCatalogFromSources([
      { file: 'c.yaml', text: service('checkout', '  alerting: { errorLogs: { errorPercent: 0 } }\n') },
    ]);
    expect(
      problems.filter((p) => p.severity === 'error').map((p) => `${p.line}:${p.column}: ${p.message}`),
    ).toEqual([expect.stringMatching(/^7:42: .*errorPercent 0 is outside \(0, 100\]/)]);
  });
});
