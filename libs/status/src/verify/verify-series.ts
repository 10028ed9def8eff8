import type { Catalog, Slo, SourceRef } from '@burnrate/catalog';
import { type RequiredSeries, requiredSeries } from '@burnrate/rules';
import { formatDuration } from '@burnrate/slo';
import type { PrometheusClient } from '../prometheus-client.js';
import {
  batches,
  batchQuery,
  readBatch,
  type SeriesAnswer,
  type SeriesQuestion,
} from './series-query.util.js';

export interface SeriesStatus extends RequiredSeries {
  exists: boolean;
  /** For the threshold bucket: the `le` values the histogram has. */
  histogramLes?: string[];
}

export type SloOutcome = 'ok' | 'never-alerts' | 'skipped';

export interface SloVerification {
  service: string;
  slo: string;
  source: SourceRef;
  outcome: SloOutcome;
  series: SeriesStatus[];
  /** Why the SLO could never alert; empty unless `never-alerts`. */
  problems: string[];
  /** Series that may lawfully be absent (error series before a first error) and are. */
  notes: string[];
  /** Why nothing was checked; set when `skipped`. */
  skipped?: string;
}

export interface VerifyOptions {
  /** How far back a series counts as existing. */
  lookbackSeconds: number;
  /** Questions per query. */
  batchSize?: number;
}

/**
 * Asks Prometheus, in a few batched instant queries, whether every series each SLO's SLI reads
 * exists, and which buckets the latency SLOs' histograms have. An SLO whose needed series or
 * threshold bucket is missing records nothing and can never alert.
 */
export async function verifySeries(
  catalog: Catalog,
  client: PrometheusClient,
  options: VerifyOptions,
): Promise<SloVerification[]> {
  const slos = catalog.services.flatMap((service) => service.slos);
  const needs = slos.map((slo) => requiredSeries(slo));
  const questions: SeriesQuestion[] = [];
  const indexOf = new Map<string, number>();
  const ask = (question: SeriesQuestion): void => {
    const key = `${question.kind} ${question.selector}`;
    if (!indexOf.has(key)) indexOf.set(key, questions.push(question) - 1);
  };
  for (const series of needs.flat()) {
    ask({ kind: 'exists', selector: series.selector });
    if (series.bucket) ask({ kind: 'les', selector: series.bucket.histogram });
  }
  const answers: SeriesAnswer[] = [];
  for (const batch of batches(questions, options.batchSize ?? 50)) {
    answers.push(...readBatch(batch, await client.query(batchQuery(batch, options.lookbackSeconds))));
  }
  const answer = (kind: SeriesQuestion['kind'], selector: string): SeriesAnswer =>
    answers[indexOf.get(`${kind} ${selector}`)!]!;
  return slos.map((slo, i) =>
    judge(
      slo,
      needs[i]!.map((series) => ({
        ...series,
        exists: answer('exists', series.selector).exists,
        ...(series.bucket ? { histogramLes: answer('les', series.bucket.histogram).les } : {}),
      })),
      formatDuration(options.lookbackSeconds),
    ),
  );
}

function judge(slo: Slo, series: SeriesStatus[], lookback: string): SloVerification {
  const base = {
    service: slo.service,
    slo: slo.name,
    source: slo.source,
    series,
    problems: [] as string[],
    notes: [] as string[],
  };
  if (series.length === 0) {
    const skipped =
      slo.sli.kind === 'logs' ? 'logs SLIs read Loki, not Prometheus' : 'its queries read no series';
    return { ...base, outcome: 'skipped', skipped };
  }
  const countMissing = series.some((s) => s.role === 'count' && !s.exists);
  for (const s of series) {
    if (s.exists) continue;
    if (s.mayBeAbsent)
      base.notes.push(`no series ${s.selector} in the last ${lookback} (fine if no such event happened)`);
    else if (s.bucket && s.histogramLes && s.histogramLes.length > 0) {
      base.problems.push(
        `bucket le="${s.bucket.le}" does not exist; ${s.bucket.histogram} has le ${s.histogramLes.join(', ')}`,
      );
    } else if (!(s.bucket && countMissing))
      base.problems.push(`no series ${s.selector} in the last ${lookback}`);
  }
  return { ...base, outcome: base.problems.length > 0 ? 'never-alerts' : 'ok' };
}
