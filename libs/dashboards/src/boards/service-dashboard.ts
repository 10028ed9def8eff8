import type { Catalog, Service, Slo } from '@burnrate/catalog';
import { serviceDashboardUid, teamDashboardUid } from '@burnrate/catalog';
import type * as cog from '@grafana/grafana-foundation-sdk/cog';
import type * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import * as units from '@grafana/grafana-foundation-sdk/units';
import { alertPolicy, formatDecimal, formatDuration, policyWindows } from '@burnrate/slo';
import type { ResolvedDashboardsOptions } from '../options.js';
import type { DatasourceKind, DatasourceRefs } from '../panels/datasources.util.js';
import { dashboardLink, exploreUrl, link } from '../panels/links.util.js';
import {
  alertsFiringStat,
  logsPanel,
  rowPanel,
  statPanel,
  timeseriesPanel,
  tracesPanel,
  type PanelContext,
} from '../panels/panels.js';
import { periodWindow, redQueries, sloQueries, sloSelector } from '../panels/queries.util.js';
import { narrow } from '../panels/traceql.util.js';
import { baseDashboard, panelContext } from './base-dashboard.js';

/** One service: RED overview, a row per SLO, error logs and traces, all linked to Tempo and Loki. */
export function serviceDashboard(
  catalog: Catalog,
  service: Service,
  options: ResolvedDashboardsOptions,
): dashboard.DashboardBuilder {
  const { prometheus: prom, loki, tempo } = service.telemetry;
  const kinds: DatasourceKind[] = [
    'prometheus',
    ...(loki ? ['loki' as const] : []),
    ...(tempo ? ['tempo' as const] : []),
  ];
  const ctx: PanelContext = panelContext(options);
  ctx.links.push(...panelLinks(service, ctx.ds));
  const board = baseDashboard(
    {
      title: `${service.name} · service`,
      uid: serviceDashboardUid(service.team, service.name),
      tags: ['burnrate', `team:${service.team}`, `service:${service.name}`],
      datasources: kinds,
    },
    options,
  );
  if (service.description) board.description(service.description);
  if (service.runbook) board.link(link('Runbook', service.runbook).icon('doc'));
  board.link(dashboardLink(`Team ${service.team}`, `/d/${teamDashboardUid(service.team)}`).icon('dashboard'));
  for (const extra of service.links) board.link(link(extra.title, extra.url).icon('external link'));

  if (prom && prom.convention !== 'none') {
    const red = redQueries(prom.matchers, prom.convention);
    const latencySlos = service.slos.filter(
      (s): s is Slo & { sli: { kind: 'latency' } } => s.sli.kind === 'latency',
    );
    board.withRow(rowPanel(ctx, 'Requests, errors, duration'));
    board.withPanel(
      timeseriesPanel(ctx, {
        title: 'Request rate',
        w: 8,
        unit: units.RequestsPerSecond,
        targets: [{ expr: red.rateByStatus, legend: `{{${red.statusLabel}}}` }],
      }),
    );
    board.withPanel(
      timeseriesPanel(ctx, {
        title: 'Error ratio (5xx)',
        w: 8,
        unit: units.PercentUnit,
        min: 0,
        targets: [{ expr: red.errorRatio, legend: 'errors' }],
      }),
    );
    board.withPanel(
      timeseriesPanel(ctx, {
        title: 'Latency',
        description: [
          'Exemplars link the slow requests to their traces in Tempo.',
          ...latencySlos.map(
            (s) =>
              `Line: SLO ${s.name} counts requests up to ${formatDecimal(s.sli.thresholdSeconds)}s as good.`,
          ),
        ].join(' '),
        w: 8,
        unit: units.Seconds,
        targets: [0.5, 0.9, 0.99].map((q) => ({
          expr: red.quantile(q),
          legend: `p${q * 100}`,
          exemplar: true,
        })),
        ...(latencySlos.length > 0
          ? { lines: latencyLines(latencySlos.map((s) => s.sli.thresholdSeconds)) }
          : {}),
      }),
    );
  }

  for (const slo of service.slos) sloRow(ctx, board, slo, catalog);

  if (loki || tempo) board.withRow(rowPanel(ctx, 'Logs and traces'));
  if (tempo) {
    board.withPanel(tracesPanel(ctx, 'Slow traces (over 1s)', narrow(tempo.query, 'duration > 1s'), 12));
    board.withPanel(tracesPanel(ctx, 'Failing traces', narrow(tempo.query, 'status=error'), 12));
  }
  if (loki) board.withPanel(logsPanel(ctx, 'Error logs', `${loki.selector} ${loki.errorFilter}`));
  return board;
}

/**
 * SLI now, budget left, burn rate now and firing alerts on one line; then the burn rate per alert
 * window against the tier factors, beside the budget burn-down over the SLO period.
 */
