import type { GeneratedFile } from '@burnrate/catalog';
import { fetchFailureReason as reason, type FetchLike } from '@burnrate/contracts';
import { dashboardFolder } from '@burnrate/dashboards';
import { GrafanaPublishError } from './grafana-publish.exception.js';
import { sameDashboard, type DashboardJson } from './same-dashboard.util.js';

export { GrafanaPublishError } from './grafana-publish.exception.js';

/** Every generated dashboard carries this tag; with the version message, how Burnrate knows its own. */
export const MANAGED_TAG = 'burnrate';

export interface RemovedDashboard {
  uid: string;
  title: string;
  status: 'deleted' | 'kept';
  reason?: string;
}

/** Every version Burnrate saves carries this prefix: it is how a later run recognises its own work. */
export const PUBLISH_MESSAGE_PREFIX = 'burnrate:';

export interface PublishOptions {
  /** Replace dashboards someone changed in Grafana since Burnrate last published them. */
  overwrite: boolean;
  /** Version message shown in Grafana's history, naming the catalog commit. */
  message: string;
}

export type ConflictCode =
  'changed-in-grafana' | 'version-mismatch' | 'name-exists' | 'provisioned' | 'plugin-dashboard';

export interface PublishResult {
  uid: string;
  folderUid: string;
  status: 'published' | 'conflict';
  /** False when Grafana already held exactly this dashboard, so no version was added. */
  changed?: boolean;
  version?: number;
  code?: ConflictCode;
  reason?: string;
}

interface Response {
  status: number;
  body: string;
}

interface CurrentDashboard {
  dashboard: DashboardJson & { id?: number; version?: number };
  meta?: { folderUid?: string; provisioned?: boolean };
}

interface VersionEntry {
  version?: number;
  message?: string;
  createdBy?: string;
}

/**
 * Publishes dashboards through Grafana's HTTP API (`/api/folders`, `/api/dashboards/db`) with
 * optimistic concurrency: it reads the current dashboard, skips it when unchanged, and saves
 * against the version it read. A dashboard last saved by someone else is reported, not
 * replaced unless `overwrite` is set; a title clash is always reported (Grafana's own overwrite
 * would adopt the other dashboard's uid and break the links alerts carry).
 * Authentication and other HTTP failures throw.
 */
export class GrafanaPublisher {
  private readonly folders = new Set<string>();

  constructor(
    private readonly baseUrl: string,
    private readonly token: string,
    private readonly fetch: FetchLike,
  ) {}

  /** Every generated dashboard into its folder (a team's, or Burnrate's own), in order. */
  async publishAll(files: GeneratedFile[], options: PublishOptions): Promise<PublishResult[]> {
    const results: PublishResult[] = [];
    for (const file of files.filter((f) => f.path.endsWith('.json'))) {
      results.push(
        await this.publish(JSON.parse(file.content) as DashboardJson, dashboardFolder(file.path), options),
      );
    }
    return results;
  }

  /**
   * Deletes the dashboards Burnrate published that generation no longer gives (a service left the
   * catalog): tagged `burnrate` and last saved by Burnrate. One saved by someone else since, or
   * never saved by Burnrate, is kept and reported: deleting someone's work is for a person to do.
   */
  async deleteRemoved(files: GeneratedFile[]): Promise<RemovedDashboard[]> {
    const wanted = new Set(
      files
        .filter((f) => f.path.endsWith('.json'))
        .map((f) => (JSON.parse(f.content) as DashboardJson).uid ?? ''),
    );
    const found = await this.call(
      'GET',
      `/api/search?type=dash-db&tag=${encodeURIComponent(MANAGED_TAG)}&limit=5000`,
    );
    if (found.status !== 200) throw this.error('search dashboards', found);
    const removed: RemovedDashboard[] = [];
    for (const hit of parse(found.body) as { uid?: string; title?: string; id?: number }[]) {
      const uid = hit.uid ?? '';
      if (!uid || wanted.has(uid)) continue;
      const entry = { uid, title: hit.title ?? uid };
      const last = await this.lastVersion(uid, hit.id);
      if (!last?.message?.startsWith(PUBLISH_MESSAGE_PREFIX)) {
        removed.push({
          ...entry,
          status: 'kept',
          reason:
            'its service left the catalog, but Burnrate did not save its last version: delete it by hand',
        });
        continue;
      }
      const deleted = await this.call('DELETE', `/api/dashboards/uid/${encodeURIComponent(uid)}`);
      if (deleted.status !== 200 && deleted.status !== 404)
        throw this.error(`delete dashboard ${uid}`, deleted);
      removed.push({ ...entry, status: 'deleted' });
    }
    return removed;
  }

  async ensureFolder(uid: string, title: string): Promise<void> {
    if (this.folders.has(uid)) return;
    const found = await this.call('GET', `/api/folders/${encodeURIComponent(uid)}`);
    if (found.status === 404) {
      const created = await this.call('POST', '/api/folders', { uid, title });
      // 409/412: created meanwhile by another run, which is what we wanted.
      if (![200, 409, 412].includes(created.status)) throw this.error('create folder', created);
    } else if (found.status !== 200) throw this.error('read folder', found);
    this.folders.add(uid);
  }

