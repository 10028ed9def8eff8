import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import type { ResolvedDashboardsOptions } from '../options.js';
import { datasourceRefs, datasourceVariables, type DatasourceKind } from '../panels/datasources.util.js';
import { Grid } from '../panels/layout.util.js';
import type { PanelContext } from '../panels/panels.js';

/** Settings every generated dashboard shares, with variables for the data sources it reads. */
export function baseDashboard(
  spec: { title: string; uid: string; tags: string[]; datasources: DatasourceKind[] },
  options: ResolvedDashboardsOptions,
): dashboard.DashboardBuilder {
  const board = new dashboard.DashboardBuilder(spec.title)
    .uid(spec.uid)
    .tags(spec.tags)
    .editable()
    .tooltip(dashboard.DashboardCursorSync.Crosshair)
    .refresh('1m')
    .time({ from: 'now-6h', to: 'now' })
    .timezone('browser');
  for (const variable of datasourceVariables(options, spec.datasources)) board.withVariable(variable);
  return board;
}

/** A fresh grid and the data source references of one dashboard. */
export const panelContext = (
  options: ResolvedDashboardsOptions,
  links: PanelContext['links'] = [],
): PanelContext => ({
  grid: new Grid(),
  ds: datasourceRefs(options),
  links,
});
