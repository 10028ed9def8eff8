import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';

/**
 * A Grafana Explore URL (schemaVersion 1 `panes`) that keeps the dashboard's time range: the
 * `${__from}`/`${__to}` variables are left raw for Grafana to interpolate, the rest is encoded.
 */
export function exploreUrl(datasource: { type: string; uid: string }, query: Record<string, unknown>): string {
  const panes = {
    explore: {
      datasource: datasource.uid,
      queries: [{ refId: 'A', datasource, ...query }],
      range: { from: '${__from}', to: '${__to}' },
    },
  };
  const encoded = JSON.stringify(panes)
    .split(/(\$\{__(?:from|to)\})/)
    .map((part) => (part.startsWith('${__') ? part : encodeURIComponent(part)))
    .join('');
  return `/explore?schemaVersion=1&orgId=1&panes=${encoded}`;
}

export const link = (title: string, url: string): dashboard.DashboardLinkBuilder =>
  new dashboard.DashboardLinkBuilder(title).type(dashboard.DashboardLinkType.Link).url(url).targetBlank(true);

/** Dashboard links point at other dashboards, keeping time range and variables. */
export const dashboardLink = (title: string, url: string): dashboard.DashboardLinkBuilder =>
  new dashboard.DashboardLinkBuilder(title)
    .type(dashboard.DashboardLinkType.Link)
    .url(url)
    .keepTime(true)
    .includeVars(false)
    .targetBlank(false);
