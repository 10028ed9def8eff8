import type { Catalog } from '@burnrate/catalog';
import {
  COST_DASHBOARD_UID,
  OVERVIEW_DASHBOARD_UID,
  SLO_DETAIL_DASHBOARD_UID,
  teamDashboardUid,
} from '@burnrate/catalog';
import type * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import * as units from '@grafana/grafana-foundation-sdk/units';
import { LABEL, SERIES } from '@burnrate/slo';
import type { ResolvedDashboardsOptions } from '../options.js';
import { dashboardLink } from '../panels/links.util.js';
import {
  alertsFiringStat,
  rowPanel,
  statPanel,
  tableHeight,
  tablePanel,
  timeseriesPanel,
  type PanelContext,
} from '../panels/panels.js';
import { baseDashboard, panelContext } from './base-dashboard.js';
import { budgetLeftPerSlo } from './slo-table.js';

/** All teams at a glance: SLO counts, firing alerts, worst budgets, one line per team. */
export function overviewDashboard(
  catalog: Catalog,
  options: ResolvedDashboardsOptions,
): dashboard.DashboardBuilder {
  const ctx: PanelContext = panelContext(options);
  const board = baseDashboard(
    {
      title: 'Burnrate · platform overview',
      uid: OVERVIEW_DASHBOARD_UID,
      tags: ['burnrate'],
      datasources: ['prometheus'],
    },
    options,
  );
  board.link(dashboardLink('SLO detail', `/d/${SLO_DETAIL_DASHBOARD_UID}`).icon('dashboard'));
  board.link(dashboardLink('Cost', `/d/${COST_DASHBOARD_UID}`).icon('dashboard'));
  const teams = [...new Set(catalog.services.map((s) => s.team))].sort();
  for (const team of teams)
    board.link(dashboardLink(`Team ${team}`, `/d/${teamDashboardUid(team)}`).icon('dashboard'));
  const budgetLeft = (by: string) => `min by (${by}) (${budgetLeftPerSlo()})`;
  board.withRow(rowPanel(ctx, 'Platform'));
  board.withPanel(
    statPanel(ctx, {
      title: 'Teams',
      w: 6,
      unit: units.Short,
      expr: `count(count by (team) (${SERIES.objective}))`,
      steps: [{ value: null, color: 'blue' }],
    }),
  );
  board.withPanel(
    statPanel(ctx, {
      title: 'SLOs',
      w: 6,
      unit: units.Short,
      expr: `count(${SERIES.objective})`,
      steps: [{ value: null, color: 'blue' }],
    }),
  );
  board.withPanel(alertsFiringStat(ctx, 'Pages firing', `${LABEL.severity}="page", ${LABEL.slo}!=""`));
  board.withPanel(
    alertsFiringStat(ctx, 'Tickets open', `${LABEL.severity}="ticket", ${LABEL.slo}!=""`, 'orange'),
  );
  board.withPanel(
    tablePanel(ctx, {
      title: 'Teams',
      w: 24,
      h: tableHeight(teams.length),
      merge: true,
      targets: [
        { expr: `count by (team) (${SERIES.objective})`, legend: 'SLOs', unit: units.Short, decimals: 0 },
        { expr: budgetLeft('team'), legend: 'Worst budget left', unit: units.PercentUnit, decimals: 1 },
        {
          expr: `count by (team) (ALERTS{alertstate="firing", ${LABEL.slo}!=""})`,
          legend: 'Alerts firing',
          unit: units.Short,
          decimals: 0,
        },
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
