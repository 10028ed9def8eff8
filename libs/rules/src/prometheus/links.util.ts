import type { Service } from '@burnrate/catalog';
import { serviceDashboardUid } from '@burnrate/catalog';

/** The service's overview dashboard, as libs/dashboards names it. */
export const dashboardUrl = (grafanaUrl: string, service: Pick<Service, 'team' | 'name'>): string =>
  `${grafanaUrl}/d/${serviceDashboardUid(service.team, service.name)}`;

/** TraceQL for the failing traces of a service. */
export const errorTracesQuery = (serviceName: string): string =>
  `{resource.service.name=${JSON.stringify(serviceName)} && status=error}`;

/**
 * Grafana Explore (schemaVersion 1 `panes`) on Tempo with the service's error traces over the
 * last hour; encoded whole so `&&` cannot split the query string.
 */
export function tempoExploreUrl(grafanaUrl: string, datasourceUid: string, serviceName: string): string {
  const panes = {
    traces: {
      datasource: datasourceUid,
      queries: [
        {
          refId: 'A',
          datasource: { type: 'tempo', uid: datasourceUid },
          queryType: 'traceql',
          query: errorTracesQuery(serviceName),
          limit: 20,
          tableType: 'traces',
        },
      ],
      range: { from: 'now-1h', to: 'now' },
    },
  };
  return `${grafanaUrl}/explore?schemaVersion=1&orgId=1&panes=${encodeURIComponent(JSON.stringify(panes))}`;
}
