/**
 * A local stand-in for Grafana's HTTP API, answering as Grafana 11/12 does (its dashboard store's
 * `getExistingDashboardByIDOrUIDForUpdate` / `...ByTitleAndFolder` rules):
 * - bearer auth: 401 for an unknown token, 403 for a Viewer token on writes;
 * - `GET/POST /api/folders`, `GET /api/folders/:uid`;
 * - `POST /api/dashboards/db`: an existing uid saved with another `version` and no `overwrite` is
 *   412 `version-mismatch`; another dashboard with the same title in the folder is 412
 *   `name-exists` (with `overwrite`, Grafana adopts that dashboard's id and uid); versions grow by one;
 * - `GET /api/dashboards/uid/:uid` (`{dashboard, meta}`) and `/versions` (`{versions}` as in 11+);
 * - `GET /api/search?type=dash-db&tag=x` (hits `{uid, title, id, tags, folderUid}`, every tag must match);
 * - `DELETE /api/dashboards/uid/:uid` (200 `{title, message, id}`, 404 when there is none).
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';

export interface StoredDashboard {
  id: number;
  uid: string;
  version: number;
  folderUid: string;
  /** Message of the latest version. */
  message: string;
  dashboard: Record<string, unknown>;
  versions: { version: number; message: string; createdBy: string }[];
}

export interface GrafanaFake {
  url: string;
  token: string;
  viewerToken: string;
  folders: Map<string, string>;
  dashboards: Map<string, StoredDashboard>;
  requests: string[];
  /** An edit saved in Grafana's UI by `user`: new version, new content, empty message. */
  editInUi(uid: string, user?: string): void;
  /** Someone saves `uid` in the UI right before the next dashboard save is handled (a race). */
  raceNextSave(uid: string): void;
  /** A dashboard created by hand in Grafana. */
  createByHand(dashboard: { uid: string; title: string; tags?: string[] }, folderUid: string): void;
  stop(): Promise<void>;
}

const slug = (title: unknown) =>
  String(title)
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');

