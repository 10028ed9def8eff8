import type { DataSource, EntityManager } from 'typeorm';

import type { SloStateName, StatusWindow } from '@burnrate/slo';

import type { StatusCycle } from '../refresh/status-refresh.js';
import type { TrackedSlo } from '../refresh/status-queries.js';

/** What the catalog sync writes for a team, a service and an SLO. */
export interface CatalogRows {
  teams: { name: string; displayName: string | null }[];
  services: { name: string; team: string; runbook: string | null }[];
  slos: { slo: TrackedSlo; detail: Record<string, unknown> }[];
}

/** One SLO as the API answers it. */
export interface SloItem {
  id: string;
  service: string;
  slo: string;
  team: string;
  objective: number;
  window: string;
  state: SloStateName;
  sli: number | null;
  errorBudget: { remaining: number | null; consumed: number | null };
  burnRates: Record<StatusWindow, number | null>;
  exhaustsAt: string | null;
  since: string | null;
  stale: boolean;
  evaluatedAt: string | null;
}

export interface SloEvent {
  from: SloStateName | null;
  to: SloStateName;
  at: string;
  burnRates: Record<string, number | null>;
}

export interface HistoryPoint {
  at: string;
  state: SloStateName;
  sli: number | null;
  budgetRemaining: number | null;
  burnRates: Record<string, number | null>;
}

export interface SloFilter {
  team?: string;
  service?: string;
  state?: SloStateName;
  /** Ids after this one (the cursor), in id order. */
  after?: string;
  limit: number;
}

export interface CycleWrite {
  snapshots: number;
  events: number;
}

const RAW_KEEP_SECONDS = 48 * 3600;
const EMPTY_RATES = { '5m': null, '30m': null, '1h': null, '2h': null, '6h': null, '1d': null, '3d': null };

/**
 * SLO status in PostgreSQL (or PGlite): the catalog's SLOs, their latest status, snapshots and
 * state changes. Every write of a cycle is one statement per table, whatever the number of
 * SLOs: rows travel as one JSON array and `jsonb_to_recordset` unpacks them server-side.
 */
export class StatusStore {
  constructor(private readonly dataSource: DataSource) {}

  /** Mirrors the catalog: new and changed rows upserted, rows no longer in it marked removed. */
  async syncCatalog(rows: CatalogRows, now: Date): Promise<{ slos: number; removed: number }> {
    return this.dataSource.transaction(async (tx) => {
      await tx.query(
        `INSERT INTO catalog_team (name, display_name, removed_at, updated_at)
         SELECT name, display_name, NULL, $2 FROM jsonb_to_recordset($1::jsonb) AS t(name text, display_name text)
         ON CONFLICT (name) DO UPDATE SET display_name = EXCLUDED.display_name, removed_at = NULL, updated_at = $2`,
        [JSON.stringify(rows.teams.map((t) => ({ name: t.name, display_name: t.displayName }))), now],
      );
      await tx.query(
        `INSERT INTO catalog_service (name, team, runbook, removed_at, updated_at)
         SELECT name, team, runbook, NULL, $2 FROM jsonb_to_recordset($1::jsonb) AS s(name text, team text, runbook text)
         ON CONFLICT (name) DO UPDATE SET team = EXCLUDED.team, runbook = EXCLUDED.runbook, removed_at = NULL, updated_at = $2`,
        [JSON.stringify(rows.services), now],
      );
      await tx.query(
        `INSERT INTO catalog_slo (id, service, slo, team, objective, time_window, detail, removed_at, updated_at)
         SELECT id, service, slo, team, objective, time_window, detail, NULL, $2
         FROM jsonb_to_recordset($1::jsonb)
           AS s(id text, service text, slo text, team text, objective double precision, time_window text, detail jsonb)
         ON CONFLICT (id) DO UPDATE SET service = EXCLUDED.service, slo = EXCLUDED.slo, team = EXCLUDED.team,
           objective = EXCLUDED.objective, time_window = EXCLUDED.time_window, detail = EXCLUDED.detail,
           removed_at = NULL, updated_at = $2`,
        [
          JSON.stringify(
            rows.slos.map(({ slo, detail }) => ({
              id: slo.id,
              service: slo.service,
              slo: slo.slo,
              team: slo.team,
              objective: slo.objective,
              time_window: slo.windowLabel,
              detail,
            })),
          ),
          now,
        ],
      );
      const removed = await markRemoved(
        tx,
        'catalog_slo',
        'id',
        rows.slos.map((s) => s.slo.id),
        now,
      );
      await markRemoved(
        tx,
        'catalog_service',
        'name',
        rows.services.map((s) => s.name),
        now,
      );
      await markRemoved(
        tx,
        'catalog_team',
        'name',
        rows.teams.map((t) => t.name),
        now,
      );
      return { slos: rows.slos.length, removed };
    });
  }

