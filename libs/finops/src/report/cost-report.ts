import { Decimal } from 'decimal.js';
import type { DataSource } from 'typeorm';

import { addDays } from '../ingest/cost-lines.js';
import { previousWeek, type IsoWeek } from './iso-week.js';

/** Anomaly rules (`COST_ANOMALY_*`). */
export interface AnomalyRules {
  /** Trailing days a day is compared with (robust z-score: median and MAD). */
  windowDays: number;
  /** A day is anomalous from this robust z-score up. */
  z: number;
  /** A service's week is anomalous when it grew this many percent or more... */
  weekOverWeekPercent: number;
  /** ...and either rule only when the money is at least this much (a decimal string). */
  minAmount: string;
}

export const DEFAULT_ANOMALY_RULES: AnomalyRules = {
  windowDays: 28,
  z: 3.5,
  weekOverWeekPercent: 30,
  minAmount: '50',
};

export interface ServiceSpend {
  name: string;
  amount: string;
  previousAmount: string;
}

export interface Mover extends ServiceSpend {
  change: string;
  percent: number | null;
}

export type Anomaly =
  | { kind: 'daily'; service: string; day: string; amount: string; expected: string; z: number | null }
  | { kind: 'weekOverWeek'; service: string; amount: string; previousAmount: string; percent: number | null };

export interface SloLine {
  service: string;
  slo: string;
  state: string;
  /** Share of the error budget left, 0-1; null before the first evaluation. */
  budgetRemaining: number | null;
}

export interface CostReport {
  team: string;
  week: string;
  from: string;
  to: string;
  currency: string;
  total: string;
  previousTotal: string;
  change: { amount: string; percent: number | null };
  byService: ServiceSpend[];
  topMovers: Mover[];
  /** What no rule claims, of the whole bill that week; `share` in percent. */
  unallocated: { amount: string; share: number | null };
  /** Percent of the whole bill that week carrying a tag the allocation rules read. */
  tagCoverage: number | null;
  budget: { monthly: string | null; monthToDate: string; forecast: string };
  anomalies: Anomaly[];
  reliability: { slos: SloLine[]; pages: number };
  /** The team's spend in other currencies that week: never added to `total`. */
  otherCurrencies: { currency: string; total: string }[];
}

export interface ReportTeam {
  name: string;
  monthlyBudget?: { amount: string; currency: string };
}

/** Bill-wide figures of a week, the same for every team: read once per batch of reports. */
export interface WeekContext {
  week: IsoWeek;
  bill: Map<string, { total: Decimal; unallocated: Decimal; tagged: Decimal }>;
}

const money = (d: Decimal): string => d.toFixed(2, Decimal.ROUND_HALF_EVEN);
const percentOf = (part: Decimal, whole: Decimal): number | null =>
  whole.isZero() ? null : part.div(whole).times(100).toDecimalPlaces(1, Decimal.ROUND_HALF_EVEN).toNumber();

/** The whole bill of the week per currency: its total, the unallocated part, the tagged part. */
export async function weekContext(
  dataSource: DataSource,
  week: IsoWeek,
  tagKeys: readonly string[],
): Promise<WeekContext> {
  const rows = await dataSource.query<
    { currency: string; total: string; unallocated: string; tagged: string }[]
  >(
    `WITH bill AS (
       SELECT currency, sum(billed_cost) AS total, coalesce(sum(billed_cost) FILTER (WHERE team = ''), 0) AS unallocated
       FROM cost_daily WHERE day BETWEEN $1::date AND $2::date GROUP BY currency),
     tagged AS (
       SELECT currency, sum(billed_cost) AS tagged FROM cost_line
       WHERE charge_period_start BETWEEN $1::date AND $2::date
         AND EXISTS (SELECT 1 FROM unnest($3::text[]) AS k(key) WHERE coalesce(tags->>k.key, '') <> '')
       GROUP BY currency)
     SELECT b.currency, b.total::text, b.unallocated::text, coalesce(t.tagged, 0)::text AS tagged
     FROM bill b LEFT JOIN tagged t USING (currency)`,
    [week.from, week.to, tagKeys],
  );
  return {
    week,
    bill: new Map(
      rows.map((r) => [
        r.currency,
        {
          total: new Decimal(r.total),
          unallocated: new Decimal(r.unallocated),
          tagged: new Decimal(r.tagged),
        },
      ]),
    ),
  };
}