export async function startGrafanaFake(
  token = 'glsa_editor',
  viewerToken = 'glsa_viewer',
): Promise<GrafanaFake> {
  const folders = new Map<string, string>();
  const dashboards = new Map<string, StoredDashboard>();
  const requests: string[] = [];
  const races = new Set<string>();
  let nextId = 1;

  function save(
    dashboard: Record<string, unknown>,
    folderUid: string,
    message: string,
    user: string,
    existing?: StoredDashboard,
  ) {
    const uid = existing?.uid ?? String(dashboard.uid);
    const version = (existing?.version ?? 0) + 1;
    const id = existing?.id ?? nextId++;
    const stored: StoredDashboard = {
      id,
      uid,
      version,
      folderUid,
      message,
      dashboard: { ...dashboard, id, uid, version },
      versions: [...(existing?.versions ?? []), { version, message, createdBy: user }],
    };
    dashboards.set(uid, stored);
    return stored;
  }

  function editInUi(uid: string, user = 'alice') {
    const stored = dashboards.get(uid)!;
    save({ ...stored.dashboard, description: `edited by ${user}` }, stored.folderUid, '', user, stored);
  }

  async function handle(req: IncomingMessage): Promise<[number, unknown]> {
    const url = new URL(req.url ?? '/', 'http://grafana');
    requests.push(`${req.method} ${url.pathname}`);
    const auth = req.headers.authorization;
    if (auth !== `Bearer ${token}` && auth !== `Bearer ${viewerToken}`)
      return [401, { message: 'Unauthorized' }];
    if (req.method !== 'GET' && auth === `Bearer ${viewerToken}`) return [403, { message: 'Access denied' }];
    const body = await readJson(req);

    const folder = /^\/api\/folders\/([^/]+)$/.exec(url.pathname);
    if (req.method === 'GET' && folder) {
      const uid = decodeURIComponent(folder[1]!);
      return folders.has(uid)
        ? [200, { uid, title: folders.get(uid) }]
        : [404, { message: 'folder not found', status: 'not-found' }];
    }
    if (req.method === 'GET' && url.pathname === '/api/folders')
      return [200, [...folders].map(([uid, title]) => ({ uid, title }))];
    if (req.method === 'POST' && url.pathname === '/api/folders') {
      const { uid, title } = body as { uid: string; title: string };
      if (folders.has(uid)) return [409, { message: 'a folder with the same uid already exists' }];
      folders.set(uid, title);
      return [200, { uid, title, id: nextId++ }];
    }

    const versions = /^\/api\/dashboards\/uid\/([^/]+)\/versions$/.exec(url.pathname);
    if (req.method === 'GET' && versions) {
      const stored = dashboards.get(decodeURIComponent(versions[1]!));
      if (!stored) return [404, { message: 'Dashboard not found' }];
      const limit = Number(url.searchParams.get('limit') ?? 1000);
      return [200, { continueToken: '', versions: [...stored.versions].reverse().slice(0, limit) }];
    }
    if (req.method === 'GET' && url.pathname === '/api/search') {
      const tags = url.searchParams.getAll('tag');
      const hits = [...dashboards.values()]
        .filter((d) => tags.every((tag) => ((d.dashboard.tags as string[] | undefined) ?? []).includes(tag)))
        .map((d) => ({
          id: d.id,
          uid: d.uid,
          title: d.dashboard.title,
          type: 'dash-db',
          tags: d.dashboard.tags ?? [],
          folderUid: d.folderUid,
        }));
      return [200, hits];
    }
    const byUid = /^\/api\/dashboards\/uid\/([^/]+)$/.exec(url.pathname);
    if (req.method === 'DELETE' && byUid) {
      const stored = dashboards.get(decodeURIComponent(byUid[1]!));
      if (!stored) return [404, { message: 'Dashboard not found' }];
      dashboards.delete(stored.uid);
      return [
        200,
        {
          title: stored.dashboard.title,
          message: `Dashboard ${String(stored.dashboard.title)} deleted`,
          id: stored.id,
        },
      ];
    }
    if (req.method === 'GET' && byUid) {
      const stored = dashboards.get(decodeURIComponent(byUid[1]!));
      if (!stored) return [404, { message: 'Dashboard not found' }];
      return [
        200,
        {
          dashboard: stored.dashboard,
          meta: {
            folderUid: stored.folderUid,
            version: stored.version,
            provisioned: false,
            slug: slug(stored.dashboard.title),
          },
        },
      ];
    }

    if (req.method === 'POST' && url.pathname === '/api/dashboards/db') {
      const { dashboard, folderUid, overwrite, message } = body as {
        dashboard: Record<string, unknown>;
        folderUid: string;
        overwrite: boolean;
        message: string;
      };
      if (!dashboard.title) return [400, { message: 'Dashboard title cannot be empty' }];
      if (!folders.has(folderUid)) return [400, { message: 'folder not found' }];
      const uid = String(dashboard.uid);
      if (races.delete(uid)) editInUi(uid, 'bob');
      let existing = dashboards.get(uid);
      if (existing && (dashboard.version ?? 0) !== existing.version && !overwrite) {
        return [
          412,
          { status: 'version-mismatch', message: 'The dashboard has been changed by someone else' },
        ];
      }
      const clash = [...dashboards.values()].find(
        (d) =>
          d.uid !== uid && d.folderUid === folderUid && slug(d.dashboard.title) === slug(dashboard.title),
      );
      if (clash) {
        if (!overwrite)
          return [
            412,
            { status: 'name-exists', message: 'A dashboard with the same name in the folder already exists' },
          ];
        existing = clash;
      }
      const stored = save(dashboard, folderUid, message, 'sa-burnrate', existing);
      return [
        200,
        {
          id: stored.id,
          uid: stored.uid,
          url: `/d/${stored.uid}/${slug(dashboard.title)}`,
          status: 'success',
          version: stored.version,
          slug: slug(dashboard.title),
        },
      ];
    }
    return [404, { message: 'Not found' }];
  }

  const server: Server = createServer((req, res) => {
    void handle(req).then(([status, body]) => {
      res.writeHead(status, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    token,
    viewerToken,
    folders,
    dashboards,
    requests,
    editInUi,
    raceNextSave: (uid) => races.add(uid),
    createByHand: (dashboard, folderUid) => void save({ ...dashboard }, folderUid, '', 'alice'),
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? (JSON.parse(text) as unknown) : undefined;
}