  /**
   * Writes a cycle in one transaction: the latest status of every SLO (its `since` kept while
   * the state holds), one event per state change, one snapshot per SLO. A second write of the
   * same cycle (same evaluation instant) adds no snapshot and no event.
   */
  async recordCycle(cycle: StatusCycle): Promise<CycleWrite> {
    const at = cycle.evaluatedAt;
    const rows = cycle.statuses.map((s) => ({
      id: s.slo.id,
      service: s.slo.service,
      slo: s.slo.slo,
      team: s.slo.team,
      time_window: s.slo.windowLabel,
      objective: s.slo.objective / 100,
      state: s.state,
      error_ratio: s.sli === null ? null : 1 - s.sli,
      burn_rates: s.burnRates,
      budget_remaining: s.errorBudget.remaining,
      budget_consumed: s.errorBudget.consumed,
      exhausts_at: s.exhaustsAt?.toISOString() ?? null,
    }));
    const json = JSON.stringify(rows);
    return this.dataSource.transaction(async (tx) => {
      const snapshots: { slo_id: string }[] = await tx.query(
        `INSERT INTO slo_snapshot (slo_id, resolution, evaluated_at, state, sli, budget_remaining, burn_rates)
         SELECT id, 'raw', $2, state, 1 - error_ratio, budget_remaining, burn_rates
         FROM jsonb_to_recordset($1::jsonb)
           AS r(id text, state text, error_ratio double precision, budget_remaining double precision, burn_rates jsonb)
         ON CONFLICT DO NOTHING
         RETURNING slo_id`,
        [json, at],
      );
      if (snapshots.length === 0 && rows.length > 0) return { snapshots: 0, events: 0 };
      // Changes against the stored state, before it is overwritten; a first sight is a change too.
      const events: unknown[] = await tx.query(
        `INSERT INTO slo_event (slo_id, from_state, to_state, at, burn_rates)
         SELECT r.id, s.state, r.state, $2, r.burn_rates
         FROM jsonb_to_recordset($1::jsonb) AS r(id text, service text, slo text, state text, burn_rates jsonb)
         LEFT JOIN slo_status s ON s.service = r.service AND s.slo = r.slo
         WHERE s.state IS DISTINCT FROM r.state
         RETURNING id`,
        [json, at],
      );
      await tx.query(
        `INSERT INTO slo_status (service, slo, team, time_window, objective, error_ratio, burn_rates,
           budget_remaining, budget_consumed, exhausts_at, state, since, stale, evaluated_at, updated_at)
         SELECT service, slo, team, time_window, objective, error_ratio, burn_rates, budget_remaining,
           budget_consumed, exhausts_at, state, $2, false, $2, now()
         FROM jsonb_to_recordset($1::jsonb) AS r(service text, slo text, team text, time_window text,
           objective double precision, error_ratio double precision, burn_rates jsonb,
           budget_remaining double precision, budget_consumed double precision, exhausts_at timestamptz, state text)
         ON CONFLICT (service, slo) DO UPDATE SET team = EXCLUDED.team, time_window = EXCLUDED.time_window,
           objective = EXCLUDED.objective, error_ratio = EXCLUDED.error_ratio, burn_rates = EXCLUDED.burn_rates,
           budget_remaining = EXCLUDED.budget_remaining, budget_consumed = EXCLUDED.budget_consumed,
           exhausts_at = EXCLUDED.exhausts_at,
           since = CASE WHEN slo_status.state = EXCLUDED.state THEN slo_status.since ELSE EXCLUDED.since END,
           state = EXCLUDED.state, stale = false, evaluated_at = EXCLUDED.evaluated_at, updated_at = now()`,
        [json, at],
      );
      return { snapshots: snapshots.length, events: events.length };
    });
  }

