/**
 * Status history in the real databases: raw snapshots kept 48 hours, then one per hour (the
 * hour's last), everything dropped after the retention; a cycle written twice adds nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataSource } from 'typeorm';
import { loadCatalog } from '@burnrate/catalog';
import { openDataSource } from '@burnrate/persistence';
import { StatusStore, trackedSlos, type StatusCycle, type TrackedSlo } from '@burnrate/status';
import { evaluateStatus } from '@burnrate/slo';

import { aPgliteDatabase, aPostgresDatabase, type TestDatabase } from '../persistence/test-databases.js';
import { FIXTURE_CATALOG } from './status-fixture.js';

const HOUR = 3600_000;
const NOW = Date.UTC(2026, 10, 20, 12);

function cycleAt(slos: TrackedSlo[], at: number, ratio: number): StatusCycle {
  const now = new Date(at);
  return {
    evaluatedAt: now,
    queries: 1,
    samples: 0,
    statuses: slos.map((slo) => ({
      ...evaluateStatus({
        window: slo.window,
        policy: slo.policy,
        guarded: false,
        now,
        observation: {
          ratios: { '5m': ratio, '30d': ratio, '28d': ratio, '7d': ratio },
          monthToDateRatio: ratio,
        },
      }),
      slo,
      groups: 1,
    })),
  };
}

describe.each([
  ['PostgreSQL server', aPostgresDatabase],
  ['embedded PGlite', () => Promise.resolve(aPgliteDatabase())],
] as const)('status history on %s', (_name, aDatabase) => {
  let database: TestDatabase;
  let dataSource: DataSource;
  let store: StatusStore;
  let slos: TrackedSlo[];

  beforeAll(async () => {
    database = await aDatabase();
    dataSource = await openDataSource(database.config);
    store = new StatusStore(dataSource);
    const { catalog } = await loadCatalog([FIXTURE_CATALOG]);
    slos = trackedSlos(catalog);
    // Every 10 minutes over the last 3 days; the ratio names the hour it was written in.
    for (let at = NOW - 72 * HOUR + 600_000; at <= NOW; at += 600_000) {
      await store.recordCycle(cycleAt(slos, at, Math.floor((NOW - at) / HOUR) / 100_000));
    }
  }, 120_000);

  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  const count = async (where: string): Promise<number> =>
    (
      await dataSource.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM slo_snapshot WHERE ${where}`)
    )[0]!.n;

  it('writes a cycle once: the same instant again adds no snapshot and no event', async () => {
    const before = await count('true');
    const again = await store.recordCycle(cycleAt(slos, NOW, 0));
    expect(again).toEqual({ snapshots: 0, events: 0 });
    expect(await count('true')).toBe(before);
  });

  it('keeps 48 hours raw, then the last snapshot of each hour, and drops what is past the retention', async () => {
    const result = await store.compactHistory(new Date(NOW), 60 * 3600);
    const id = slos[0]!.id;
    // 48 h at 6 an hour stay raw, the one at 48 h exactly included.
    expect(await count(`slo_id = '${id}' AND resolution = 'raw'`)).toBe(48 * 6 + 1);
    // 72 h - 48 h = 24 older hours become hourly rows; the 12 older than 60 h are then dropped.
    expect(await count(`slo_id = '${id}' AND resolution = 'hour'`)).toBe(12);
    expect(result.downsampled).toBe(24 * slos.length);
    expect(result.dropped).toBe(12 * slos.length);
    // An hourly row is stamped with its hour and holds the hour's last snapshot (written at :50,
    // 48 whole hours before NOW: ratio 0.00048 of a 0.001 budget).
    const rows = await dataSource.query<{ evaluated_at: Date; budget_remaining: number }[]>(
      `SELECT evaluated_at, budget_remaining FROM slo_snapshot
       WHERE slo_id = $1 AND resolution = 'hour' ORDER BY evaluated_at DESC LIMIT 1`,
      [id],
    );
    expect(new Date(rows[0]!.evaluated_at).getTime()).toBe(NOW - 49 * HOUR);
    expect(rows[0]!.budget_remaining).toBeCloseTo(0.52, 9);
    const history = await store.history(id, new Date(NOW - 60 * HOUR), new Date(NOW), 3600);
    expect(history).toHaveLength(12 + 48 + 1);
  });
});
