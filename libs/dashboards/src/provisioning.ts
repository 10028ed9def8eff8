import { GENERATED_HEADER, toYaml } from '@burnrate/rules';
import type { Catalog } from '@burnrate/catalog';

export const PLATFORM_FOLDER = 'Burnrate';
export const PLATFORM_FOLDER_UID = 'burnrate';

/** Folder of the overview, SLO detail and cost dashboards; team names cannot start with `_`. */
export const PLATFORM_DIR = '_burnrate';

export const teamFolderUid = (team: string): string => `burnrate-${team}`.slice(0, 40);

/** Teams with at least one service, sorted: the folders `generateDashboards` writes. */
export const teamsOf = (catalog: Catalog): string[] =>
  [...new Set(catalog.services.map((s) => s.team))].sort();

/** The Grafana folder a generated dashboard belongs to, from its path (`dashboards/<dir>/...`). */
export function dashboardFolder(path: string): { uid: string; title: string } {
  const dir = path.split('/')[1] ?? '';
  return dir === PLATFORM_DIR
    ? { uid: PLATFORM_FOLDER_UID, title: PLATFORM_FOLDER }
    : { uid: teamFolderUid(dir), title: dir };
}

/**
 * Grafana's file providers: one per team folder and one for the platform dashboards, each reading
 * its own directory. The platform dashboards live in `_burnrate/` rather than at the root, because
 * a provider reads its path recursively and would load every team's dashboards a second time.
 */
export function provisioningYaml(catalog: Catalog, root: string): string {
  const provider = (name: string, folder: string, folderUid: string, path: string) => ({
    name,
    orgId: 1,
    folder,
    folderUid,
    type: 'file',
    disableDeletion: false,
    allowUiUpdates: false,
    updateIntervalSeconds: 60,
    options: { path, foldersFromFilesStructure: false },
  });
  const providers = [
    provider('burnrate-platform', PLATFORM_FOLDER, PLATFORM_FOLDER_UID, `${root}/${PLATFORM_DIR}`),
    ...teamsOf(catalog).map((team) =>
      provider(`burnrate-${team}`, team, teamFolderUid(team), `${root}/${team}`),
    ),
  ];
  // The rule files' writer: one YAML writer for every generated file, held to the yaml parser.
  return toYaml({ apiVersion: 1, providers }, GENERATED_HEADER);
}
