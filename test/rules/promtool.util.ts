import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

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