  /** The last refresh failed: every status is now the last good one. */
  async markStale(): Promise<void> {
    await this.dataSource.query(`UPDATE slo_status SET stale = true WHERE NOT stale`);
  }

  /**
   * Claims one tick of a scheduled job for this replica; false when another replica has it: a
   * PostgreSQL advisory lock held only for the claim's transaction, and the tick's row. No lock
   * or transaction outlives the claim, so none is held over the job's network calls.
   */
  async claimTick(job: string, tick: number, replica: string): Promise<boolean> {
    return this.dataSource.transaction(async (tx) => {
      // Replicas firing together queue on the job's advisory lock for the few milliseconds of the
      // claim; the row then records the tick's one runner, so a replica that fires late (its
      // timer drifted, the lock long released) finds the tick taken.
      const [lock] = await tx.query<{ locked: boolean }[]>(
        `SELECT pg_try_advisory_xact_lock(hashtext('burnrate:' || $1)) AS locked`,
        [job],
      );
      if (!lock?.locked) return false;
      const rows = await tx.query<unknown[]>(
        `INSERT INTO job_tick (job, tick, claimed_by) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING tick`,
        [job, tick, replica],
      );
      return rows.length === 1;
    });
  }

  /**
   * Raw snapshots older than 48 hours become one row per hour (the hour's last), and everything
   * older than the retention goes, ticks included.
   */
  async compactHistory(
    now: Date,
    retentionSeconds: number,
  ): Promise<{ downsampled: number; dropped: number }> {
    const rawBefore = new Date(now.getTime() - RAW_KEEP_SECONDS * 1000);
    const keepAfter = new Date(now.getTime() - retentionSeconds * 1000);
    return this.dataSource.transaction(async (tx) => {
      const hourly: unknown[] = await tx.query(
        `INSERT INTO slo_snapshot (slo_id, resolution, evaluated_at, state, sli, budget_remaining, burn_rates)
         SELECT DISTINCT ON (slo_id, date_trunc('hour', evaluated_at))
           slo_id, 'hour', date_trunc('hour', evaluated_at), state, sli, budget_remaining, burn_rates
         FROM slo_snapshot WHERE resolution = 'raw' AND evaluated_at < $1
         ORDER BY slo_id, date_trunc('hour', evaluated_at), evaluated_at DESC
         ON CONFLICT DO NOTHING RETURNING slo_id`,
        [rawBefore],
      );
      await tx.query(`DELETE FROM slo_snapshot WHERE resolution = 'raw' AND evaluated_at < $1`, [rawBefore]);
      const dropped = await counted(tx, `DELETE FROM slo_snapshot WHERE evaluated_at < $1 RETURNING 1`, [
        keepAfter,
      ]);
      await tx.query(`DELETE FROM slo_event WHERE at < $1`, [keepAfter]);
      await tx.query(`DELETE FROM job_tick WHERE claimed_at < $1`, [rawBefore]);
      return { downsampled: hourly.length, dropped };
    });
  }

