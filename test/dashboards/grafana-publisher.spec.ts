import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadCatalog } from '@burnrate/catalog';
import { generateDashboards, GrafanaPublisher, GrafanaPublishError, teamFolderUid } from '@burnrate/dashboards';
import { startGrafanaFake, type GrafanaFake } from './grafana-fake.js';

let grafana: GrafanaFake;
beforeEach(async () => {
  grafana = await startGrafanaFake();
});
afterEach(async () => {
  await grafana.stop();
});

const options = { overwrite: false, message: 'burnrate: catalog at 1a2b3c4' };

async function serviceDashboard() {
  const { catalog } = await loadCatalog([join(import.meta.dirname, '../../catalog')]);
  const file = generateDashboards(catalog, { grafanaUrl: grafana.url }).find((f) => f.path === 'dashboards/payments/services/checkout-api.json')!;
  return JSON.parse(file.content) as { uid: string; title: string };
}

describe('publishing dashboards through the Grafana HTTP API', () => {
  it('creates the team folder once and publishes with the catalog commit as the message', async () => {
    const publisher = new GrafanaPublisher(grafana.url, grafana.token, fetch);
    const board = await serviceDashboard();
    const first = await publisher.publish(board, { uid: teamFolderUid('payments'), title: 'payments' }, options);
    const second = await publisher.publish(board, { uid: teamFolderUid('payments'), title: 'payments' }, options);
    expect(first).toMatchObject({ status: 'published', version: 1, uid: 'svc-payments-checkout-api' });
    expect(second).toMatchObject({ status: 'published', version: 2 });
    expect([...grafana.folders.keys()]).toEqual(['burnrate-payments']);
    expect(grafana.dashboards.get(board.uid)).toMatchObject({ folderUid: 'burnrate-payments', message: options.message });
  });

  it('reports a dashboard changed in Grafana as a conflict, and replaces it with overwrite', async () => {
    const publisher = new GrafanaPublisher(grafana.url, grafana.token, fetch);
    const board = await serviceDashboard();
    const folder = { uid: teamFolderUid('payments'), title: 'payments' };
    await publisher.publish(board, folder, options);
    grafana.editInUi(board.uid);
    expect(await publisher.publish(board, folder, options)).toMatchObject({ status: 'conflict', reason: expect.stringContaining('version-mismatch') });
    expect(await publisher.publish(board, folder, { ...options, overwrite: true })).toMatchObject({ status: 'published', version: 3 });
  });

  it('stops with a clear error when the token is refused', async () => {
    const publisher = new GrafanaPublisher(grafana.url, 'wrong', fetch);
    const error = await publisher.publish(await serviceDashboard(), { uid: 'f', title: 'f' }, options).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GrafanaPublishError);
    expect((error as GrafanaPublishError).message).toMatch(/HTTP 401 \(check the API token/);
  });
});
