import { COST_DASHBOARD_UID, OVERVIEW_DASHBOARD_UID } from '@burnrate/catalog';
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import * as units from '@grafana/grafana-foundation-sdk/units';
import type { ResolvedDashboardsOptions } from '../options.js';
import { dashboardLink } from '../panels/links.util.js';
import { rowPanel, sqlPanel, type PanelContext } from '../panels/panels.js';
import { baseDashboard, panelContext } from './base-dashboard.js';

// Rows without a team are the unallocated share: shown, never dropped.
const TEAM = "COALESCE(team, 'unallocated')";
const IN_RANGE = 'charge_period_start >= $__timeFrom()::date AND charge_period_start < $__timeTo()::date';
const IN_CURRENCY = "currency = '$currency'";

/** Spend from the normalised `cost_line` table, through Grafana's PostgreSQL data source. */
export function costDashboard(options: ResolvedDashboardsOptions): dashboard.DashboardBuilder {
  const ctx: PanelContext = panelContext(options);
  const board = baseDashboard(
    {
      title: 'Burnrate · cost',
      uid: COST_DASHBOARD_UID,
      tags: ['burnrate', 'cost'],
      datasources: ['postgres'],
    },
    options,
  )
    .time({ from: 'now-90d', to: 'now' })
    .refresh('1h')
    .link(dashboardLink('Platform overview', `/d/${OVERVIEW_DASHBOARD_UID}`).icon('dashboard'))
    .withVariable(
      new dashboard.QueryVariableBuilder('team')
        .label('Team')
        .datasource(ctx.ds.postgres)
        .query(`SELECT DISTINCT ${TEAM} FROM cost_line ORDER BY 1`)
        .includeAll(true)
        .multi(true)
        .allValue("'__all__'")
        .refresh(dashboard.VariableRefresh.OnDashboardLoad),
    )
    // Money in two currencies never adds up: every sum is of one currency, picked here.
    .withVariable(
      new dashboard.QueryVariableBuilder('currency')
        .label('Currency')
        .datasource(ctx.ds.postgres)
        .query('SELECT currency FROM cost_line GROUP BY currency ORDER BY SUM(billed_cost) DESC')
        .refresh(dashboard.VariableRefresh.OnDashboardLoad),
    );
  const teamFilter = `('__all__' IN ($team) OR ${TEAM} IN ($team)) AND ${IN_CURRENCY}`;
  board.withRow(rowPanel(ctx, 'Spend'));
  board.withPanel(
    sqlPanel(ctx, {
      title: 'Spend in range ($currency)',
      kind: 'stat',
      w: 8,
      h: 5,
      decimals: 2,
      sql: `SELECT SUM(billed_cost) AS spend FROM cost_line WHERE ${IN_RANGE} AND ${teamFilter}`,
    }),
  );
  board.withPanel(
    sqlPanel(ctx, {
      title: 'Unallocated share',
      kind: 'stat',
      w: 8,
      h: 5,
      unit: units.PercentUnit,
      decimals: 1,
      sql: `SELECT COALESCE(SUM(billed_cost) FILTER (WHERE team IS NULL) / NULLIF(SUM(billed_cost), 0), 0) AS unallocated FROM cost_line WHERE ${IN_RANGE} AND ${IN_CURRENCY}`,
    }),
  );
  board.withPanel(
    sqlPanel(ctx, {
      title: 'Week over week ($currency)',
      kind: 'table',
      w: 8,
      h: 6,
      decimals: 2,
      sql: `WITH weekly AS (SELECT ${TEAM} AS team, date_trunc('week', charge_period_start) AS week, SUM(billed_cost) AS spend FROM cost_line WHERE charge_period_start >= date_trunc('week', now()) - interval '7 days' AND ${teamFilter} GROUP BY 1, 2), per_team AS (SELECT team, SUM(spend) FILTER (WHERE week = date_trunc('week', now())) AS this_week, SUM(spend) FILTER (WHERE week < date_trunc('week', now())) AS last_week FROM weekly GROUP BY team) SELECT team, this_week, last_week, ROUND(100 * (COALESCE(this_week, 0) - last_week) / NULLIF(last_week, 0), 1) AS change_percent FROM per_team ORDER BY this_week DESC NULLS LAST`,
    }),
  );
  board.withPanel(
    sqlPanel(ctx, {
      title: 'Daily spend by team ($currency)',
      kind: 'timeseries',
      w: 24,
      h: 9,
      decimals: 2,
      sql: `SELECT charge_period_start::timestamp AS time, ${TEAM} AS metric, SUM(billed_cost) AS spend FROM cost_line WHERE ${IN_RANGE} AND ${teamFilter} GROUP BY 1, 2 ORDER BY 1`,
    }),
  );
  board.withPanel(
    sqlPanel(ctx, {
      title: 'Spend by service ($currency)',
      kind: 'table',
      w: 24,
      h: 10,
      decimals: 2,
      sql: `SELECT ${TEAM} AS team, service_name AS service, currency, SUM(billed_cost) AS spend FROM cost_line WHERE ${IN_RANGE} AND ${teamFilter} GROUP BY 1, 2, 3 ORDER BY spend DESC LIMIT 100`,
    }),
  );
  return board;
}
