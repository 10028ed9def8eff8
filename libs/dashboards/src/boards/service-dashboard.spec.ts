import { describe, expect, it } from 'vitest';
import { type Service } from '@burnrate/catalog';
import { aCatalog, SLI_OF_EVERY_KIND } from '@burnrate/catalog/testing';
import { resolveDashboardsOptions } from '../options.js';
import { aService } from '../testing/catalog.factory.js';
import { burnRateLines, serviceDashboard } from './service-dashboard.js';

interface Panel {
  type: string;
  title?: string;
  description?: string;
  targets?: { expr?: string; legendFormat?: string }[];
  fieldConfig?: { defaults?: { thresholds?: { steps: { value: number | null }[] } } };
}

const options = resolveDashboardsOptions({ grafanaUrl: 'http://grafana' });

function panels(service: Service, catalog = aCatalog([service])): Panel[] {
  return (serviceDashboard(catalog, service, options).build() as unknown as { panels: Panel[] }).panels;
}

const panel = (all: Panel[], title: string) => all.find((p) => p.title === title)!;
const lines = (p: Panel) =>
  p.fieldConfig!.defaults!.thresholds!.steps.map((s) => s.value).filter((v) => v !== null);

describe('the service dashboard', () => {
  it('draws the workbook tiers of a 30-day SLO as burn-rate lines at 1, 3, 6 and 14.4', () => {
    expect(lines(panel(panels(aService()), 'Burn rate per alert window'))).toEqual([1, 3, 6, 14.4]);
  });

  it('scales the factors to the SLO window: 2% of a 7-day budget in 1h is a burn rate of 3.36', () => {
    const service = aService({
      slos: [{ window: { kind: 'rolling', duration: '7d', seconds: 7 * 86_400 } }],
    });
    expect(lines(panel(panels(service), 'Burn rate per alert window'))).toEqual([
      0.233333333333, 0.7, 1.4, 3.36,
    ]);
  });

  it("prefers the SLO's own tiers to the catalog defaults", () => {
    const service = aService({
      slos: [
        {
          alerting: {
            tiers: [{ severity: 'page', longWindow: '12h', shortWindow: '1h', budgetPercent: 10 }],
          },
        },
      ],
    });
    const burn = panel(panels(service), 'Burn rate per alert window');
    expect(lines(burn)).toEqual([6]);
    expect(burn.targets!.map((t) => t.legendFormat)).toEqual(['1h', '12h']);
    expect(burn.description).toBe('Lines: page at 6x (12h/1h).');
  });

  it('plots every alert window, shortest first, as the error ratio over the budget', () => {
    const burn = panel(panels(aService()), 'Burn rate per alert window');
    expect(burn.targets!.map((t) => t.legendFormat)).toEqual(['5m', '30m', '1h', '2h', '6h', '1d', '3d']);
    expect(burn.targets![0]!.expr).toBe(
      'slo:sli_error:ratio{service="checkout", slo="availability", window="5m"} / 0.001',
    );
  });

  it('budgets a calendar-month SLO over the month so far: the panel range starts on the 1st', () => {
    const all = panels(aService({ slos: [{ objective: 99, window: { kind: 'calendar', unit: 'month' } }] }));
    const budget = panel(all, 'Error budget left (month to date)') as Panel & { timeFrom?: string };
    expect(budget.timeFrom).toBe('now/M');
    expect(budget.targets![0]!.expr).toContain('[$__range]');
    expect(
      (panel(all, 'Error budget burn-down (rolling 30d)') as Panel & { timeFrom?: string }).timeFrom,
    ).toBe('now/M');
  });

  it('budgets a rolling SLO over its own window', () => {
    const all = panels(
      aService({
        slos: [{ objective: 99, window: { kind: 'rolling', duration: '28d', seconds: 28 * 86_400 } }],
      }),
    );
    expect(panel(all, 'Error budget left (28d)').targets![0]!.expr).toBe(
      '1 - slo:sli_error:ratio{service="checkout", slo="availability", window="28d"} / 0.01',
    );
  });

  it('says when burn-rate alerting is off and draws no lines', () => {
    const off = { enabled: false, severityLabel: 'x', labels: {}, annotations: {} };
    const burn = panel(
      panels(aService({ slos: [{ alerting: { page: off, ticket: off } }] })),
      'Burn rate per alert window',
    );
    expect(lines(burn)).toEqual([]);
    expect(burn.description).toBe('Burn-rate alerts are off for this SLO.');
  });

  it('marks latency SLO thresholds on the latency panel', () => {
    const service = aService({ slos: [{ name: 'fast', sli: SLI_OF_EVERY_KIND.latency }] });
    expect(lines(panel(panels(service), 'Latency'))).toEqual([0.3]);
  });

  it('reads classic Prometheus client metric names when the service uses them', () => {
    const service = aService({
      telemetry: { prometheus: { matchers: 'job="ledger"', convention: 'classic' } },
    });
    const all = panels(service);
    expect(panel(all, 'Request rate').targets![0]!.expr).toBe(
      'sum by (code) (rate(http_requests_total{job="ledger"}[$__rate_interval]))',
    );
    expect(panel(all, 'Latency').targets![2]!.expr).toBe(
      'histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket{job="ledger"}[$__rate_interval])))',
    );
  });

  it('has no RED panels for a service without an HTTP server', () => {
    const titles = panels(aService({ telemetry: { prometheus: { matchers: '', convention: 'none' } } })).map(
      (p) => p.title,
    );
    expect(titles).not.toContain('Request rate');
    expect(titles).toContain('SLI now (5m)');
  });

  it('shows slow and failing traces and error logs from the service telemetry', () => {
    const all = panels(aService());
    expect(panel(all, 'Slow traces (over 1s)').targets![0]).toMatchObject({
      query: '{resource.service.name="checkout" && duration > 1s}',
    });
    expect(panel(all, 'Failing traces').targets![0]).toMatchObject({
      query: '{resource.service.name="checkout" && status=error}',
    });
    expect(panel(all, 'Error logs').targets![0]!.expr).toBe(
      '{service_name="checkout"} | detected_level="error"',
    );
  });
});

