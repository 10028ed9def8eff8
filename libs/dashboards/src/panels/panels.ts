import type * as cog from '@grafana/grafana-foundation-sdk/cog';
import * as common from '@grafana/grafana-foundation-sdk/common';
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import * as logs from '@grafana/grafana-foundation-sdk/logs';
import * as loki from '@grafana/grafana-foundation-sdk/loki';
import * as prometheus from '@grafana/grafana-foundation-sdk/prometheus';
import * as stat from '@grafana/grafana-foundation-sdk/stat';
import * as table from '@grafana/grafana-foundation-sdk/table';
import * as tempo from '@grafana/grafana-foundation-sdk/tempo';
import * as timeseries from '@grafana/grafana-foundation-sdk/timeseries';
import type { DatasourceRefs } from './datasources.util.js';
import { refId, type Grid } from './layout.util.js';

/**
 * What every panel builder needs: the grid, the data sources, and the links every panel carries:
 * data links on metric panels (a click on a point or value offers them, with the time range),
 * panel links in the header of the others. Never both: the URLs dominate the dashboard's size.
 */
export interface PanelContext {
  grid: Grid;
  ds: DatasourceRefs;
  links: cog.Builder<dashboard.DashboardLink>[];
}

export interface PromTarget {
  expr: string;
  legend?: string;
  exemplar?: boolean;
  instant?: boolean;
}

/** A table column from one instant query: its name, unit and rounding. */
export interface TableColumn extends PromTarget {
  legend: string;
  unit?: string;
  decimals?: number;
}

type Step = { value: number | null; color: string };

/** Grid heights a reader can read at a glance: a stat's number, a table's header and a few rows. */
export const STAT_HEIGHT = 5;
export const MIN_TABLE_HEIGHT = 6;
/** A table tall enough for its rows, up to a screen. */
export const tableHeight = (rows: number): number => Math.max(MIN_TABLE_HEIGHT, Math.min(20, 4 + rows));

function promTargets(targets: PromTarget[]): prometheus.DataqueryBuilder[] {
  return targets.map((t, i) => {
    const q = new prometheus.DataqueryBuilder()
      .refId(refId(i))
      .expr(t.expr)
      .legendFormat(t.legend ?? '__auto');
    if (t.exemplar) q.exemplar(true);
    return t.instant ? q.instant() : q.range();
  });
}

const thresholds = (steps: Step[]) =>
  new dashboard.ThresholdsConfigBuilder().mode(dashboard.ThresholdsMode.Absolute).steps(steps);

const legend = () =>
  new common.VizLegendOptionsBuilder()
    .showLegend(true)
    .displayMode(common.LegendDisplayMode.List)
    .placement(common.LegendPlacement.Bottom);

export interface TimeseriesSpec {
  title: string;
  description?: string;
  w: number;
  h?: number;
  unit: string;
  targets: PromTarget[];
  min?: number;
  max?: number;
  /** Horizontal threshold lines (burn-rate factors). */
  lines?: Step[];
  timeFrom?: string;
}

export function timeseriesPanel(ctx: PanelContext, spec: TimeseriesSpec): timeseries.PanelBuilder {
  const panel = new timeseries.PanelBuilder()
    .id(ctx.grid.id())
    .gridPos(ctx.grid.place(spec.w, spec.h ?? 8))
    .title(spec.title)
    .datasource(ctx.ds.prometheus)
    .unit(spec.unit)
    .legend(legend())
    .lineWidth(1)
    .fillOpacity(10)
    .dataLinks(ctx.links);
  if (spec.description) panel.description(spec.description);
  if (spec.min !== undefined) panel.min(spec.min);
  if (spec.max !== undefined) panel.max(spec.max);
  if (spec.timeFrom) panel.timeFrom(spec.timeFrom);
  if (spec.lines) {
    panel
      .thresholds(thresholds(spec.lines))
      .thresholdsStyle(
        new common.GraphThresholdsStyleConfigBuilder().mode(common.GraphThresholdsStyleMode.Line),
      );
  }
  for (const target of promTargets(spec.targets)) panel.withTarget(target);
  return panel;
}

export interface StatSpec {
  title: string;
  description?: string;
  w: number;
  h?: number;
  unit: string;
  expr: string;
  steps: Step[];
  decimals?: number;
  /** Panel time range, e.g. `now/M` for the month so far. */
  timeFrom?: string;
}

export function statPanel(ctx: PanelContext, spec: StatSpec): stat.PanelBuilder {
  const panel = new stat.PanelBuilder()
    .id(ctx.grid.id())
    .gridPos(ctx.grid.place(spec.w, spec.h ?? STAT_HEIGHT))
    .title(spec.title)
    .datasource(ctx.ds.prometheus)
    .unit(spec.unit)
    .reduceOptions(new common.ReduceDataOptionsBuilder().calcs(['lastNotNull']).values(false))
    .colorMode(common.BigValueColorMode.Value)
    .graphMode(common.BigValueGraphMode.Area)
    .thresholds(thresholds(spec.steps))
    .dataLinks(ctx.links);
  if (spec.description) panel.description(spec.description);
  if (spec.decimals !== undefined) panel.decimals(spec.decimals);
  if (spec.timeFrom) panel.timeFrom(spec.timeFrom);
  for (const target of promTargets([{ expr: spec.expr }])) panel.withTarget(target);
  return panel;
}

