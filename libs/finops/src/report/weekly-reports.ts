import { createHash } from 'node:crypto';

import type { DataSource } from 'typeorm';
import type { Catalog } from '@burnrate/catalog';
import { acceptsReport, destinationOf, OutboxStore, type EnqueueResult } from '@burnrate/notify';

import { buildCostReport, weekContext, type AnomalyRules, type CostReport } from './cost-report.js';
import type { IsoWeek } from './iso-week.js';

export interface WeeklyReportOptions {
  rules?: AnomalyRules;
  /** Tag keys whose presence counts as tagged (default: the keys the allocation rules read, else `team`). */
  tagKeys?: readonly string[];
  /** Only these teams (default: every team of the catalog). */
  teams?: readonly string[];
}

/** The tag keys the catalog allocates by: what "tag coverage" measures. */
export function allocationTagKeys(catalog: Pick<Catalog, 'teams' | 'defaults'>, fallback = 'team'): string[] {
  const keys = new Set<string>();
  for (const team of catalog.teams)
    for (const key of Object.keys(team.cost?.allocation.tags ?? {})) keys.add(key);
  for (const rule of catalog.defaults.sharedCosts)
    for (const key of Object.keys(rule.match.tags)) keys.add(key);
  return keys.size > 0 ? [...keys].sort() : [fallback];
}

/** Every team's report for the week, the bill-wide figures read once. */
export async function buildWeeklyReports(
  dataSource: DataSource,
  catalog: Pick<Catalog, 'teams' | 'defaults'>,
  week: IsoWeek,
  options: WeeklyReportOptions = {},
): Promise<CostReport[]> {
  const context = await weekContext(dataSource, week, options.tagKeys ?? allocationTagKeys(catalog));
  const teams = catalog.teams.filter((t) => !options.teams || options.teams.includes(t.name));
  const reports: CostReport[] = [];
  for (const team of teams)
    reports.push(
      await buildCostReport(
        dataSource,
        { name: team.name, ...(team.cost?.monthlyBudget ? { monthlyBudget: team.cost.monthlyBudget } : {}) },
        context,
        options.rules,
      ),
    );
  return reports;
}

/**
 * Queues each report to its team's destinations that take `cost` reports, through the delivery
 * outbox (retries, rate limits and parking as for alerts). A report is keyed by team, week and
 * destination: asking again, from another replica or by hand, queues nothing new.
 */
export async function queueCostReports(
  dataSource: DataSource,
  catalog: Pick<Catalog, 'teams'>,
  reports: readonly CostReport[],
): Promise<EnqueueResult & { destinations: number }> {
  const byName = new Map(catalog.teams.map((t) => [t.name, t]));
  const rows = reports.flatMap((report) =>
    (byName.get(report.team)?.chat ?? []).flatMap((target, index) => {
      if (!acceptsReport(target, 'cost')) return [];
      const destination = destinationOf(report.team, { kind: 'team', name: report.team }, index, target);
      const groupKey = `cost-report:${report.team}:${report.week}`;
      const key = createHash('sha256')
        .update(JSON.stringify(['cost-report', report.team, report.week, `${report.team}#${index}`]))
        .digest('hex');
      return [
        {
          key,
          team: report.team,
          groupKey,
          destination,
          payload: { kind: 'cost-report', status: 'report', report },
        },
      ];
    }),
  );
  const result = await new OutboxStore(dataSource).enqueueReports(rows);
  return { ...result, destinations: rows.length };
}
