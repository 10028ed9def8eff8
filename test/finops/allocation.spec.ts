/**
 * Allocation from the catalog on the real PostgreSQL: whole accounts before tags, shared costs
 * split evenly, in proportion to direct spend and by percentages (shares adding up to the cent
 * and beyond), the unallocated rest kept, conflicting rules refused by the catalog with file
 * and line, and a catalog change re-allocating every past day.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCatalog, type Catalog } from '@burnrate/catalog';
import { writePull, type DailyCostLine } from '@burnrate/finops';
import { openDataSource } from '@burnrate/persistence';

import { aPostgresDatabase, type TestDatabase } from '../persistence/test-databases.js';
import { sum } from '../support/fake-cloud-billing.js';

const CATALOG = 'test/finops/fixtures/shared-catalog/catalog.yaml';

const line = (day: string, billed: string, over: Partial<DailyCostLine>): DailyCostLine => ({
  billingAccount: 'aws',
  subAccount: '111122223333',
  serviceName: 'AmazonEC2',
  region: '',
  chargeCategory: 'Usage',
  day,
  billedCost: billed,
  effectiveCost: billed,
  currency: 'USD',
  tags: {},
  estimated: false,
  ...over,
});

const DAY1 = [
  line('2026-11-02', '100', { tags: { team: 'payments' } }),
  line('2026-11-02', '50', { tags: { team: 'checkout' } }), // payments' second tag value
  line('2026-11-02', '50', { tags: { team: 'search' } }),
  line('2026-11-02', '7', { subAccount: '222233334444', tags: { team: 'payments' } }), // search owns the account
  line('2026-11-02', '0', { tags: { team: 'data' } }),
  line('2026-11-02', '35', { tags: { team: 'platform' } }), // proportional: payments 150, search 57, data 0
  line('2026-11-02', '1', { tags: { 'cost-center': 'observability' } }), // even, three ways
  line('2026-11-02', '10.01', { subAccount: '999988887777' }), // 70/30
  line('2026-11-02', '12.5', { tags: { team: 'someone-else' } }), // unallocated
];

let database: TestDatabase;
let db: DataSource;
let catalog: Catalog;
let dir: string;

beforeAll(async () => {
  database = await aPostgresDatabase();
  db = await openDataSource(database.config);
  const loaded = await loadCatalog([CATALOG]);
  expect(loaded.problems.filter((p) => p.severity === 'error')).toEqual([]);
  catalog = loaded.catalog;
  dir = await mkdtemp(join(tmpdir(), 'burnrate-alloc-'));
}, 120_000);
afterAll(async () => {
  await db?.destroy();
  await database?.drop();
  await rm(dir, { recursive: true, force: true });
});

const daily = async (day?: string) =>
  Object.fromEntries(
    (
      await db.query<{ team: string; rule: string; total: string }[]>(
        `SELECT team, shared_rule AS rule, trim_scale(sum(billed_cost))::text AS total FROM cost_daily
         WHERE $1::date IS NULL OR day = $1::date GROUP BY 1, 2 ORDER BY 1, 2`,
        [day ?? null],
      )
    ).map((r) => [`${r.team || '(unallocated)'}${r.rule ? ` <- ${r.rule}` : ''}`, r.total]),
  );

const pull = (lines: DailyCostLine[], c: Catalog, from = '2026-11-02', to = from) =>
  writePull(db, { provider: 'aws', source: 'test', billingAccounts: ['aws'], from, to }, lines, {
    catalog: c,
  });

describe('allocation', () => {
  it('allocates accounts before tags and splits shared costs evenly, by direct spend and by percent', async () => {
    await pull(DAY1, catalog);
    expect(await daily('2026-11-02')).toEqual({
      '(unallocated)': '12.5',
      data: '0',
      'data <- indexing': '3.003',
      'data <- observability': '0.3333333334',
      'data <- platform': '0',
      payments: '150',
      // 35 x 150/207 = 25.36231884057971..., rounded to 10 places; the first team by name (data)
      // takes what rounding leaves over.
      'payments <- observability': '0.3333333333',
      'payments <- platform': '25.3623188406',
      search: '57',
      'search <- indexing': '7.007',
      'search <- observability': '0.3333333333',
      'search <- platform': '9.6376811594',
    });
    // Nothing lost: the rollup adds up to the bill exactly.
    const [{ total }] = await db.query<[{ total: string }]>(
      `SELECT trim_scale(sum(billed_cost))::text AS total FROM cost_daily`,
    );
    expect(total).toBe(sum(DAY1.map((l) => l.billedCost)));
  });

  it('splits evenly on a day no sharing team spent anything directly', async () => {
    await pull([line('2026-11-03', '9', { tags: { team: 'platform' } })], catalog, '2026-11-03');
    expect(await daily('2026-11-03')).toEqual({
      'data <- platform': '3',
      'payments <- platform': '3',
      'search <- platform': '3',
    });
  });

  it('re-allocates every past day when the catalog changes', async () => {
    const text = (await readFile(CATALOG, 'utf8'))
      .replace('tags: { team: [payments, checkout] }', 'tags: { team: [payments] }')
      .replace('tags: { team: [data] }', 'tags: { team: [data, checkout] }');
    await writeFile(join(dir, 'catalog.yaml'), text);
    const { catalog: changed } = await loadCatalog([join(dir, 'catalog.yaml')]);
    await pull([line('2026-11-04', '1', { tags: { team: 'data' } })], changed, '2026-11-04');
    const day1 = await daily('2026-11-02');
    expect(day1['payments']).toBe('100');
    expect(day1['data']).toBe('50'); // checkout moved to data, two days ago included
    expect(
      await db.query(
        `SELECT count(*)::int AS n FROM cost_line WHERE tags->>'team' = 'checkout' AND team = 'data'`,
      ),
    ).toEqual([{ n: 1 }]);
    const [{ total }] = await db.query<[{ total: string }]>(
      `SELECT trim_scale(sum(billed_cost))::text AS total FROM cost_daily`,
    );
    expect(total).toBe(sum([...DAY1.map((l) => l.billedCost), '9', '1']));
  });
});

describe('allocation by tag keys as providers write them', () => {
  it('matches keys with colons and values with quotes, a `constructor` key too; the rest unallocated', async () => {
    const file = join(dir, 'odd-keys.yaml');
    await writeFile(
      file,
      [
        'apiVersion: burnrate.dev/v1\nkind: Team\nmetadata:\n  name: stacks\nspec:\n  cost:\n    allocation:',
        '      tags: { "aws:cloudformation:stack-name": [\'web "blue"\'], "constructor": [x] }',
      ].join('\n'),
    );
    const loaded = await loadCatalog([file]);
    expect(loaded.problems.filter((p) => p.severity === 'error')).toEqual([]);
    const lines = [
      line('2026-11-06', '3', { tags: { 'aws:cloudformation:stack-name': 'web "blue"' } }),
      line('2026-11-06', '4', { tags: { constructor: 'x' } }),
      line('2026-11-06', '5', { tags: { team: 'payments' } }),
    ];
    await pull(lines, loaded.catalog, '2026-11-06');
    expect(await daily('2026-11-06')).toEqual({ '(unallocated)': '5', stacks: '7' });
  });
});

describe('allocation rules in the catalog', () => {
  const problemsOf = async (yaml: string) => {
    const file = join(dir, `c-${Math.random().toString(36).slice(2)}.yaml`);
    await writeFile(file, yaml);
    return (await loadCatalog([file])).problems
      .filter((p) => p.severity === 'error')
      .map((p) => `${p.line}:${p.column}: ${p.message}`);
  };
  const team = (name: string, allocation: string, extra = '') =>
    `apiVersion: burnrate.dev/v1\nkind: Team\nmetadata:\n  name: ${name}\nspec:\n  cost:\n    allocation: ${allocation}\n${extra}`;

  it('refuses two teams claiming one tag value, naming both places', async () => {
    const problems = await problemsOf(
      team('a', '{ tags: { team: [x, y] } }') + '---\n' + team('b', '{ tags: { team: [y] } }'),
    );
    expect(problems).toEqual([
      expect.stringMatching(
        /^9:1: tag team=y is claimed by team b and by team a \(.*c-\w+\.yaml:1:1\); a cost line has one owner$/,
      ),
    ]);
  });

  it('refuses a shared cost that claims what a team owns, names an unknown team, or adds up wrong', async () => {
    const problems = await problemsOf(
      team('a', '{ awsAccounts: ["111122223333"] }') +
        '---\n' +
        team(
          'b',
          '{ tags: { team: [b] } }',
          '    shared:\n      - { name: s1, awsAccounts: ["111122223333"], split: even }\n' +
            '      - { name: s2, tags: { team: [z] }, split: even, teams: [a, bb] }\n' +
            '      - { name: s3, tags: { team: [w] }, split: percent, percent: { a: 60, b: 30 } }\n' +
            '      - { name: s4, tags: { team: [v] }, split: thirds }\n',
        ),
    );
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/AWS account 111122223333 is claimed by shared cost s1 and by team a/),
        expect.stringMatching(
          /shared cost `s2` names team `bb`, which is not declared \(did you mean `b`\?\)/,
        ),
        expect.stringMatching(/the percentages add up to 90, not 100/),
        expect.stringMatching(/split `thirds` is not one of even, proportional, percent/),
      ]),
    );
    expect(problems).toHaveLength(4);
  });
});
