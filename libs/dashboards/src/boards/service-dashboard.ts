import type { Catalog, Service } from '@burnrate/catalog';
import { serviceDashboardUid, teamDashboardUid } from '@burnrate/catalog';
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import * as units from '@grafana/grafana-foundation-sdk/units';
import { alertPolicy, formatDecimal } from '@burnrate/slo';
import type { ResolvedDashboardsOptions } from '../options.js';
import { Grid } from '../panels/layout.util.js';
import { dashboardLink, exploreUrl, link } from '../panels/links.util.js';
import { logsPanel, rowPanel, statPanel, timeseriesPanel, tracesPanel, type PanelContext } from '../panels/panels.js';
import { periodWindow, redQueries, sloQueries } from '../panels/queries.util.js';
import { baseDashboard } from './base-dashboard.js';

/** One service: RED overview, a row per SLO, error logs and traces, all linked to Tempo and Loki. */
export function serviceDashboard(catalog: Catalog, service: Service, options: ResolvedDashboardsOptions): dashboard.DashboardBuilder {
  const ds = options.datasources;
  const links = panelLinks(service, ds);
  const ctx: PanelContext = { grid: new Grid(), ds, links };
  const board = baseDashboard(`${service.name} · service`, serviceDashboardUid(service.team, service.name), [
    'burnrate',
    `team:${service.team}`,
    `service:${service.name}`,
  ]);
  if (service.description) board.description(service.description);
  if (service.runbook) board.link(link('Runbook', service.runbook).icon('doc'));
  board.link(dashboardLink(`Team ${service.team}`, `/d/${teamDashboardUid(service.team)}`).icon('dashboard'));
  for (const extra of service.links) board.link(link(extra.title, extra.url).icon('external link'));

  const prom = service.telemetry.prometheus;
  if (prom && prom.convention !== 'none') {
    const red = redQueries(prom.matchers, prom.convention);
    board.withRow(rowPanel(ctx, 'Requests, errors, duration'));
    board.withPanel(timeseriesPanel(ctx, { title: 'Request rate', w: 8, unit: units.RequestsPerSecond, targets: [{ expr: red.rateByStatus, legend: '{{' + (prom.convention === 'classic' ? 'code' : 'http_response_status_code') + '}}' }] }));
    board.withPanel(timeseriesPanel(ctx, { title: 'Error ratio (5xx)', w: 8, unit: units.PercentUnit, min: 0, targets: [{ expr: red.errorRatio, legend: 'errors' }] }));
    board.withPanel(
      timeseriesPanel(ctx, {
        title: 'Latency',
        description: 'Exemplars link the slow requests to their traces in Tempo.',
        w: 8,
        unit: units.Seconds,
        targets: [0.5, 0.9, 0.99].map((q) => ({ expr: red.quantile(q), legend: `p${q * 100}`, exemplar: true })),
      }),
    );
  }

  for (const slo of service.slos) {
    const policy = alertPolicy(slo, catalog.defaults.tiers);
    const q = sloQueries(slo, policy.budget);
    const objective = slo.objective / 100;
    board.withRow(rowPanel(ctx, `SLO ${slo.name}: ${formatDecimal(slo.objective)}% over ${slo.window.kind === 'calendar' ? 'the calendar month' : slo.window.duration}`));
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
          { value: objective, color: 'green' },
        ],
      }),
    );
    board.withPanel(
      statPanel(ctx, {
        title: `Error budget left (${periodWindow(slo)})`,
        w: 6,
        unit: units.PercentUnit,
        decimals: 1,
        expr: q.budgetRemaining,
        steps: [
          { value: null, color: 'red' },
          { value: 0, color: 'orange' },
          { value: 0.25, color: 'green' },
        ],
      }),
    );
    const windows = [...new Set(policy.tiers.flatMap((t) => [t.shortWindow, t.longWindow]))];
    board.withPanel(
      timeseriesPanel(ctx, {
        title: 'Burn rate per alert window',
        description: `Lines: ${policy.tiers.map((t) => `${t.severity} at ${formatDecimal(t.factor)}x (${t.longWindow}/${t.shortWindow})`).join(', ')}.`,
        w: 12,
        h: 8,
        unit: 'x',
        min: 0,
        targets: windows.map((w) => ({ expr: q.burnRate(w), legend: w })),
        lines: [{ value: null, color: 'green' }, ...[...new Set(policy.tiers.map((t) => t.factor))].sort((a, b) => a - b).map((f) => ({ value: f, color: f >= 6 ? 'red' : 'orange' }))],
      }),
    );
    board.withPanel(
      timeseriesPanel(ctx, {
        title: 'Error budget burn-down',
        w: 24,
        h: 7,
        unit: units.PercentUnit,
        max: 1,
        timeFrom: periodWindow(slo),
        targets: [{ expr: q.budgetRemaining, legend: 'budget left' }],
      }),
    );
  }

  const loki = service.telemetry.loki;
  const tempo = service.telemetry.tempo;
  if (loki || tempo) board.withRow(rowPanel(ctx, 'Logs and traces'));
  if (tempo) {
    board.withPanel(tracesPanel(ctx, 'Slow traces (over 1s)', narrow(tempo.query, 'duration > 1s'), 12));
    board.withPanel(tracesPanel(ctx, 'Failing traces', narrow(tempo.query, 'status=error'), 12));
  }
  if (loki) board.withPanel(logsPanel(ctx, 'Error logs', `${loki.selector} ${loki.errorFilter}`));
  return board;
}

/** Every panel of a service links to its traces in Tempo and its error logs in Loki. */
function panelLinks(service: Service, ds: ResolvedDashboardsOptions['datasources']): dashboard.DashboardLinkBuilder[] {
  const links: dashboard.DashboardLinkBuilder[] = [];
  const tempo = service.telemetry.tempo;
  const loki = service.telemetry.loki;
  if (tempo) {
    links.push(link(`Traces of ${service.name} (Tempo)`, exploreUrl({ type: 'tempo', uid: ds.tempo }, { queryType: 'traceql', query: tempo.query, limit: 20 })));
    links.push(link('Failing traces (Tempo)', exploreUrl({ type: 'tempo', uid: ds.tempo }, { queryType: 'traceql', query: narrow(tempo.query, 'status=error'), limit: 20 })));
  }
  if (loki) links.push(link(`Error logs of ${service.name} (Loki)`, exploreUrl({ type: 'loki', uid: ds.loki }, { expr: `${loki.selector} ${loki.errorFilter}` })));
  return links;
}

/** Adds a condition to a TraceQL selector: inside its braces when it is one spanset, else as a second spanset. */
export const narrow = (query: string, condition: string): string =>
  /^\{[^{}]*\}$/.test(query.trim()) ? query.trim().replace(/\}$/, ` && ${condition}}`) : `${query} && {${condition}}`;