describe('burnRateLines', () => {
  it('keeps one line per factor, red when any page tier has it', () => {
    expect(
      burnRateLines([
        { severity: 'ticket', factor: 6 },
        { severity: 'page', factor: 6 },
        { severity: 'ticket', factor: 1 },
      ]),
    ).toEqual([
      { value: null, color: 'green' },
      { value: 1, color: 'orange' },
      { value: 6, color: 'red' },
    ]);
  });
});

describe('every generated dashboard', () => {
  it('names and units its table columns, never showing Grafana’s `Value #A`', async () => {
    const { generateDashboards } = await import('../index.js');
    const boards = generateDashboards(aCatalog([aService()]), { grafanaUrl: 'http://g' })
      .filter((f) => f.path.endsWith('.json'))
      .map(
        (f) =>
          JSON.parse(f.content) as {
            panels: (Panel & {
              transformations?: { id: string; options: { renameByName?: Record<string, string> } }[];
              fieldConfig?: { overrides?: unknown[] };
            })[];
          },
      );
    const tables = boards
      .flatMap((b) => b.panels)
      .filter((p) => p.type === 'table' && p.targets?.some((t) => t.expr));
    expect(tables.length).toBeGreaterThan(0);
    for (const table of tables) {
      const renames = table.transformations?.find((t) => t.id === 'organize')?.options.renameByName ?? {};
      expect(Object.keys(renames).sort(), table.title).toEqual(
        table.targets!.map((_, i) => `Value #${String.fromCharCode(65 + i)}`).sort(),
      );
      expect(
        Object.values(renames).every((name) => /^[A-Z]/.test(name)),
        table.title,
      ).toBe(true);
      expect(table.fieldConfig?.overrides?.length, table.title).toBe(table.targets!.length);
    }
  });
});