export interface TableSpec {
  title: string;
  w: number;
  h: number;
  /** One value column per query, named by its legend (never Grafana's `Value #A`). */
  targets: TableColumn[];
  /** Merge the instant queries into one row per labelset. */
  merge?: boolean;
  /** Data links on the cells, e.g. to a detail dashboard with `${__data.fields.<label>}`. */
  dataLinks?: cog.Builder<dashboard.DashboardLink>[];
}

export function tablePanel(ctx: PanelContext, spec: TableSpec): table.PanelBuilder {
  const panel = new table.PanelBuilder()
    .id(ctx.grid.id())
    .gridPos(ctx.grid.place(spec.w, spec.h))
    .title(spec.title)
    .datasource(ctx.ds.prometheus)
    .dataLinks([...ctx.links, ...(spec.dataLinks ?? [])]);
  for (const target of promTargets(spec.targets.map((t) => ({ ...t, instant: true })))) {
    panel.withTarget(target.format(prometheus.PromQueryFormat.Table));
  }
  if (spec.merge) panel.withTransformation({ id: 'merge', options: {} });
  // Instant table queries name their value `Value #<refId>`: rename each to its column, drop Time.
  const renameByName = Object.fromEntries(spec.targets.map((t, i) => [`Value #${refId(i)}`, t.legend]));
  panel.withTransformation({ id: 'organize', options: { excludeByName: { Time: true }, renameByName } });
  for (const column of spec.targets) {
    const properties = [
      ...(column.unit ? [{ id: 'unit', value: column.unit }] : []),
      ...(column.decimals !== undefined ? [{ id: 'decimals', value: column.decimals }] : []),
    ];
    if (properties.length > 0) panel.overrideByName(column.legend, properties);
  }
  return panel;
}

export function logsPanel(ctx: PanelContext, title: string, expr: string): logs.PanelBuilder {
  return new logs.PanelBuilder()
    .id(ctx.grid.id())
    .gridPos(ctx.grid.place(24, 10))
    .title(title)
    .datasource(ctx.ds.loki)
    .showTime(true)
    .wrapLogMessage(true)
    .enableLogDetails(true)
    .sortOrder(common.LogsSortOrder.Descending)
    .links(ctx.links)
    .withTarget(new loki.DataqueryBuilder().refId('A').expr(expr).maxLines(200));
}

export function tracesPanel(ctx: PanelContext, title: string, query: string, w = 12): table.PanelBuilder {
  return new table.PanelBuilder()
    .id(ctx.grid.id())
    .gridPos(ctx.grid.place(w, 10))
    .title(title)
    .datasource(ctx.ds.tempo)
    .links(ctx.links)
    .withTarget(
      new tempo.DataqueryBuilder()
        .refId('A')
        .queryType('traceql')
        .query(query)
        .limit(20)
        .tableType(tempo.SearchTableType.Traces),
    );
}

/** A PostgreSQL (Grafana's grafana-postgresql-datasource) query; the SDK has no builder for it. */
class SqlQueryBuilder implements cog.Builder<cog.Dataquery> {
  constructor(
    private readonly ref: string,
    private readonly sql: string,
    private readonly format: 'table' | 'time_series',
  ) {}

  build(): cog.Dataquery {
    return {
      refId: this.ref,
      rawSql: this.sql,
      rawQuery: true,
      editorMode: 'code',
      format: this.format,
    } as unknown as cog.Dataquery;
  }
}

export function sqlPanel(
  ctx: PanelContext,
  spec: {
    title: string;
    w: number;
    h: number;
    sql: string;
    kind: 'table' | 'timeseries' | 'stat';
    unit?: string;
    decimals?: number;
  },
): table.PanelBuilder | timeseries.PanelBuilder | stat.PanelBuilder {
  const query = new SqlQueryBuilder('A', spec.sql, spec.kind === 'timeseries' ? 'time_series' : 'table');
  const panel =
    spec.kind === 'timeseries'
      ? new timeseries.PanelBuilder().legend(legend()).fillOpacity(10)
      : spec.kind === 'stat'
        ? new stat.PanelBuilder().reduceOptions(
            new common.ReduceDataOptionsBuilder().calcs(['lastNotNull']).values(false),
          )
        : new table.PanelBuilder();
  panel
    .id(ctx.grid.id())
    .gridPos(ctx.grid.place(spec.w, spec.h))
    .title(spec.title)
    .datasource(ctx.ds.postgres)
    .withTarget(query);
  if (spec.unit) panel.unit(spec.unit);
  if (spec.decimals !== undefined) panel.decimals(spec.decimals);
  return panel;
}

export const rowPanel = (ctx: PanelContext, title: string): dashboard.RowBuilder =>
  new dashboard.RowBuilder(title).id(ctx.grid.id()).gridPos(ctx.grid.row());

/** How many alerts are firing among those `matchers` select: 0 rather than no data when none. */
export const alertsFiringStat = (
  ctx: PanelContext,
  title: string,
  matchers: string,
  color = 'red',
): stat.PanelBuilder =>
  statPanel(ctx, {
    title,
    w: 6,
    unit: 'short',
    expr: `count(ALERTS{alertstate="firing", ${matchers}}) or vector(0)`,
    steps: [
      { value: null, color: 'green' },
      { value: 1, color },
    ],
  });