function sloRow(ctx: PanelContext, board: dashboard.DashboardBuilder, slo: Slo, catalog: Catalog): void {
  const policy = alertPolicy(slo, catalog.defaults.tiers);
  const q = sloQueries(slo, policy.budget);
  const tiers = policy.tiers;
  const lines = burnRateLines(tiers);
  const period = slo.window.kind === 'calendar' ? 'the calendar month' : slo.window.duration;
  board.withRow(rowPanel(ctx, `SLO ${slo.name}: ${formatDecimal(slo.objective)}% over ${period}`));
  board.withPanel(
    statPanel(ctx, {
      title: 'SLI now (5m)',
      description: slo.description ?? `Share of good events for ${slo.name}.`,
      w: 6,
      unit: units.PercentUnit,
      decimals: 3,
      expr: q.sliNow,
      steps: [
        { value: null, color: 'red' },
        { value: slo.objective / 100, color: 'green' },
      ],
    }),
  );
  const calendar = slo.window.kind === 'calendar';
  board.withPanel(
    calendar
      ? // A calendar month's budget is the month's so far: the panel's range starts on the 1st.
        statPanel(ctx, {
          title: 'Error budget left (month to date)',
          w: 6,
          unit: units.PercentUnit,
          decimals: 1,
          expr: q.budgetRemainingInRange,
          steps: BUDGET_STEPS,
          timeFrom: 'now/M',
        })
      : statPanel(ctx, {
          title: `Error budget left (${periodWindow(slo)})`,
          w: 6,
          unit: units.PercentUnit,
          decimals: 1,
          expr: q.budgetRemaining,
          steps: BUDGET_STEPS,
        }),
  );
  board.withPanel(
    statPanel(ctx, {
      title: 'Burn rate now (1h)',
      w: 6,
      unit: 'x',
      decimals: 2,
      expr: q.burnRate('1h'),
      steps: lines,
    }),
  );
  board.withPanel(alertsFiringStat(ctx, 'Burn-rate alerts firing', sloSelector(slo)));
  // Disabled alerting leaves no tiers: the panel then shows the usual windows without lines.
  const windows = tiers.length > 0 ? policyWindows(policy).map(formatDuration) : ['5m', '1h', '6h', '1d'];
  board.withPanel(
    timeseriesPanel(ctx, {
      title: 'Burn rate per alert window',
      description:
        tiers.length > 0
          ? `Lines: ${tiers.map((t) => `${t.severity} at ${formatDecimal(Number(t.factor.toPrecision(3)))}x (${t.longWindow}/${t.shortWindow})`).join(', ')}.`
          : 'Burn-rate alerts are off for this SLO.',
      w: 12,
      unit: 'x',
      min: 0,
      targets: windows.map((w) => ({ expr: q.burnRate(w), legend: w })),
      lines,
    }),
  );
  board.withPanel(
    timeseriesPanel(ctx, {
      title: calendar ? 'Error budget burn-down (rolling 30d)' : 'Error budget burn-down',
      description: calendar
        ? 'Budget left over the last 30 days, shown over the month so far; the month-to-date budget is the stat beside it.'
        : `Budget left over the ${periodWindow(slo)} period, shown over that period.`,
      w: 12,
      unit: units.PercentUnit,
      max: 1,
      timeFrom: calendar ? 'now/M' : periodWindow(slo),
      targets: [{ expr: q.budgetRemaining, legend: 'budget left' }],
    }),
  );
}

const BUDGET_STEPS = [
  { value: null, color: 'red' },
  { value: 0, color: 'orange' },
  { value: 0.25, color: 'green' },
];

/** One threshold line per distinct tier factor: pages red, tickets orange. */
export function burnRateLines(
  tiers: { severity: string; factor: number }[],
): { value: number | null; color: string }[] {
  const factors = new Map<number, string>();
  for (const tier of tiers)
    if (factors.get(tier.factor) !== 'red')
      factors.set(tier.factor, tier.severity === 'page' ? 'red' : 'orange');
  return [
    { value: null, color: 'green' },
    ...[...factors].sort(([a], [b]) => a - b).map(([value, color]) => ({ value, color })),
  ];
}

const latencyLines = (thresholds: number[]) => [
  { value: null, color: 'green' },
  ...[...new Set(thresholds)].sort((a, b) => a - b).map((value) => ({ value, color: 'orange' })),
];

/** Every panel of a service links to its traces in Tempo and its error logs in Loki. */
function panelLinks(service: Service, ds: DatasourceRefs): cog.Builder<dashboard.DashboardLink>[] {
  const links: cog.Builder<dashboard.DashboardLink>[] = [];
  const { tempo, loki } = service.telemetry;
  if (tempo) {
    links.push(
      link(
        `Traces of ${service.name} (Tempo)`,
        exploreUrl(ds.tempo, { queryType: 'traceql', query: tempo.query, limit: 20, tableType: 'traces' }),
      ),
    );
  }
  if (loki)
    links.push(
      link(
        `Error logs of ${service.name} (Loki)`,
        exploreUrl(ds.loki, { expr: `${loki.selector} ${loki.errorFilter}` }),
      ),
    );
  return links;
}