/**
 * One team's weekly cost report, from the `cost_daily` rollups (one query for its spend over the
 * trailing window, one for its SLOs and pages). Money is decimal throughout (decimal.js over
 * PostgreSQL `numeric` strings), shown to the cent; percentages and z-scores are plain numbers.
 */
export async function buildCostReport(
  dataSource: DataSource,
  team: ReportTeam,
  context: WeekContext,
  rules: AnomalyRules = DEFAULT_ANOMALY_RULES,
): Promise<CostReport> {
  const { week } = context;
  const previous = previousWeek(week);
  const monthStart = `${week.to.slice(0, 8)}01`;
  const windowStart = addDays(week.from, -rules.windowDays);
  const first = monthStart < windowStart ? monthStart : windowStart;
  const [spend, slos, pages] = await Promise.all([
    dataSource.query<{ day: string; service: string; currency: string; amount: string }[]>(
      `SELECT day::text AS day, service_name AS service, currency, sum(billed_cost)::text AS amount
       FROM cost_daily WHERE team = $1 AND day BETWEEN $2::date AND $3::date GROUP BY 1, 2, 3`,
      [team.name, first, week.to],
    ),
    dataSource.query<{ service: string; slo: string; state: string; budget: number | null }[]>(
      `SELECT service, slo, state, budget_remaining AS budget FROM slo_status WHERE team = $1 ORDER BY service, slo`,
      [team.name],
    ),
    dataSource.query<{ n: number }[]>(
      `SELECT count(DISTINCT group_key)::int AS n FROM alert_outbox
       WHERE team = $1 AND created_at >= $2::date AND created_at < $3::date + 1
         AND payload->>'status' = 'firing' AND payload->'alerts' @> '[{"labels":{"severity":"page"}}]'`,
      [team.name, week.from, week.to],
    ),
  ]);

  const inWeek = (d: string, w: IsoWeek) => d >= w.from && d <= w.to;
  const totals = new Map<string, Decimal>();
  for (const row of spend)
    if (inWeek(row.day, week))
      totals.set(row.currency, (totals.get(row.currency) ?? new Decimal(0)).plus(row.amount));
  const currency =
    team.monthlyBudget?.currency ??
    [...totals].sort(([a, x], [b, y]) => y.cmp(x) || (a < b ? -1 : 1))[0]?.[0] ??
    [...context.bill.keys()].sort()[0] ??
    'USD';
  const rows = spend.filter((r) => r.currency === currency);

  const byName = new Map<string, { amount: Decimal; previous: Decimal }>();
  const daily = new Map<string, Map<string, Decimal>>(); // service -> day -> amount
  let monthToDate = new Decimal(0);
  for (const row of rows) {
    const amount = new Decimal(row.amount);
    const entry = byName.get(row.service) ?? { amount: new Decimal(0), previous: new Decimal(0) };
    if (inWeek(row.day, week)) entry.amount = entry.amount.plus(amount);
    else if (inWeek(row.day, previous)) entry.previous = entry.previous.plus(amount);
    byName.set(row.service, entry);
    if (row.day >= monthStart) monthToDate = monthToDate.plus(amount);
    const days = daily.get(row.service) ?? new Map<string, Decimal>();
    days.set(row.day, (days.get(row.day) ?? new Decimal(0)).plus(amount));
    daily.set(row.service, days);
  }
  const services = [...byName].filter(([, e]) => !e.amount.isZero() || !e.previous.isZero());
  const total = services.reduce((a, [, e]) => a.plus(e.amount), new Decimal(0));
  const previousTotal = services.reduce((a, [, e]) => a.plus(e.previous), new Decimal(0));
  const byService = services
    .sort(([a, x], [b, y]) => y.amount.cmp(x.amount) || (a < b ? -1 : 1))
    .map(([name, e]) => ({ name, amount: money(e.amount), previousAmount: money(e.previous) }));
  const topMovers = services
    .map(([name, e]) => ({ name, e, change: e.amount.minus(e.previous) }))
    .filter((m) => !m.change.isZero())
    .sort((a, b) => b.change.abs().cmp(a.change.abs()) || (a.name < b.name ? -1 : 1))
    .slice(0, 5)
    .map(({ name, e, change }) => ({
      name,
      amount: money(e.amount),
      previousAmount: money(e.previous),
      change: money(change),
      percent: percentOf(change, e.previous),
    }));

  const bill = context.bill.get(currency);
  const daysLeft = daysInMonth(week.to) - Number(week.to.slice(8, 10));
  const monthly =
    team.monthlyBudget && team.monthlyBudget.currency === currency ? team.monthlyBudget.amount : null;
  return {
    team: team.name,
    week: week.week,
    from: week.from,
    to: week.to,
    currency,
    total: money(total),
    previousTotal: money(previousTotal),
    change: {
      amount: money(total.minus(previousTotal)),
      percent: percentOf(total.minus(previousTotal), previousTotal),
    },
    byService,
    topMovers,
    unallocated: {
      amount: money(bill?.unallocated ?? new Decimal(0)),
      share: bill ? percentOf(bill.unallocated, bill.total) : null,
    },
    tagCoverage: bill ? percentOf(bill.tagged, bill.total) : null,
    budget: {
      monthly: monthly === null ? null : money(new Decimal(monthly)),
      monthToDate: money(monthToDate),
      // The week's daily average carried to the month's last day.
      forecast: money(monthToDate.plus(total.div(7).times(daysLeft))),
    },
    anomalies: anomalies(daily, byName, week, rules),
    reliability: {
      slos: slos.map((s) => ({ service: s.service, slo: s.slo, state: s.state, budgetRemaining: s.budget })),
      pages: pages[0]?.n ?? 0,
    },
    otherCurrencies: [...totals]
      .filter(([c]) => c !== currency)
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([c, t]) => ({ currency: c, total: money(t) })),
  };
}