  /** Live SLOs in id order, filtered, at most `limit + 1` (the extra one says there is more). */
  async listSlos(filter: SloFilter): Promise<SloItem[]> {
    const where = ['c.removed_at IS NULL'];
    const params: unknown[] = [];
    const add = (clause: string, value: unknown) => {
      params.push(value);
      where.push(clause.replace('?', `$${params.length}`));
    };
    if (filter.team !== undefined) add('c.team = ?', filter.team);
    if (filter.service !== undefined) add('c.service = ?', filter.service);
    if (filter.state !== undefined) add(`COALESCE(s.state, 'no_data') = ?`, filter.state);
    if (filter.after !== undefined) add('c.id > ?', filter.after);
    params.push(filter.limit + 1);
    const rows: ItemRow[] = await this.dataSource.query(
      `${ITEM_SELECT} WHERE ${where.join(' AND ')} ORDER BY c.id LIMIT $${params.length}`,
      params,
    );
    return rows.map(toItem);
  }

  async findSlo(id: string): Promise<{ item: SloItem; detail: Record<string, unknown> } | undefined> {
    const rows: (ItemRow & { detail: Record<string, unknown> })[] = await this.dataSource.query(
      `${ITEM_SELECT.replace('SELECT', 'SELECT c.detail,')} WHERE c.removed_at IS NULL AND c.id = $1`,
      [id],
    );
    const row = rows[0];
    return row && { item: toItem(row), detail: row.detail };
  }

  async recentEvents(id: string, limit: number): Promise<SloEvent[]> {
    const rows: { from_state: SloStateName | null; to_state: SloStateName; at: Date; burn_rates: never }[] =
      await this.dataSource.query(
        `SELECT from_state, to_state, at, burn_rates FROM slo_event WHERE slo_id = $1 ORDER BY at DESC, id DESC LIMIT $2`,
        [id, limit],
      );
    return rows.map((r) => ({
      from: r.from_state,
      to: r.to_state,
      at: iso(r.at)!,
      burnRates: r.burn_rates,
    }));
  }

  /**
   * Snapshots between `from` and `to`, one per `step` (the last of each step): raw rows where
   * they are kept, hourly ones before.
   */
  async history(id: string, from: Date, to: Date, stepSeconds: number): Promise<HistoryPoint[]> {
    const rows: {
      at: Date;
      state: SloStateName;
      sli: number | null;
      budget_remaining: number | null;
      burn_rates: never;
    }[] = await this.dataSource.query(
      `SELECT DISTINCT ON (floor(extract(epoch FROM evaluated_at) / $4))
         evaluated_at AS at, state, sli, budget_remaining, burn_rates
       FROM slo_snapshot
       WHERE slo_id = $1 AND evaluated_at >= $2 AND evaluated_at <= $3
       ORDER BY floor(extract(epoch FROM evaluated_at) / $4), evaluated_at DESC`,
      [id, from, to, stepSeconds],
    );
    return rows.map((r) => ({
      at: iso(r.at)!,
      state: r.state,
      sli: r.sli,
      budgetRemaining: r.budget_remaining,
      burnRates: r.burn_rates,
    }));
  }

  /** Each live team's worst SLO: burning, exhausted, warning, ok, no data; least budget left first. */
  async worstByTeam(): Promise<Map<string, SloItem>> {
    const rows: ItemRow[] = await this.dataSource.query(
      `SELECT DISTINCT ON (c.team) * FROM (${ITEM_SELECT} WHERE c.removed_at IS NULL) c
       ORDER BY c.team, ${STATE_RANK}, c.budget_remaining ASC NULLS LAST, c.id`,
    );
    return new Map(rows.map((row) => [row.team, toItem(row)]));
  }

