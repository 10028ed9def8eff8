import { OVERVIEW_DASHBOARD_UID, SLO_DETAIL_DASHBOARD_UID } from '@burnrate/catalog';
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import * as units from '@grafana/grafana-foundation-sdk/units';
import { LABEL, SERIES } from '@burnrate/slo';
import type { ResolvedDashboardsOptions } from '../options.js';
import { dashboardLink } from '../panels/links.util.js';
import {
  alertsFiringStat,
  rowPanel,
  statPanel,
  timeseriesPanel,
  type PanelContext,
} from '../panels/panels.js';
import { baseDashboard, panelContext } from './base-dashboard.js';
import { budgetLeftPerSlo } from './slo-table.js';

const WINDOWS = ['5m', '30m', '1h', '2h', '6h', '1d', '3d'];

/** Any one SLO, picked with `service` and `slo` variables read from the recorded series. */
export function sloDetailDashboard(options: ResolvedDashboardsOptions): dashboard.DashboardBuilder {
  const ctx: PanelContext = panelContext(options);
  const ds = ctx.ds.prometheus;
  const sel = `${LABEL.service}="$service", ${LABEL.slo}="$slo"`;
  const budget = `on (service, slo) group_left () (1 - ${SERIES.objective}{${sel}})`;
  const board = baseDashboard(
    {
      title: 'Burnrate · SLO detail',
      uid: SLO_DETAIL_DASHBOARD_UID,
      tags: ['burnrate'],
      datasources: ['prometheus'],
    },
    options,
  )
    .link(dashboardLink('Platform overview', `/d/${OVERVIEW_DASHBOARD_UID}`).icon('dashboard'))
    .withVariable(
      new dashboard.QueryVariableBuilder('service')
        .label('Service')
        .datasource(ds)
        .query(`label_values(${SERIES.objective}, ${LABEL.service})`)
        .refresh(dashboard.VariableRefresh.OnTimeRangeChanged)
        .sort(dashboard.VariableSort.AlphabeticalAsc),
    )
    .withVariable(
      new dashboard.QueryVariableBuilder('slo')
        .label('SLO')
        .datasource(ds)
        .query(`label_values(${SERIES.objective}{${LABEL.service}="$service"}, ${LABEL.slo})`)
        .refresh(dashboard.VariableRefresh.OnTimeRangeChanged)
        .sort(dashboard.VariableSort.AlphabeticalAsc),
    );
  board.withRow(rowPanel(ctx, '$service / $slo'));
  board.withPanel(
    statPanel(ctx, {
      title: 'Objective',
      w: 6,
      unit: units.PercentUnit,
      decimals: 3,
      expr: `max(${SERIES.objective}{${sel}})`,
      steps: [{ value: null, color: 'blue' }],
    }),
  );
  board.withPanel(
    statPanel(ctx, {
      title: 'SLI now (5m)',
      w: 6,
      unit: units.PercentUnit,
      decimals: 3,
      expr: `1 - max(${SERIES.errorRatio}{${sel}, ${LABEL.window}="5m"})`,
      steps: [{ value: null, color: 'blue' }],
    }),
  );
  board.withPanel(
    statPanel(ctx, {
      title: 'Error budget left',
      w: 6,
      unit: units.PercentUnit,
      decimals: 1,
      expr: `max(${budgetLeftPerSlo(sel)})`,
      steps: [
        { value: null, color: 'red' },
        { value: 0, color: 'orange' },
        { value: 0.25, color: 'green' },
      ],
    }),
  );
  board.withPanel(alertsFiringStat(ctx, 'Alerts firing', sel));
  board.withPanel(
    timeseriesPanel(ctx, {
      title: 'Burn rate per window',
      w: 24,
      unit: 'x',
      min: 0,
      targets: WINDOWS.map((w) => ({
        expr: `${SERIES.errorRatio}{${sel}, ${LABEL.window}="${w}"} / ${budget}`,
        legend: w,
      })),
      // Any SLO can be picked here, so only the line every SLO shares is drawn: at 1x the budget
      // lasts exactly its period. Each SLO's own tier factors are drawn on its service dashboard.
      description:
        "1x spends the budget in exactly the SLO's period. The alert tiers of this SLO are drawn on its service dashboard.",
      lines: [
        { value: null, color: 'green' },
        { value: 1, color: 'orange' },
      ],
    }),
  );
  board.withPanel(
    timeseriesPanel(ctx, {
      title: 'Error budget left over the period',
      w: 12,
      unit: units.PercentUnit,
      max: 1,
      targets: [{ expr: budgetLeftPerSlo(sel), legend: 'budget left' }],
    }),
  );
  board.withPanel(
    timeseriesPanel(ctx, {
      title: 'Events per second',
      w: 12,
      unit: units.OpsPerSecond,
      targets: [
        { expr: `${SERIES.totalRate5m}{${sel}}`, legend: 'all' },
        { expr: `${SERIES.errorRate5m}{${sel}}`, legend: 'errors' },
      ],
    }),
  );
  return board;
}
