import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { toYaml } from '@burnrate/rules';

const run = promisify(execFile);

export interface PromtoolResult {
  ok: boolean;
  output: string;
}

/** Runs the real promtool; never throws on a failed check, so tests can print its output. */
export async function promtool(...args: string[]): Promise<PromtoolResult> {
  try {
    const { stdout, stderr } = await run('promtool', args, { maxBuffer: 64 * 1024 * 1024 });
    return { ok: true, output: stdout + stderr };
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; message: string };
    return { ok: false, output: `${e.stdout ?? ''}${e.stderr ?? ''}` || e.message };
  }
}

/** Minutes in promtool's duration notation (`2h3m`, `2h`, `45m`). */
const minutesOf = (duration: string): number => {
  const m = /^(?:(\d+)h)?(?:(\d+)m)?$/.exec(duration);
  if (!m) throw new Error(`not a promtool minute duration: ${duration}`);
  return Number(m[1] ?? 0) * 60 + Number(m[2] ?? 0);
};

/**
 * The first minute in [from, to] at which `expr` returns anything when `ruleFile` (in `dir`)
 * is evaluated every minute over `inputSeries`; undefined when it never does. Each minute is
 * a promtool check expecting nothing, so promtool's failures are exactly the minutes with data.
 */
export async function firstMinuteWithData(
  dir: string,
  ruleFile: string,
  inputSeries: { series: string; values: string }[],
  expr: string,
  from: number,
  to: number,
): Promise<number | undefined> {
  const name = `${ruleFile}.first-${Math.random().toString(36).slice(2)}.test.yaml`;
  const checks = Array.from({ length: to - from + 1 }, (_, i) => ({
    expr,
    eval_time: `${from + i}m`,
    exp_samples: [],
  }));
  const test = {
    rule_files: [ruleFile],
    evaluation_interval: '1m',
    tests: [{ interval: '1m', input_series: inputSeries, promql_expr_test: checks }],
  };
  await writeFile(join(dir, name), toYaml(test));
  const result = await promtool('test', 'rules', join(dir, name));
  if (result.ok) return undefined;
  const times = [...result.output.matchAll(/time: (\w+),/g)].map((m) => minutesOf(m[1]!));
  if (times.length === 0) throw new Error(`promtool failed without a failing check:\n${result.output}`);
  return Math.min(...times);
}
