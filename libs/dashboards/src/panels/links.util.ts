import type * as cog from '@grafana/grafana-foundation-sdk/cog';
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import type { DatasourceRef } from './datasources.util.js';

/**
 * A Grafana Explore URL (schemaVersion 1 `panes`) that keeps the dashboard's time range. Grafana
 * interpolates `${...}` variables (`${__from}`, `${__to}`, a data source variable) before it
 * navigates, so they stay raw; everything else is encoded, `&&` in TraceQL included.
 */
export function exploreUrl(datasource: DatasourceRef, query: Record<string, unknown>): string {
  const panes = {
    explore: {
      datasource: datasource.uid,
      queries: [{ refId: 'A', datasource, ...query }],
      range: { from: '${__from}', to: '${__to}' },
    },
  };
  return `/explore?schemaVersion=1&orgId=1&panes=${encodeKeepingVariables(JSON.stringify(panes))}`;
}

export const encodeKeepingVariables = (text: string): string =>
  text
    .split(/(\$\{[\w.:]+\})/)
    .map((part) => (/^\$\{[\w.:]+\}$/.test(part) ? part : encodeURIComponent(part)))
    .join('');

/**
 * The SDK gives every link `placement: "inControlsMenu"`, which newer Grafana versions honour by
 * hiding dashboard links in a menu; without it they stay in the top bar.
 */
class LinkBuilder implements cog.Builder<dashboard.DashboardLink> {
  constructor(private readonly inner: dashboard.DashboardLinkBuilder) {}

  build(): dashboard.DashboardLink {
    const { placement: _placement, ...rest } = this.inner.build();
    return rest;
  }

  icon(icon: string): this {
    this.inner.icon(icon);
    return this;
  }
}

/** An external link (runbook, repository, Explore), opened in a new tab. */
export const link = (title: string, url: string): LinkBuilder =>
  new LinkBuilder(
    new dashboard.DashboardLinkBuilder(title)
      .type(dashboard.DashboardLinkType.Link)
      .url(url)
      .targetBlank(true),
  );

/** A link to another generated dashboard, keeping the time range. */
export const dashboardLink = (title: string, url: string): LinkBuilder =>
  new LinkBuilder(
    new dashboard.DashboardLinkBuilder(title)
      .type(dashboard.DashboardLinkType.Link)
      .url(url)
      .keepTime(true)
      .includeVars(false)
      .targetBlank(false),
  );

export type { LinkBuilder };