  async publish(
    board: DashboardJson,
    folder: { uid: string; title: string },
    options: PublishOptions,
  ): Promise<PublishResult> {
    const uid = board.uid ?? '';
    const result = { uid, folderUid: folder.uid };
    await this.ensureFolder(folder.uid, folder.title);
    const current = await this.current(uid);
    let version: number | undefined;
    if (current) {
      version = current.dashboard.version;
      if (current.meta?.provisioned) {
        return {
          ...result,
          status: 'conflict',
          code: 'provisioned',
          reason: 'provisioned from files in Grafana; the file provider owns it',
        };
      }
      if (current.meta?.folderUid === folder.uid && sameDashboard(current.dashboard, board)) {
        return {
          ...result,
          status: 'published',
          changed: false,
          ...(version !== undefined ? { version } : {}),
        };
      }
      const last = await this.lastVersion(uid, current.dashboard.id);
      if (!options.overwrite && !last?.message?.startsWith(PUBLISH_MESSAGE_PREFIX)) {
        const by = last?.createdBy ? ` by ${last.createdBy}` : '';
        return {
          ...result,
          status: 'conflict',
          code: 'changed-in-grafana',
          reason: `changed in Grafana${by} since Burnrate published it (version ${version ?? '?'}); publish with overwrite to replace it`,
        };
      }
    }
    const saved = await this.call('POST', '/api/dashboards/db', {
      dashboard: { ...board, id: null, ...(version !== undefined ? { version } : {}) },
      folderUid: folder.uid,
      // Never true: the version read above guards against races, and overwrite on a title clash
      // would make Grafana adopt the other dashboard's uid.
      overwrite: false,
      message: withPrefix(options.message),
    });
    if (saved.status === 200) {
      const body = parse(saved.body) as { version?: number };
      return {
        ...result,
        status: 'published',
        changed: true,
        ...(body.version !== undefined ? { version: body.version } : {}),
      };
    }
    if (saved.status === 412)
      return { ...result, status: 'conflict', ...explain412(saved.body, board.title) };
    throw this.error(`publish dashboard ${uid}`, saved);
  }

  private async current(uid: string): Promise<CurrentDashboard | undefined> {
    const response = await this.call('GET', `/api/dashboards/uid/${encodeURIComponent(uid)}`);
    if (response.status === 404) return undefined;
    if (response.status !== 200) throw this.error(`read dashboard ${uid}`, response);
    return parse(response.body) as CurrentDashboard;
  }

  /** The newest history entry: by uid on current Grafana, by id on versions before the uid route. */
  private async lastVersion(uid: string, id: number | undefined): Promise<VersionEntry | undefined> {
    let response = await this.call('GET', `/api/dashboards/uid/${encodeURIComponent(uid)}/versions?limit=1`);
    if (response.status === 404 && id !== undefined)
      response = await this.call('GET', `/api/dashboards/id/${id}/versions?limit=1`);
    if (response.status !== 200) return undefined;
    // Grafana 11+ wraps the list in `{versions, continueToken}`; older versions answer a bare array.
    const body = parse(response.body) as VersionEntry[] | { versions?: VersionEntry[] };
    const versions = Array.isArray(body) ? body : (body.versions ?? []);
    return [...versions].sort((a, b) => (b.version ?? 0) - (a.version ?? 0))[0];
  }

  /** `Grafana at http://grafana:3000`: how errors name this upstream. */
  get name(): string {
    return `Grafana at ${this.baseUrl.replace(/\/+$/, '')}`;
  }

  private async call(method: string, path: string, body?: unknown): Promise<Response> {
    const response = await this.fetch(`${this.baseUrl.replace(/\/+$/, '')}${path}`, {
      method,
      headers: {
        Authorization: `Bearer ${this.token}`,
        'Content-Type': 'application/json',
        Accept: 'application/json',
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    }).catch((cause: unknown) => {
      throw new GrafanaPublishError(
        'grafana-unreachable',
        `${this.name} is unreachable: ${reason(cause)}`,
        this.name,
      );
    });
    return { status: response.status, body: await response.text() };
  }

  private error(what: string, response: Response): GrafanaPublishError {
    const hint =
      response.status === 401
        ? ' (the API token is missing, wrong or expired)'
        : response.status === 403
          ? ' (the token lacks permission: it needs the Editor role or dashboards:write and folders:create)'
          : '';
    const message = (parse(response.body) as { message?: string }).message ?? response.body.slice(0, 200);
    return new GrafanaPublishError(
      'grafana-refused',
      `${this.name} refused to ${what}: HTTP ${response.status}${hint}: ${message}`,
      this.name,
      response.status,
    );
  }
}

const withPrefix = (message: string): string =>
  message.startsWith(PUBLISH_MESSAGE_PREFIX) ? message : `${PUBLISH_MESSAGE_PREFIX} ${message}`;

function explain412(body: string, title: string | undefined): { code: ConflictCode; reason: string } {
  const { status, message } = parse(body) as { status?: string; message?: string };
  if (status === 'name-exists') {
    return {
      code: 'name-exists',
      reason: `name-exists: another dashboard in this folder is titled "${title ?? ''}"; rename or delete it`,
    };
  }
  if (status === 'plugin-dashboard')
    return { code: 'plugin-dashboard', reason: `plugin-dashboard: ${message ?? 'owned by a plugin'}` };
  return {
    code: 'version-mismatch',
    reason: `version-mismatch: ${message ?? 'changed in Grafana while publishing'}; publish again`,
  };
}

function parse(body: string): unknown {
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return {};
  }
}
