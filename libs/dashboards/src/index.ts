import type { Catalog, GeneratedFile } from '@burnrate/catalog';
import { costDashboard } from './boards/cost-dashboard.js';
import { overviewDashboard } from './boards/overview-dashboard.js';
import { serviceDashboard } from './boards/service-dashboard.js';
import { sloDetailDashboard } from './boards/slo-detail-dashboard.js';
import { teamDashboard } from './boards/team-dashboard.js';
import { resolveDashboardsOptions, type DashboardsOptions } from './options.js';
import { provisioningYaml } from './provisioning.js';

export { DEFAULT_DATASOURCES, type DashboardsOptions, type DatasourceUids } from './options.js';
export { PLATFORM_FOLDER, teamFolderUid } from './provisioning.js';
export { GrafanaPublisher, GrafanaPublishError, type PublishOptions, type PublishResult } from './publish/grafana-publisher.js';
export { narrow } from './boards/service-dashboard.js';

const json = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;

/**
 * Every dashboard and the provisioning file, paths under `dashboards/`: one per service and per
 * team under `dashboards/<team>/` (services in `services/`), the platform ones under
 * `dashboards/_burnrate/` (team names cannot start with `_`, so the folders never collide).
 */
export function generateDashboards(catalog: Catalog, options: DashboardsOptions): GeneratedFile[] {
  const resolved = resolveDashboardsOptions(options);
  const files: GeneratedFile[] = [];
  const teams = [...new Set(catalog.services.map((s) => s.team))].sort();
  for (const team of teams) {
    const entity = catalog.teams.find((t) => t.name === team) ?? { name: team, chat: [], declared: false };
    files.push({ path: `dashboards/${team}/team.json`, content: json(teamDashboard(catalog, entity, resolved).build()) });
  }
  for (const service of catalog.services) {
    files.push({ path: `dashboards/${service.team}/services/${service.name}.json`, content: json(serviceDashboard(catalog, service, resolved).build()) });
  }
  files.push({ path: 'dashboards/_burnrate/overview.json', content: json(overviewDashboard(catalog, resolved).build()) });
  files.push({ path: 'dashboards/_burnrate/slo-detail.json', content: json(sloDetailDashboard(resolved).build()) });
  files.push({ path: 'dashboards/_burnrate/cost.json', content: json(costDashboard(resolved).build()) });
  files.push({ path: 'dashboards/_provisioning/dashboards.yaml', content: provisioningYaml(catalog) });
  return files;
}
