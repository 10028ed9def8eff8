/**
 * Backfills series into a TSDB folder with `promtool tsdb create-blocks-from openmetrics`, so a
 * real Prometheus serves history (months of it) the moment it starts.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface BackfillSample {
  /** Metric name (recorded names with colons are fine). */
  name: string;
  labels: Record<string, string>;
  /** Unix seconds. */
  time: number;
  value: number;
}

const escape = (value: string) => value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');

/** OpenMetrics text: one family's samples together, each series in time order, `# EOF` last. */
export function openMetrics(samples: readonly BackfillSample[]): string {
  const series = new Map<string, { name: string; lines: [number, string][] }>();
  for (const s of samples) {
    const labels = Object.keys(s.labels)
      .sort()
      .map((k) => `${k}="${escape(s.labels[k]!)}"`)
      .join(',');
    const key = `${s.name}{${labels}}`;
    const entry = series.get(key) ?? { name: s.name, lines: [] };
    const value = Number.isNaN(s.value) ? 'NaN' : String(s.value);
    entry.lines.push([s.time, `${key} ${value} ${s.time}`]);
    series.set(key, entry);
  }
  const ordered = [...series.entries()].sort(([a, x], [b, y]) =>
    x.name === y.name ? (a < b ? -1 : 1) : x.name < y.name ? -1 : 1,
  );
  const lines = ordered.flatMap(([, entry]) => entry.lines.sort((a, b) => a[0] - b[0]).map(([, l]) => l));
  return `${lines.join('\n')}\n# EOF\n`;
}

/** A new TSDB folder holding the samples. */
export async function backfill(samples: readonly BackfillSample[]): Promise<string> {
  const home = await mkdtemp(join(tmpdir(), 'burnrate-backfill-'));
  const input = join(home, 'input.om');
  const dataDir = join(home, 'data');
  await writeFile(input, openMetrics(samples));
  await run('promtool', ['tsdb', 'create-blocks-from', 'openmetrics', input, dataDir], {
    maxBuffer: 64 * 1024 * 1024,
  });
  return dataDir;
}
