import { describe, expect, it } from 'vitest';

import { JsonLogger } from './json-logger.js';

function capture(level: ConstructorParameters<typeof JsonLogger>[0] = 'log') {
  const lines: Record<string, unknown>[] = [];
  const logger = new JsonLogger(level, { write: (line: string) => lines.push(JSON.parse(line)) });
  return { logger, lines };
}

describe(JsonLogger.name, () => {
  it('writes one JSON object per line with level, time, context and message', () => {
    const { logger, lines } = capture();
    logger.log('catalog synchronised: 4 SLOs', 'StatusRefreshService');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: 'info',
      service: 'burnrate',
      context: 'StatusRefreshService',
      msg: 'catalog synchronised: 4 SLOs',
    });
    expect(Date.parse(lines[0]!.time as string)).not.toBeNaN();
  });

  it('keeps an error stack as a field, and leaves out Nest’s own report of a failed start', () => {
    const { logger, lines } = capture();
    logger.error('query failed', 'Error: boom\n    at x (y.js:1:1)', 'StatusRefreshService');
    logger.error('cannot start', 'Error: x\n    at y', 'ExceptionHandler');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: 'error',
      msg: 'query failed',
      stack: expect.stringContaining('boom'),
    });
  });

  it('blanks credentials in structured fields', () => {
    const { logger, lines } = capture();
    logger.warn({
      msg: 'upstream refused',
      headers: { authorization: 'Bearer hunter2' },
      grafana: { token: 'hunter2' },
    });
    expect(JSON.stringify(lines)).not.toContain('hunter2');
    expect(lines[0]).toMatchObject({ headers: { authorization: '[redacted]' } });
  });

  it('drops what is below LOG_LEVEL', () => {
    const { logger, lines } = capture('warn');
    logger.log('quiet');
    logger.debug('quieter');
    logger.warn('loud');
    expect(lines.map((l) => l.msg)).toEqual(['loud']);
  });
});
