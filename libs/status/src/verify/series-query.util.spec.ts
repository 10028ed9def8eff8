import { describe, expect, it } from 'vitest';
import { batches, batchQuery, QUESTION_LABEL, readBatch, type SeriesQuestion } from './series-query.util.js';

const questions: SeriesQuestion[] = [
  { kind: 'exists', selector: 'http_requests_total{job="a"}' },
  { kind: 'les', selector: 'latency_seconds_bucket{job="a"}' },
  { kind: 'exists', selector: 'missing_total' },
];

describe('batchQuery', () => {
  it('asks every question in one query, each term tagged with its index', () => {
    expect(batchQuery(questions, 3600)).toBe(
      [
        `label_replace(group(present_over_time(http_requests_total{job="a"}[1h])), "${QUESTION_LABEL}", "0", "", "")`,
        `label_replace(group by (le) (present_over_time(latency_seconds_bucket{job="a"}[1h])), "${QUESTION_LABEL}", "1", "", "")`,
        `label_replace(group(present_over_time(missing_total[1h])), "${QUESTION_LABEL}", "2", "", "")`,
      ].join('\nor\n'),
    );
  });
});

describe('readBatch', () => {
  it('answers each question from its tagged samples, bucket bounds sorted as numbers with +Inf last', () => {
    const sample = (index: number, le?: string) => ({
      metric: { [QUESTION_LABEL]: String(index), ...(le ? { le } : {}) },
      value: [0, '1'] as [number, string],
    });
    const answers = readBatch(questions, [
      sample(0),
      sample(1, '+Inf'),
      sample(1, '10'),
      sample(1, '0.25'),
      sample(1, '1.0'),
      sample(7),
    ]);
    expect(answers).toEqual([
      { exists: true, les: [] },
      { exists: true, les: ['0.25', '1.0', '10', '+Inf'] },
      { exists: false, les: [] },
    ]);
  });
});

describe('batches', () => {
  it('splits questions into batches of at most the given size', () => {
    expect(batches([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
  });
});
