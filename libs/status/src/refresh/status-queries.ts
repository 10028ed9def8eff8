import type { Catalog, Slo, SloWindow } from '@burnrate/catalog';
import { DEFAULT_FAST_INTERVAL, eventsOverSeries } from '@burnrate/rules';
import {
  alertPolicy,
  calendarMonthOf,
  formatDuration,
  LABEL,
  parseDuration,
  periodLabel,
  SERIES,
  type AlertPolicy,
  type SloObservation,
} from '@burnrate/slo';

import type { VectorSample } from '../prometheus-client.js';

/** One SLO of the catalog as the status service tracks it. */
export interface TrackedSlo {
  /** `<service>/<slo>`. */
  readonly id: string;
  readonly service: string;
  readonly slo: string;
  readonly team: string;
  /** Percent as declared (99.9). */
  readonly objective: number;
  readonly window: SloWindow;
  /** `30d`, `28d`, ... or `calendar-month`. */
  readonly windowLabel: string;
  readonly policy: AlertPolicy;
  readonly minEvents: number | undefined;
  /** Whether the page alert carries the low-traffic guard (not for free-form SLIs). */
  readonly guarded: boolean;
}

export function trackedSlos(catalog: Catalog): TrackedSlo[] {
  return catalog.services.flatMap((service) =>
    service.slos.map((slo) => trackedSlo(slo, catalog.defaults.tiers)),
  );
}

function trackedSlo(slo: Slo, tiers: Catalog['defaults']['tiers']): TrackedSlo {
  return {
    id: `${slo.service}/${slo.name}`,
    service: slo.service,
    slo: slo.name,
    team: slo.team,
    objective: slo.objective,
    window: slo.window,
    windowLabel: slo.window.kind === 'calendar' ? 'calendar-month' : periodLabel(slo.window),
    policy: alertPolicy(slo, tiers),
    minEvents: slo.alerting.minEvents,
    guarded: slo.sli.kind !== 'raw',
  };
}

/** A query of the cycle and what its answer feeds. */
export interface StatusQuery {
  readonly kind: 'ratios' | 'monthToDate' | 'events';
  readonly expr: string;
}

/** Tags each window's term of the events query. */
const EVENTS_WINDOW = LABEL.window;
const TILE = 300;

/**
 * The few instant queries one refresh needs for every SLO at once, never one per SLO: every
 * recorded window ratio; month to date for calendar-month SLOs (from the recorded 5m series,
 * tiled at 5m from 00:00 UTC on the 1st); events over the page windows for SLOs with a
 * low-traffic guard, summed as the alert rules sum them.
 */
export function statusQueries(
  slos: readonly TrackedSlo[],
  now: Date,
  /** The generated rules' fast interval (`generate --fast-interval`): the guard counts samples at it. */
  fastInterval: string = DEFAULT_FAST_INTERVAL,
): StatusQuery[] {
  const queries: StatusQuery[] = [{ kind: 'ratios', expr: SERIES.errorRatio }];
  if (slos.some((s) => s.window.kind === 'calendar')) {
    const mtd = monthToDateQuery(now);
    if (mtd) queries.push({ kind: 'monthToDate', expr: mtd });
  }
  const guardWindows = new Set(
    slos
      .filter((s) => s.guarded && s.minEvents)
      .flatMap((s) => s.policy.page.map((tier) => tier.longSeconds)),
  );
  if (guardWindows.size > 0) {
    const sampleSeconds = parseDuration(fastInterval);
    const terms = [...guardWindows]
      .sort((a, b) => a - b)
      .map(
        (seconds) =>
          `label_replace(${eventsOverSeries(SERIES.totalRate5m, seconds, sampleSeconds)}, "${EVENTS_WINDOW}", "${formatDuration(seconds)}", "", "")`,
      );
    queries.push({ kind: 'events', expr: terms.join('\nor\n') });
  }
  return queries;
}

/**
 * Errors over totals of the 5m tiles ending 00:05 on the 1st to now, for the SLOs whose period is
 * a month; free-form SLIs (no recorded totals) average their 5m ratios. The range starts a
 * second after midnight so the tile ending at 00:00 (last month's) is out under Prometheus 2's
 * closed and Prometheus 3's left-open ranges alike. Undefined in the first 5 minutes of a month.
 */
function monthToDateQuery(now: Date): string | undefined {
  const elapsed = Math.floor(calendarMonthOf(now).elapsedSeconds);
  if (elapsed < TILE) return undefined;
  const range = `[${elapsed - 1}s:${formatDuration(TILE)}]`;
  const monthly = `on (${LABEL.service}, ${LABEL.slo}) ${SERIES.objective}{${LABEL.period}="month"}`;
  const sum = (series: string) => `sum_over_time((${series} and ${monthly})${range})`;
  const ratioTiles = `(${SERIES.errorRatio}{${LABEL.window}="5m"} and ${monthly} unless on (${LABEL.service}, ${LABEL.slo}) ${SERIES.totalRate5m})`;
  return (
    `${sum(SERIES.errorRate5m)}\n/\n${sum(SERIES.totalRate5m)}\n` +
    `or\nmax without (${LABEL.window}) (avg_over_time(${ratioTiles}${range}))`
  );
}

/** Labels that name the SLO and the window, not a label value of a grouped SLI. */
const IDENTITY = new Set(['__name__', LABEL.service, LABEL.slo, LABEL.window]);

/** `service/slo` and the grouping labels of a sample (empty for an ungrouped SLI). */
function keyOf(metric: Record<string, string>): { id: string; group: string } | undefined {
  const service = metric[LABEL.service];
  const slo = metric[LABEL.slo];
  if (service === undefined || slo === undefined) return undefined;
  const group = Object.keys(metric)
    .filter((name) => !IDENTITY.has(name))
    .sort()
    .map((name) => `${name}=${JSON.stringify(metric[name])}`)
    .join(',');
  return { id: `${service}/${slo}`, group };
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] extends Readonly<infer U> ? U : T[K] };

/**
 * Observations by SLO id, then by group (`""` for an ungrouped SLI; one entry per label value of
 * a grouped one). An SLO without any window ratio series is absent: it has no data.
 */
export function readObservations(
  answers: readonly { query: StatusQuery; samples: readonly VectorSample[] }[],
): Map<string, Map<string, SloObservation>> {
  const out = new Map<string, Map<string, Mutable<SloObservation>>>();
  const observation = (metric: Record<string, string>, create: boolean) => {
    const key = keyOf(metric);
    if (!key) return undefined;
    let groups = out.get(key.id);
    if (!groups) {
      if (!create) return undefined;
      groups = new Map();
      out.set(key.id, groups);
    }
    let found = groups.get(key.group);
    if (!found && create) {
      found = { ratios: {} };
      groups.set(key.group, found);
    }
    return found;
  };
  // Ratios first: they decide which SLOs and groups have data.
  const ordered = [...answers].sort(
    (a, b) => Number(b.query.kind === 'ratios') - Number(a.query.kind === 'ratios'),
  );
  for (const { query, samples } of ordered) {
    for (const sample of samples) {
      const value = Number(sample.value[1]);
      const target = observation(sample.metric, query.kind === 'ratios');
      if (!target) continue;
      const window = sample.metric[LABEL.window];
      if (query.kind === 'ratios') {
        if (window !== undefined && Number.isFinite(value)) target.ratios[window] = value;
      } else if (query.kind === 'monthToDate') {
        if (Number.isFinite(value)) target.monthToDateRatio = value;
      } else if (window !== undefined && Number.isFinite(value)) {
        target.events = { ...target.events, [window]: value };
      }
    }
  }
  return out;
}
