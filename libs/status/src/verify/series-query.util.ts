import { formatDuration } from '@burnrate/slo';
import type { VectorSample } from '../prometheus-client.js';

/** Does any series match the selector, or which `le` values does a bucket selector have. */
export interface SeriesQuestion {
  kind: 'exists' | 'les';
  selector: string;
}

export interface SeriesAnswer {
  exists: boolean;
  /** Bucket bounds seen (`les` questions), sorted numerically, `+Inf` last. */
  les: string[];
}

/** Tags each term of a batch, so one answer tells which question each sample answers. */
export const QUESTION_LABEL = 'burnrate_verify_question';

/**
 * One instant query answering many questions: each term is tagged with its index and terms are
 * joined with `or` (distinct tags, so none shadows another). `present_over_time` counts a series
 * seen at any time in the lookback, not only within the last 5 minutes.
 */
export function batchQuery(questions: readonly SeriesQuestion[], lookbackSeconds: number): string {
  const range = formatDuration(lookbackSeconds);
  return questions
    .map((q, index) => {
      const present = `present_over_time(${q.selector}[${range}])`;
      const grouped = q.kind === 'les' ? `group by (le) (${present})` : `group(${present})`;
      return `label_replace(${grouped}, "${QUESTION_LABEL}", "${index}", "", "")`;
    })
    .join('\nor\n');
}

/** The answers of a batch, by question index; a question without samples has no series. */
export function readBatch(
  questions: readonly SeriesQuestion[],
  samples: readonly VectorSample[],
): SeriesAnswer[] {
  const answers = questions.map((): SeriesAnswer => ({ exists: false, les: [] }));
  for (const sample of samples) {
    const answer = answers[Number(sample.metric[QUESTION_LABEL])];
    if (!answer) continue;
    answer.exists = true;
    const le = sample.metric.le;
    if (le !== undefined && !answer.les.includes(le)) answer.les.push(le);
  }
  for (const answer of answers) answer.les.sort(byBound);
  return answers;
}

const bound = (le: string): number => (le === '+Inf' ? Infinity : Number(le));
const byBound = (a: string, b: string): number => bound(a) - bound(b) || (a < b ? -1 : a > b ? 1 : 0);

/** Splits questions into batches of at most `size`, keeping each query a reasonable length. */
export function batches<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
