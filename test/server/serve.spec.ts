import { describe, expect, it } from 'vitest';

import { serve } from '../../apps/server/src/server.js';

async function serveWith(env: Record<string, string>) {
  const lines: string[] = [];
  const code = await serve(env, { stderr: (line) => lines.push(line) });
  return { code, stderr: lines.join('\n') };
}

describe('serve', () => {
  it('refuses to start on invalid configuration, naming every bad variable, with exit code 1', async () => {
    const result = await serveWith({ PORT: 'eighty', REPORT_TIMEZONE: 'Mars/Olympus', LOG_LEVEL: 'loud' });

    expect(result.code).toBe(1);
    expect(result.stderr).toContain('burnrate: invalid configuration:');
    expect(result.stderr).toContain('PORT: must be a whole number from 0 to 65535, got "eighty"');
    expect(result.stderr).toContain('REPORT_TIMEZONE: must be an IANA time zone');
    expect(result.stderr).toContain('LOG_LEVEL: must be one of error, warn, log, debug, verbose');
  });

  it('never prints a database password or a stack trace when rejecting the configuration', async () => {
    const result = await serveWith({ DATABASE_URL: 'mysql://burnrate:hunter2@db:3306/burnrate' });

    expect(result.code).toBe(1);
    expect(result.stderr).toContain('DATABASE_URL: must be a URL like postgres://');
    expect(result.stderr).not.toContain('hunter2');
    expect(result.stderr).not.toMatch(/^\s+at /m);
  });
});
