import { evaluateStatus, SLO_STATES, type SloObservation, type SloStatus } from '@burnrate/slo';

import type { PrometheusClient } from '../prometheus-client.js';
import { readObservations, statusQueries, type TrackedSlo } from './status-queries.js';

export interface EvaluatedSlo extends SloStatus {
  readonly slo: TrackedSlo;
  /**
   * Label values of a grouped SLI (one alert per value) with data; the status shown is the
   * worst of them. 1 for an ungrouped SLI with data, 0 without.
   */
  readonly groups: number;
}

export interface StatusCycle {
  /** The instant every query was evaluated at. */
  readonly evaluatedAt: Date;
  readonly statuses: EvaluatedSlo[];
  /** Prometheus queries this cycle sent: a handful, whatever the number of SLOs. */
  readonly queries: number;
  /** Series Prometheus answered with, all queries together. */
  readonly samples: number;
}

/**
 * One refresh: the cycle's few bulk queries at `now`, every SLO evaluated with the alert rules'
 * own tiers. A failed query fails the cycle (the caller keeps the last good values, marked
 * stale): half an answer would report some SLOs from one instant and the rest as no data.
 */
export async function refreshStatus(
  client: Pick<PrometheusClient, 'query'>,
  slos: readonly TrackedSlo[],
  now: Date,
  options: { fastInterval?: string; signal?: AbortSignal } = {},
): Promise<StatusCycle> {
  const queries = statusQueries(slos, now, options.fastInterval);
  const answers = await Promise.all(
    queries.map(async (query) => ({ query, samples: await client.query(query.expr, now, options.signal) })),
  );
  const observations = readObservations(answers);
  const statuses = slos.map((slo) => evaluateSlo(slo, observations.get(slo.id), now));
  return {
    evaluatedAt: now,
    statuses,
    queries: queries.length,
    samples: answers.reduce((sum, answer) => sum + answer.samples.length, 0),
  };
}

const RANK = new Map(SLO_STATES.map((state, index) => [state, index]));

/** Worst first: burning, exhausted, warning, ok, then no data; the least budget left breaks ties. */
function worse(a: SloStatus, b: SloStatus): boolean {
  const rank = (s: SloStatus) => (s.state === 'no_data' ? SLO_STATES.length : RANK.get(s.state)!);
  if (rank(a) !== rank(b)) return rank(a) < rank(b);
  return (a.errorBudget.remaining ?? Infinity) < (b.errorBudget.remaining ?? Infinity);
}

function evaluateSlo(
  slo: TrackedSlo,
  groups: Map<string, SloObservation> | undefined,
  now: Date,
): EvaluatedSlo {
  const input = {
    window: slo.window,
    policy: slo.policy,
    minEvents: slo.minEvents,
    guarded: slo.guarded,
    now,
  };
  if (!groups || groups.size === 0) {
    return { ...evaluateStatus({ ...input, observation: undefined }), slo, groups: 0 };
  }
  let worst: SloStatus | undefined;
  for (const observation of groups.values()) {
    const status = evaluateStatus({ ...input, observation });
    if (!worst || worse(status, worst)) worst = status;
  }
  return { ...worst!, slo, groups: groups.size };
}
