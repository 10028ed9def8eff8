import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { generateDashboards, teamFolderUid } from '@burnrate/dashboards';
import { aService } from '@burnrate/dashboards/testing';
import { GrafanaPublisher, GrafanaPublishError, MANAGED_TAG } from '@burnrate/publish';
import { aCatalog } from '@burnrate/catalog/testing';
import { freePort } from '../support/prometheus.js';
import { startGrafanaFake, type GrafanaFake } from './grafana-fake.js';

let grafana: GrafanaFake;
beforeEach(async () => {
  grafana = await startGrafanaFake();
});
afterEach(async () => {
  await grafana.stop();
});

const options = { overwrite: false, message: 'burnrate: catalog at 1a2b3c4' };
const folder = { uid: teamFolderUid('payments'), title: 'payments' };

function generate(objective = 99.9) {
  return generateDashboards(
    aCatalog([aService({ slos: [{ objective }] }), aService({ name: 'ledger', team: 'finance' })]),
    { grafanaUrl: grafana.url },
  );
}

const checkoutBoard = (objective = 99.9) =>
  JSON.parse(
    generate(objective).find((f) => f.path === 'dashboards/payments/services/checkout.json')!.content,
  ) as { uid: string; title: string };

describe('publishing dashboards through the Grafana HTTP API', () => {
  it('creates the team folder once and saves with the catalog commit as the version message', async () => {
    const publisher = new GrafanaPublisher(grafana.url, grafana.token, fetch);
    const board = checkoutBoard();
    expect(await publisher.publish(board, folder, options)).toMatchObject({
      status: 'published',
      changed: true,
      version: 1,
      uid: 'svc-payments-checkout',
    });
    expect([...grafana.folders.keys()]).toEqual(['burnrate-payments']);
    expect(grafana.dashboards.get(board.uid)).toMatchObject({
      folderUid: 'burnrate-payments',
      versions: [{ message: options.message }],
    });
  });

  it('adds no version when Grafana already holds the same dashboard', async () => {
    const publisher = new GrafanaPublisher(grafana.url, grafana.token, fetch);
    await publisher.publish(checkoutBoard(), folder, options);
    expect(await publisher.publish(checkoutBoard(), folder, options)).toMatchObject({
      status: 'published',
      changed: false,
      version: 1,
    });
    expect(grafana.dashboards.get('svc-payments-checkout')!.version).toBe(1);
  });

  it('updates its own dashboard after a catalog change without needing overwrite', async () => {
    const publisher = new GrafanaPublisher(grafana.url, grafana.token, fetch);
    await publisher.publish(checkoutBoard(99.9), folder, options);
    expect(
      await publisher.publish(checkoutBoard(99.5), folder, { ...options, message: 'catalog at 5d6e7f8' }),
    ).toMatchObject({ status: 'published', version: 2 });
    expect(grafana.dashboards.get('svc-payments-checkout')!.versions.map((v) => v.message)).toEqual([
      options.message,
      'burnrate: catalog at 5d6e7f8',
    ]);
  });

  it('reports a dashboard edited in Grafana instead of replacing it, and replaces it with overwrite', async () => {
    const publisher = new GrafanaPublisher(grafana.url, grafana.token, fetch);
    await publisher.publish(checkoutBoard(), folder, options);
    grafana.editInUi('svc-payments-checkout', 'alice');
    expect(await publisher.publish(checkoutBoard(), folder, options)).toMatchObject({
      status: 'conflict',
      code: 'changed-in-grafana',
      reason: expect.stringContaining('by alice'),
    });
    expect(grafana.dashboards.get('svc-payments-checkout')!.dashboard.description).toBe('edited by alice');
    expect(await publisher.publish(checkoutBoard(), folder, { ...options, overwrite: true })).toMatchObject({
      status: 'published',
      version: 3,
    });
  });

  it('reports a version mismatch when someone saves between reading and writing', async () => {
    const publisher = new GrafanaPublisher(grafana.url, grafana.token, fetch);
    await publisher.publish(checkoutBoard(99.9), folder, options);
    grafana.raceNextSave('svc-payments-checkout');
    expect(await publisher.publish(checkoutBoard(99.5), folder, options)).toMatchObject({
      status: 'conflict',
      code: 'version-mismatch',
    });
  });

  it('reports a title clash with a hand-made dashboard rather than taking over its uid', async () => {
    const publisher = new GrafanaPublisher(grafana.url, grafana.token, fetch);
    await publisher.ensureFolder(folder.uid, folder.title);
    grafana.createByHand({ uid: 'hand-made', title: checkoutBoard().title }, folder.uid);
    const result = await publisher.publish(checkoutBoard(), folder, { ...options, overwrite: true });
    expect(result).toMatchObject({
      status: 'conflict',
      code: 'name-exists',
      reason: expect.stringContaining('checkout · service'),
    });
    expect([...grafana.dashboards.keys()]).toEqual(['hand-made']);
  });

  it('publishes every generated dashboard into its team folder or the Burnrate folder', async () => {
    const results = await new GrafanaPublisher(grafana.url, grafana.token, fetch).publishAll(
      generate(),
      options,
    );
    expect(results.every((r) => r.status === 'published')).toBe(true);
    expect([...grafana.folders].sort()).toEqual([
      ['burnrate', 'Burnrate'],
      ['burnrate-finance', 'finance'],
      ['burnrate-payments', 'payments'],
    ]);
    expect(grafana.dashboards.get('burnrate-cost')!.folderUid).toBe('burnrate');
    expect(grafana.dashboards.get('svc-finance-ledger')!.folderUid).toBe('burnrate-finance');
    expect(grafana.requests.filter((r) => r === 'POST /api/folders')).toHaveLength(3);
  });

  it('stops with a clear error when the token is refused', async () => {
    const error = await new GrafanaPublisher(grafana.url, 'wrong', fetch)
      .publish(checkoutBoard(), folder, options)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GrafanaPublishError);
    expect((error as GrafanaPublishError).message).toMatch(
      /HTTP 401 \(the API token is missing, wrong or expired\)/,
    );
  });

  it('stops with a clear error when the token may not write', async () => {
    const error = await new GrafanaPublisher(grafana.url, grafana.viewerToken, fetch)
      .publish(checkoutBoard(), folder, options)
      .catch((e: unknown) => e);
    expect((error as GrafanaPublishError).status).toBe(403);
    expect((error as GrafanaPublishError).message).toMatch(
      /create folder: HTTP 403 \(the token lacks permission/,
    );
  });

  it('stops with a coded error naming Grafana when it cannot be reached', async () => {
    const closed = `http://127.0.0.1:${await freePort()}`;
    const error = await new GrafanaPublisher(closed, grafana.token, fetch)
      .publish(checkoutBoard(), folder, options)
      .catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'grafana-unreachable',
      kind: 'upstream',
      upstream: `Grafana at ${closed}`,
    });
    expect((error as Error).message).toBe(
      `Grafana at ${closed} is unreachable: connect ECONNREFUSED ${closed.slice(7)}`,
    );
  });
});

