/**
 * A local stand-in for Grafana's HTTP API (folders and `POST /api/dashboards/db`), answering as
 * Grafana 11 does: bearer auth, 404 for unknown folders, versions that grow by one, and 412
 * `version-mismatch` when a dashboard changed in Grafana and `overwrite` is false.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';

export interface StoredDashboard {
  uid: string;
  version: number;
  folderUid: string;
  message: string;
  dashboard: Record<string, unknown>;
}

export interface GrafanaFake {
  url: string;
  token: string;
  folders: Map<string, string>;
  dashboards: Map<string, StoredDashboard>;
  /** Simulates an edit made in Grafana's UI, so the next publish without overwrite conflicts. */
  editInUi(uid: string): void;
  stop(): Promise<void>;
}

export async function startGrafanaFake(token = 'glsa_test'): Promise<GrafanaFake> {
  const folders = new Map<string, string>();
  const dashboards = new Map<string, StoredDashboard>();
  const editedInUi = new Set<string>();
  const server: Server = createServer((req, res) => {
    void handle(req).then(([status, body]) => {
      res.writeHead(status, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(body));
    });
  });

  async function handle(req: IncomingMessage): Promise<[number, unknown]> {
    if (req.headers.authorization !== `Bearer ${token}`) return [401, { message: 'Unauthorized' }];
    const url = new URL(req.url ?? '/', 'http://grafana');
    const body = await readJson(req);
    const folder = /^\/api\/folders\/([^/]+)$/.exec(url.pathname);
    if (req.method === 'GET' && folder) {
      const uid = decodeURIComponent(folder[1]!);
      return folders.has(uid) ? [200, { uid, title: folders.get(uid) }] : [404, { message: 'folder not found', status: 'not-found' }];
    }
    if (req.method === 'POST' && url.pathname === '/api/folders') {
      const { uid, title } = body as { uid: string; title: string };
      if (folders.has(uid)) return [409, { message: 'a folder with the same uid already exists' }];
      folders.set(uid, title);
      return [200, { uid, title, id: folders.size }];
    }
    if (req.method === 'POST' && url.pathname === '/api/dashboards/db') {
      const { dashboard, folderUid, overwrite, message } = body as { dashboard: Record<string, unknown>; folderUid: string; overwrite: boolean; message: string };
      const uid = String(dashboard.uid);
      if (!folders.has(folderUid)) return [400, { message: 'folder not found' }];
      const existing = dashboards.get(uid);
      if (existing && editedInUi.has(uid) && !overwrite) {
        return [412, { message: 'The dashboard has been changed by someone else', status: 'version-mismatch' }];
      }
      const version = (existing?.version ?? 0) + 1;
      dashboards.set(uid, { uid, version, folderUid, message, dashboard });
      editedInUi.delete(uid);
      return [200, { id: dashboards.size, uid, url: `/d/${uid}/x`, status: 'success', version, slug: 'x' }];
    }
    return [404, { message: 'Not found' }];
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    token,
    folders,
    dashboards,
    editInUi: (uid) => {
      editedInUi.add(uid);
      const stored = dashboards.get(uid);
      if (stored) stored.version++;
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? (JSON.parse(text) as unknown) : undefined;
}
