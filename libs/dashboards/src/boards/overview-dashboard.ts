import type { Catalog } from '@burnrate/catalog';
import { COST_DASHBOARD_UID, OVERVIEW_DASHBOARD_UID, SLO_DETAIL_DASHBOARD_UID, teamDashboardUid } from '@burnrate/catalog';
import type * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import * as units from '@grafana/grafana-foundation-sdk/units';
import { LABEL, SERIES } from '@burnrate/slo';
import type { ResolvedDashboardsOptions } from '../options.js';
import { Grid } from '../panels/layout.util.js';
import { dashboardLink } from '../panels/links.util.js';
import { alertsFiringStat, rowPanel, statPanel, tablePanel, timeseriesPanel, type PanelContext } from '../panels/panels.js';
import { baseDashboard } from './base-dashboard.js';
import { budgetLeftPerSlo } from './slo-table.js';

/** All teams at a glance: SLO counts, firing alerts, worst budgets, one line per team. */
export function overviewDashboard(catalog: Catalog, options: ResolvedDashboardsOptions): dashboard.DashboardBuilder {
  const ctx: PanelContext = { grid: new Grid(), ds: options.datasources, links: [] };
  const board = baseDashboard('Burnrate · platform overview', OVERVIEW_DASHBOARD_UID, ['burnrate']);
  board.link(dashboardLink('SLO detail', `/d/${SLO_DETAIL_DASHBOARD_UID}`).icon('dashboard'));
  board.link(dashboardLink('Cost', `/d/${COST_DASHBOARD_UID}`).icon('dashboard'));
  for (const team of catalog.teams) board.link(dashboardLink(`Team ${team.name}`, `/d/${teamDashboardUid(team.name)}`).icon('dashboard'));
  const budgetLeft = (by: string) => `min by (${by}) (${budgetLeftPerSlo()})`;
  board.withRow(rowPanel(ctx, 'Platform'));
  board.withPanel(statPanel(ctx, { title: 'Teams', w: 6, unit: units.Short, expr: `count(count by (team) (${SERIES.objective}))`, steps: [{ value: null, color: 'blue' }] }));
  board.withPanel(statPanel(ctx, { title: 'SLOs', w: 6, unit: units.Short, expr: `count(${SERIES.objective})`, steps: [{ value: null, color: 'blue' }] }));
  board.withPanel(alertsFiringStat(ctx, 'Pages firing', `${LABEL.severity}="page", ${LABEL.slo}!=""`));
  board.withPanel(alertsFiringStat(ctx, 'Tickets open', `${LABEL.severity}="ticket", ${LABEL.slo}!=""`, 'orange'));
  board.withPanel(
    tablePanel(ctx, {
      title: 'Teams',
      w: 24,
      h: 4 + catalog.teams.length,
      merge: true,
      targets: [
        { expr: `count by (team) (${SERIES.objective})`, legend: 'SLOs' },
        { expr: budgetLeft('team'), legend: 'worst budget left' },
        { expr: `count by (team) (ALERTS{alertstate="firing", ${LABEL.slo}!=""})`, legend: 'alerts firing' },
      ],
    }),
  );
  board.withPanel(
    timeseriesPanel(ctx, {
      title: 'Worst error budget left per team',
      w: 24,
      unit: units.PercentUnit,
      max: 1,
      targets: [{ expr: budgetLeft('team'), legend: '{{team}}' }],
    }),
  );
  return board;
}
