// Weekly cost reports for 200 teams (`report cost --send`'s code path: bill-wide figures once,
// then each team's report from the cost_daily rollups) over five weeks of spend: 200 teams x 10
// services x 35 days = 70,000 rollup rows plus the raw lines. Goal: <= 200 ms per report.
import { performance } from 'node:perf_hooks';

import { scratchDatabase } from '../support/scratch-database.mjs';
import { buildCostReport, parseIsoWeek, weekContext, writePull } from '@burnrate/finops';
import { openDataSource } from '@burnrate/persistence';

const TEAMS = Number(process.env.BENCH_REPORT_TEAMS ?? 200);
const week = parseIsoWeek('2026-W49');
const day = (i) => new Date(Date.UTC(2026, 10, 2 + i)).toISOString().slice(0, 10);
const teams = Array.from({ length: TEAMS }, (_, i) => ({
  name: `team-${String(i).padStart(3, '0')}`,
  cost: {
    allocation: {
      tags: { team: [`team-${String(i).padStart(3, '0')}`] },
      awsAccounts: [],
      azureSubscriptions: [],
    },
  },
}));
const lines = [];
for (let d = 0; d < 35; d++)
  for (const [t, team] of teams.entries())
    for (let s = 0; s < 10; s++)
      lines.push({
        billingAccount: 'aws',
        subAccount: '',
        serviceName: `service-${s}`,
        region: '',
        chargeCategory: 'Usage',
        day: day(d),
        billedCost: `${(t % 17) + s}.${String((d * 7 + s) % 100).padStart(2, '0')}`,
        effectiveCost: null,
        currency: 'USD',
        tags: { team: team.name },
        estimated: false,
      });

const database = await scratchDatabase('bench_reports');
try {
  const db = await openDataSource({ kind: 'postgres', url: database.url });
  const catalog = { teams, defaults: { sharedCosts: [] } };
  await writePull(
    db,
    { provider: 'aws', source: 'bench', billingAccounts: ['aws'], from: day(0), to: day(34) },
    lines,
    { catalog },
  );
  const started = performance.now();
  const context = await weekContext(db, week, ['team']);
  const contextMs = performance.now() - started;
  const each = [];
  for (const team of teams) {
    const t = performance.now();
    await buildCostReport(db, { name: team.name }, context);
    each.push(performance.now() - t);
  }
  const total = performance.now() - started;
  each.sort((a, b) => a - b);
  const q = (p) => each[Math.min(each.length - 1, Math.floor(p * each.length))];
  console.log(
    JSON.stringify({
      bench: 'cost-reports',
      teams: TEAMS,
      dailyLines: lines.length,
      totalSeconds: total / 1000,
      contextMs,
      p50Ms: q(0.5),
      p99Ms: q(0.99),
      maxMs: each.at(-1),
      goalMs: 200,
    }),
  );
  await db.destroy();
} finally {
  await database.drop();
}