function daysInMonth(day: string): number {
  return new Date(Date.UTC(Number(day.slice(0, 4)), Number(day.slice(5, 7)), 0)).getUTCDate();
}

const median = (values: Decimal[]): Decimal => {
  const sorted = [...values].sort((a, b) => a.cmp(b));
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : sorted[mid - 1]!.plus(sorted[mid]!).div(2);
};

/**
 * A day of a service is anomalous when its robust z-score against the trailing window
 * (0.6745 x (x - median) / MAD) reaches `z` and it exceeds the median by `minAmount`; a
 * service's week when it grew `weekOverWeekPercent` and by `minAmount` or more.
 */
function anomalies(
  daily: Map<string, Map<string, Decimal>>,
  byName: Map<string, { amount: Decimal; previous: Decimal }>,
  week: IsoWeek,
  rules: AnomalyRules,
): Anomaly[] {
  const floor = new Decimal(rules.minAmount);
  const out: Anomaly[] = [];
  for (const [service, days] of [...daily].sort(([a], [b]) => (a < b ? -1 : 1))) {
    for (let i = 0; i < 7; i++) {
      const day = addDays(week.from, i);
      const x = days.get(day) ?? new Decimal(0);
      const trailing = Array.from(
        { length: rules.windowDays },
        (_, k) => days.get(addDays(day, -1 - k)) ?? new Decimal(0),
      );
      const m = median(trailing);
      if (x.minus(m).lt(floor)) continue;
      const mad = median(trailing.map((v) => v.minus(m).abs()));
      const z = mad.isZero() ? null : x.minus(m).times(0.6745).div(mad).toDecimalPlaces(1).toNumber();
      if (z === null || z >= rules.z)
        out.push({ kind: 'daily', service, day, amount: money(x), expected: money(m), z });
    }
    const e = byName.get(service);
    if (!e) continue;
    const grew = e.amount.minus(e.previous);
    const percent = percentOf(grew, e.previous);
    if (grew.gte(floor) && (percent === null || percent >= rules.weekOverWeekPercent))
      out.push({
        kind: 'weekOverWeek',
        service,
        amount: money(e.amount),
        previousAmount: money(e.previous),
        percent,
      });
  }
  return out;
}
