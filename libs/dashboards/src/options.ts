/** Data source uids the dashboards point at; they match the provisioned data sources. */
export interface DatasourceUids {
  prometheus: string;
  loki: string;
  tempo: string;
  postgres: string;
}

export interface DashboardsOptions {
  /** Grafana base URL (not needed inside dashboards, kept for symmetry with the rules options). */
  grafanaUrl: string;
  datasources?: Partial<DatasourceUids>;
}

export interface ResolvedDashboardsOptions {
  grafanaUrl: string;
  datasources: DatasourceUids;
}

export const DEFAULT_DATASOURCES: DatasourceUids = {
  prometheus: 'prometheus',
  loki: 'loki',
  tempo: 'tempo',
  postgres: 'burnrate-postgres',
};

export const resolveDashboardsOptions = (options: DashboardsOptions): ResolvedDashboardsOptions => ({
  grafanaUrl: options.grafanaUrl.replace(/\/+$/, ''),
  datasources: { ...DEFAULT_DATASOURCES, ...options.datasources },
});
