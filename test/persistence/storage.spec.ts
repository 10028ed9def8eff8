import 'reflect-metadata';

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { AlertOutboxEntity, CostLineEntity, SloStatusEntity, openDataSource } from '@burnrate/persistence';

import { aPgliteDatabase, aPostgresDatabase, type TestDatabase } from './test-databases.js';

const aCostLine = (overrides: Partial<CostLineEntity> = {}): Partial<CostLineEntity> => ({
  provider: 'aws',
  billingAccount: '111122223333',
  subAccount: '444455556666',
  serviceName: 'Amazon Elastic Compute Cloud',
  chargePeriodStart: '2026-11-02',
  chargePeriodEnd: '2026-11-03',
  billedCost: '12.3400000001',
  currency: 'USD',
  tags: { team: 'payments', env: 'prod' },
  team: 'payments',
  ...overrides,
});

const anSloStatus = (overrides: Partial<SloStatusEntity> = {}): Partial<SloStatusEntity> => ({
  service: 'checkout-api',
  slo: 'availability',
  team: 'payments',
  timeWindow: '30d',
  objective: 0.999,
  state: 'ok',
  ...overrides,
});

// Both databases must behave the same through TypeORM: this is what "one code path" promises.
describe.each([
  { backend: 'PostgreSQL server', database: aPostgresDatabase },
  { backend: 'embedded PGlite', database: () => Promise.resolve(aPgliteDatabase()) },
])('storage on $backend', ({ database }) => {
  let db: TestDatabase;
  let dataSource: DataSource;

  beforeAll(async () => {
    db = await database();
    dataSource = await openDataSource(db.config);
  });

  afterAll(async () => {
    if (dataSource?.isInitialized) await dataSource.destroy();
    await db?.drop();
  });

  it('reads money as exact decimal strings, days as YYYY-MM-DD and bigint ids as strings', async () => {
    const costs = dataSource.getRepository(CostLineEntity);
    await costs.insert(aCostLine({ serviceName: 'types' }));

    const row = await costs.findOneByOrFail({ serviceName: 'types' });

    expect(row.billedCost).toBe('12.3400000001');
    expect(row.chargePeriodStart).toBe('2026-11-02');
    expect(typeof row.id).toBe('string');
    expect(row.tags).toEqual({ team: 'payments', env: 'prod' });
  });

  it('keeps one cost row when the same line is upserted again with its tags in another order', async () => {
    const costs = dataSource.getRepository(CostLineEntity);
    const upsert = (line: Partial<CostLineEntity>) =>
      costs
        .createQueryBuilder()
        .insert()
        .values(line)
        .orUpdate(['billed_cost', 'team'], 'uq_cost_line_natural_key')
        .execute();

    await upsert(aCostLine({ serviceName: 'upsert', billedCost: '1.5' }));
    await upsert(
      aCostLine({ serviceName: 'upsert', billedCost: '2.5', tags: { env: 'prod', team: 'payments' } }),
    );

    const rows = await costs.findBy({ serviceName: 'upsert' });
    expect(rows.map((row) => row.billedCost)).toEqual(['2.5000000000']);
  });

  it('accepts an outbox message once per dedup key', async () => {
    const outbox = dataSource.getRepository(AlertOutboxEntity);
    const enqueue = () =>
      outbox
        .createQueryBuilder()
        .insert()
        .values({ dedupKey: 'payments/checkout/firing/slack', team: 'payments', payload: { text: 'hi' } })
        .orIgnore()
        .execute();

    await enqueue();
    await enqueue();

    const rows = await outbox.findBy({ team: 'payments' });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ status: 'pending', attempts: 0, deliveredAt: null });
  });

  it('reports how many rows an update changed', async () => {
    const statuses = dataSource.getRepository(SloStatusEntity);
    await statuses.insert(anSloStatus({ slo: 'affected' }));

    const result = await statuses.update({ slo: 'affected' }, { state: 'burning', burnRates: { '5m': 15 } });

    expect(result.affected).toBe(1);
  });

  it("does not let one caller's rollback undo another caller's write", async () => {
    const statuses = dataSource.getRepository(SloStatusEntity);
    const transaction = dataSource.createQueryRunner();
    await transaction.startTransaction();
    await transaction.manager.insert(SloStatusEntity, anSloStatus({ slo: 'rolled-back' }));

    const concurrentWrite = statuses.insert(anSloStatus({ slo: 'committed' }));
    // Give the other write every chance to reach the database while the transaction is open.
    await sleep(100);
    await transaction.rollbackTransaction();
    await transaction.release();
    await concurrentWrite;

    const slos = (await statuses.findBy({ service: 'checkout-api' })).map((row) => row.slo);
    expect(slos).toContain('committed');
    expect(slos).not.toContain('rolled-back');
  });
});

describe('embedded PGlite in a data directory', () => {
  let dataDir: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'burnrate-pglite-'));
  });

  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('keeps its rows after the data source is closed and opened again', async () => {
    const config = { kind: 'pglite', dataDir: join(dataDir, 'nested') } as const;
    const first = await openDataSource(config);
    await first.getRepository(SloStatusEntity).insert(anSloStatus());
    await first.destroy();

    const second = await openDataSource(config);
    try {
      expect(await second.getRepository(SloStatusEntity).countBy({ slo: 'availability' })).toBe(1);
    } finally {
      await second.destroy();
    }
  });
});
