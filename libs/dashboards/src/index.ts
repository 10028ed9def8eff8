import type { Catalog, GeneratedFile } from '@burnrate/catalog';

export interface DashboardsOptions {
  grafanaUrl: string;
}

/** Every dashboard JSON and the provisioning file, paths under `dashboards/`. */
export function generateDashboards(_catalog: Catalog, _options: DashboardsOptions): GeneratedFile[] {
  return [];
}
