/** The subset of `fetch` the publisher needs, so tests and the server inject their own. */
export type FetchLike = (url: string, init: { method: string; headers: Record<string, string>; body?: string }) => Promise<{
  status: number;
  text(): Promise<string>;
}>;

export interface PublishOptions {
  /** Replace dashboards changed in Grafana since (Grafana answers 412 otherwise). */
  overwrite: boolean;
  /** Version message shown in Grafana's history, e.g. naming the catalog commit. */
  message: string;
}

export interface PublishResult {
  uid: string;
  folderUid: string;
  status: 'published' | 'conflict';
  version?: number;
  reason?: string;
}

export class GrafanaPublishError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

/**
 * Publishes dashboards through Grafana's HTTP API: ensures each folder exists, then
 * `POST /api/dashboards/db`. A 412 (changed in Grafana, or a title clash) is reported per
 * dashboard instead of failing the run; authentication errors stop it.
 */
export class GrafanaPublisher {
  private readonly folders = new Set<string>();

  constructor(
    private readonly baseUrl: string,
    private readonly token: string,
    private readonly fetch: FetchLike,
  ) {}

  async ensureFolder(uid: string, title: string): Promise<void> {
    if (this.folders.has(uid)) return;
    const found = await this.call('GET', `/api/folders/${encodeURIComponent(uid)}`);
    if (found.status === 404) {
      const created = await this.call('POST', '/api/folders', { uid, title });
      // 409/412: created meanwhile by someone else, which is what we wanted.
      if (![200, 409, 412].includes(created.status)) throw this.error('create folder', created.status, created.body);
    } else if (found.status !== 200) throw this.error('read folder', found.status, found.body);
    this.folders.add(uid);
  }

  async publish(dashboardJson: { uid?: string; title?: string }, folder: { uid: string; title: string }, options: PublishOptions): Promise<PublishResult> {
    await this.ensureFolder(folder.uid, folder.title);
    const uid = dashboardJson.uid ?? '';
    const response = await this.call('POST', '/api/dashboards/db', {
      dashboard: { ...dashboardJson, id: null },
      folderUid: folder.uid,
      overwrite: options.overwrite,
      message: options.message,
    });
    if (response.status === 200) {
      const body = parse(response.body) as { version?: number };
      return { uid, folderUid: folder.uid, status: 'published', ...(body.version !== undefined ? { version: body.version } : {}) };
    }
    if (response.status === 412) {
      const body = parse(response.body) as { status?: string; message?: string };
      return { uid, folderUid: folder.uid, status: 'conflict', reason: `${body.status ?? 'precondition-failed'}: ${body.message ?? 'changed in Grafana'}` };
    }
    throw this.error(`publish dashboard ${uid}`, response.status, response.body);
  }

  private async call(method: string, path: string, body?: unknown): Promise<{ status: number; body: string }> {
    const response = await this.fetch(`${this.baseUrl.replace(/\/+$/, '')}${path}`, {
      method,
      headers: { Authorization: `Bearer ${this.token}`, 'Content-Type': 'application/json', Accept: 'application/json' },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    return { status: response.status, body: await response.text() };
  }

  private error(what: string, status: number, body: string): GrafanaPublishError {
    const hint = status === 401 || status === 403 ? ' (check the API token and its permissions)' : '';
    const message = (parse(body) as { message?: string }).message ?? body.slice(0, 200);
    return new GrafanaPublishError(`Grafana refused to ${what}: HTTP ${status}${hint}: ${message}`, status);
  }
}

function parse(body: string): unknown {
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return {};
  }
}
