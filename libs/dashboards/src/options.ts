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
  /**
   * Panels read their data source from dashboard variables (`metrics`, `logs`, `traces`,
   * `costs`) whose default is the configured uid, so a viewer can switch instances. Default true;
   * false pins every panel to the uid.
   */
  datasourceVariables?: boolean;
  /** Where Grafana sees the generated `dashboards/` folder, for the file providers. */
  provisioningPath?: string;
}

export interface ResolvedDashboardsOptions {
  grafanaUrl: string;
  datasources: DatasourceUids;
  datasourceVariables: boolean;
  provisioningPath: string;
}

export const DEFAULT_DATASOURCES: DatasourceUids = {
  prometheus: 'prometheus',
  loki: 'loki',
  tempo: 'tempo',
  postgres: 'burnrate-postgres',
};

/** docker-compose.yml mounts `dashboards/` here. */
export const DEFAULT_PROVISIONING_PATH = '/etc/burnrate/dashboards';

export const resolveDashboardsOptions = (options: DashboardsOptions): ResolvedDashboardsOptions => ({
  grafanaUrl: options.grafanaUrl.replace(/\/+$/, ''),
  datasources: { ...DEFAULT_DATASOURCES, ...options.datasources },
  datasourceVariables: options.datasourceVariables ?? true,
  provisioningPath: (options.provisioningPath ?? DEFAULT_PROVISIONING_PATH).replace(/\/+$/, ''),
});
