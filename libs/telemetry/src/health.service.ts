import { Injectable } from '@nestjs/common';

/**
 * Resolves when the dependency is usable (with a note worth showing, such as the problems of a
 * catalog change that was refused while the last good one serves), rejects with the reason
 * otherwise.
 */
export type HealthCheck = () => Promise<void | string>;

export interface CheckResult {
  readonly status: 'up' | 'down';
  readonly durationMs: number;
  readonly error?: string;
  readonly detail?: string;
}

export interface ReadinessReport {
  readonly status: 'ready' | 'not_ready';
  readonly checks: Readonly<Record<string, CheckResult>>;
}

const DEFAULT_TIMEOUT_MS = 2_000;

/** Readiness: every registered dependency answers within the timeout. */
@Injectable()
export class HealthService {
  private readonly checks = new Map<string, HealthCheck>();

  register(name: string, check: HealthCheck): void {
    this.checks.set(name, check);
  }

  async readiness(timeoutMs: number = DEFAULT_TIMEOUT_MS): Promise<ReadinessReport> {
    const entries = await Promise.all(
      [...this.checks].map(async ([name, check]) => [name, await runCheck(check, timeoutMs)] as const),
    );
    const checks = Object.fromEntries(entries);
    const ready = entries.every(([, result]) => result.status === 'up');
    return { status: ready ? 'ready' : 'not_ready', checks };
  }
}

async function runCheck(check: HealthCheck, timeoutMs: number): Promise<CheckResult> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  // A hung dependency must make the probe fail, not make it hang.
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    const detail = await Promise.race([check(), timeout]);
    return { status: 'up', durationMs: elapsed(started), ...(detail ? { detail } : {}) };
  } catch (error) {
    return { status: 'down', durationMs: elapsed(started), error: messageOf(error) };
  } finally {
    clearTimeout(timer);
  }
}

function elapsed(started: number): number {
  return Math.round(performance.now() - started);
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