describe('reconciling Grafana with the catalog', () => {
  const twoServices = () => generate();
  const checkoutOnly = () =>
    generateDashboards(aCatalog([aService({ slos: [{ objective: 99.9 }] })]), { grafanaUrl: grafana.url });

  it('tags every generated dashboard, which is how a later run finds its own', () => {
    for (const file of twoServices().filter((f) => f.path.endsWith('.json'))) {
      expect((JSON.parse(file.content) as { tags: string[] }).tags, file.path).toContain(MANAGED_TAG);
    }
  });

  it('deletes the dashboards of a service that left the catalog, and nothing else', async () => {
    const publisher = new GrafanaPublisher(grafana.url, grafana.token, fetch);
    await publisher.publishAll(twoServices(), options);
    grafana.createByHand({ uid: 'my-own', title: 'Mine' }, folder.uid);
    grafana.createByHand({ uid: 'tagged-by-hand', title: 'Tagged', tags: [MANAGED_TAG] }, folder.uid);
    const before = new Set(grafana.dashboards.keys());

    const removed = await publisher.deleteRemoved(checkoutOnly());

    const gone = [...before].filter((uid) => !grafana.dashboards.has(uid));
    expect(gone.sort()).toEqual(['svc-finance-ledger', 'team-finance']);
    expect(
      removed
        .filter((r) => r.status === 'deleted')
        .map((r) => r.uid)
        .sort(),
    ).toEqual(gone.sort());
    // Tagged like Burnrate's but never saved by it: kept, and said so.
    expect(removed.find((r) => r.uid === 'tagged-by-hand')).toMatchObject({ status: 'kept' });
    expect(grafana.dashboards.has('my-own')).toBe(true);
  });

  it("keeps a removed service's dashboard that someone edited in Grafana since, and reports it", async () => {
    const publisher = new GrafanaPublisher(grafana.url, grafana.token, fetch);
    await publisher.publishAll(twoServices(), options);
    grafana.editInUi('svc-finance-ledger');

    const removed = await publisher.deleteRemoved(checkoutOnly());

    expect(grafana.dashboards.has('svc-finance-ledger')).toBe(true);
    expect(removed.find((r) => r.uid === 'svc-finance-ledger')).toMatchObject({ status: 'kept' });
    expect(grafana.dashboards.has('team-finance')).toBe(false);
  });
});
