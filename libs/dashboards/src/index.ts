import type { Catalog, GeneratedFile } from '@burnrate/catalog';
import { costDashboard } from './boards/cost-dashboard.js';
import { overviewDashboard } from './boards/overview-dashboard.js';
import { serviceDashboard } from './boards/service-dashboard.js';
import { sloDetailDashboard } from './boards/slo-detail-dashboard.js';
import { teamDashboard } from './boards/team-dashboard.js';
import { stableJson } from './json.util.js';
import { resolveDashboardsOptions, type DashboardsOptions } from './options.js';
import { PLATFORM_DIR, provisioningYaml, teamsOf } from './provisioning.js';

export {
  DEFAULT_DATASOURCES,
  DEFAULT_PROVISIONING_PATH,
  type DashboardsOptions,
  type DatasourceUids,
} from './options.js';
export { dashboardFolder, PLATFORM_FOLDER, PLATFORM_FOLDER_UID, teamFolderUid } from './provisioning.js';
export { stableJson } from './json.util.js';
export { narrow } from './panels/traceql.util.js';

/**
 * Every dashboard and the provisioning file, paths under `dashboards/`: one per service and per
 * team under `dashboards/<team>/` (services in `services/`, so a service named `team` cannot
 * clash), the platform ones under `dashboards/_burnrate/` (team names cannot start with `_`).
 */
export function generateDashboards(catalog: Catalog, options: DashboardsOptions): GeneratedFile[] {
  const resolved = resolveDashboardsOptions(options);
  const files: GeneratedFile[] = [];
  for (const team of teamsOf(catalog)) {
    const entity = catalog.teams.find((t) => t.name === team) ?? { name: team, chat: [], declared: false };
    files.push({
      path: `dashboards/${team}/team.json`,
      content: stableJson(teamDashboard(catalog, entity, resolved).build()),
    });
  }
  for (const service of catalog.services) {
    files.push({
      path: `dashboards/${service.team}/services/${service.name}.json`,
      content: stableJson(serviceDashboard(catalog, service, resolved).build()),
    });
  }
  files.push({
    path: `dashboards/${PLATFORM_DIR}/overview.json`,
    content: stableJson(overviewDashboard(catalog, resolved).build()),
  });
  files.push({
    path: `dashboards/${PLATFORM_DIR}/slo-detail.json`,
    content: stableJson(sloDetailDashboard(resolved).build()),
  });
  files.push({
    path: `dashboards/${PLATFORM_DIR}/cost.json`,
    content: stableJson(costDashboard(resolved).build()),
  });
  files.push({
    path: 'dashboards/_provisioning/dashboards.yaml',
    content: provisioningYaml(catalog, resolved.provisioningPath),
  });
  return files;
}