  /** Live teams with their SLO counts by state. */
  async teams(): Promise<{ name: string; displayName: string | null; states: Record<string, number> }[]> {
    const rows: { name: string; display_name: string | null; state: string | null; count: string }[] =
      await this.dataSource.query(
        `SELECT t.name, t.display_name, COALESCE(s.state, 'no_data') AS state, count(c.id) AS count
         FROM catalog_team t
         LEFT JOIN catalog_slo c ON c.team = t.name AND c.removed_at IS NULL
         LEFT JOIN slo_status s ON s.service = c.service AND s.slo = c.slo
         WHERE t.removed_at IS NULL
         GROUP BY t.name, t.display_name, COALESCE(s.state, 'no_data')
         ORDER BY t.name`,
      );
    const out = new Map<
      string,
      { name: string; displayName: string | null; states: Record<string, number> }
    >();
    for (const row of rows) {
      const team = out.get(row.name) ?? { name: row.name, displayName: row.display_name, states: {} };
      if (Number(row.count) > 0) team.states[row.state ?? 'no_data'] = Number(row.count);
      out.set(row.name, team);
    }
    return [...out.values()];
  }

  async service(name: string): Promise<{ name: string; team: string; runbook: string | null } | undefined> {
    const rows: { name: string; team: string; runbook: string | null }[] = await this.dataSource.query(
      `SELECT name, team, runbook FROM catalog_service WHERE name = $1 AND removed_at IS NULL`,
      [name],
    );
    return rows[0];
  }
}

async function markRemoved(
  tx: EntityManager,
  table: string,
  key: string,
  live: string[],
  now: Date,
): Promise<number> {
  return counted(
    tx,
    `UPDATE ${table} SET removed_at = $2, updated_at = $2
     WHERE removed_at IS NULL AND NOT (${key} = ANY ($1::text[])) RETURNING 1`,
    [live, now],
  );
}

/**
 * Rows an UPDATE or DELETE touched. TypeORM answers those with `[rows, count]`, unlike a SELECT
 * or an INSERT: wrapping the statement in a CTE makes every answer a plain row list.
 */
async function counted(tx: EntityManager, statement: string, parameters: unknown[]): Promise<number> {
  const rows: { n: number }[] = await tx.query(
    `WITH touched AS (${statement}) SELECT count(*)::int AS n FROM touched`,
    parameters,
  );
  return rows[0]?.n ?? 0;
}

const STATE_RANK = `CASE COALESCE(c.state, 'no_data')
  WHEN 'burning' THEN 0 WHEN 'exhausted' THEN 1 WHEN 'warning' THEN 2 WHEN 'ok' THEN 3 ELSE 4 END`;

const ITEM_SELECT = `SELECT c.id, c.service, c.slo, c.team, c.objective, c.time_window,
    s.state, s.error_ratio, s.burn_rates, s.budget_remaining, s.budget_consumed, s.exhausts_at,
    s.since, s.stale, s.evaluated_at
  FROM catalog_slo c LEFT JOIN slo_status s ON s.service = c.service AND s.slo = c.slo`;

interface ItemRow {
  id: string;
  service: string;
  slo: string;
  team: string;
  objective: number;
  time_window: string;
  state: SloStateName | null;
  error_ratio: number | null;
  burn_rates: Record<StatusWindow, number | null> | null;
  budget_remaining: number | null;
  budget_consumed: number | null;
  exhausts_at: Date | null;
  since: Date | null;
  stale: boolean | null;
  evaluated_at: Date | null;
}

const iso = (value: Date | string | null): string | null =>
  value === null ? null : new Date(value).toISOString();

/** A row as the API shows it; an SLO never refreshed yet has no data. */
function toItem(row: ItemRow): SloItem {
  return {
    id: row.id,
    service: row.service,
    slo: row.slo,
    team: row.team,
    objective: row.objective,
    window: row.time_window,
    state: row.state ?? 'no_data',
    sli: row.error_ratio === null ? null : 1 - row.error_ratio,
    errorBudget: { remaining: row.budget_remaining, consumed: row.budget_consumed },
    burnRates: { ...EMPTY_RATES, ...row.burn_rates },
    exhaustsAt: iso(row.exhausts_at),
    since: iso(row.since),
    stale: row.stale ?? false,
    evaluatedAt: iso(row.evaluated_at),
  };
}
