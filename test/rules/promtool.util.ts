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
 * Every minute in [from, to] at which `expr` returns anything when the rule files (in `dir`) are
 * evaluated every minute over `inputSeries`, with what it returned. Each minute is a promtool
 * check expecting nothing, so promtool's failures are exactly the minutes with data. Groups of
 * several files run in an order promtool does not fix unless `groupEvalOrder` names them all.
 */
export async function minutesWithData(
  dir: string,
  ruleFiles: string | string[],
  inputSeries: { series: string; values: string }[],
  expr: string,
  from: number,
  to: number,
  groupEvalOrder?: string[],
): Promise<Map<number, string>> {
  const files = [ruleFiles].flat();
  const name = `${files[0]}.minutes-${Math.random().toString(36).slice(2)}.test.yaml`;
  const checks = Array.from({ length: to - from + 1 }, (_, i) => ({
    expr,
    eval_time: `${from + i}m`,
    exp_samples: [],
  }));
  const test = {
    rule_files: files,
    evaluation_interval: '1m',
    ...(groupEvalOrder ? { group_eval_order: groupEvalOrder } : {}),
    tests: [{ interval: '1m', input_series: inputSeries, promql_expr_test: checks }],
  };
  await writeFile(join(dir, name), toYaml(test));
  const result = await promtool('test', 'rules', join(dir, name));
  const found = new Map<number, string>();
  if (result.ok) return found;
  for (const m of result.output.matchAll(/time: (\w+),\n\s*exp: nil\n\s*got: (.*)/g)) {
    found.set(minutesOf(m[1]!), m[2]!);
  }
  if (found.size === 0) throw new Error(`promtool failed without a failing check:\n${result.output}`);
  return found;
}

/** The first minute in [from, to] at which `expr` returns anything (see minutesWithData). */
export async function firstMinuteWithData(
  dir: string,
  ruleFile: string,
  inputSeries: { series: string; values: string }[],
  expr: string,
  from: number,
  to: number,
): Promise<number | undefined> {
  const minutes = [...(await minutesWithData(dir, ruleFile, inputSeries, expr, from, to)).keys()];
  return minutes.length === 0 ? undefined : Math.min(...minutes);
}
