import type { Catalog, Team } from '@burnrate/catalog';
import { OVERVIEW_DASHBOARD_UID, serviceDashboardUid, teamDashboardUid } from '@burnrate/catalog';
import type * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
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
import { sloTable } from './slo-table.js';

/** A team: every SLO with its status and budget left, and links to each service. */
export function teamDashboard(
  catalog: Catalog,
  team: Team,
  options: ResolvedDashboardsOptions,
): dashboard.DashboardBuilder {
  const services = catalog.services.filter((s) => s.team === team.name);
  const slos = services.flatMap((s) => s.slos);
  const ctx: PanelContext = panelContext(options);
  const board = baseDashboard(
    {
      title: `${team.displayName ?? team.name} · team`,
      uid: teamDashboardUid(team.name),
      tags: ['burnrate', `team:${team.name}`],
      datasources: ['prometheus'],
    },
    options,
  );
  board.link(dashboardLink('Platform overview', `/d/${OVERVIEW_DASHBOARD_UID}`).icon('dashboard'));
  for (const service of services)
    board.link(
      dashboardLink(service.name, `/d/${serviceDashboardUid(team.name, service.name)}`).icon('dashboard'),
    );
  const scope = `${LABEL.team}="${team.name}"`;
  board.withRow(rowPanel(ctx, 'Reliability'));
  board.withPanel(
    statPanel(ctx, {
      title: 'SLOs',
      w: 6,
      unit: units.Short,
      expr: `count(${SERIES.objective}{${scope}})`,
      steps: [{ value: null, color: 'blue' }],
    }),
  );
  board.withPanel(alertsFiringStat(ctx, 'Burn-rate alerts firing', scope));
  board.withPanel(
    timeseriesPanel(ctx, {
      title: 'Burn rate (1h) per SLO',
      w: 12,
      h: 8,
      unit: 'x',
      min: 0,
      targets: [
        {
          expr: `${SERIES.errorRatio}{${LABEL.window}="1h"} / on (service, slo) (1 - ${SERIES.objective}{${scope}})`,
          legend: '{{service}} / {{slo}}',
        },
      ],
    }),
  );
  if (slos.length > 0) board.withPanel(sloTable(ctx, 'SLOs', slos));
  return board;
}
