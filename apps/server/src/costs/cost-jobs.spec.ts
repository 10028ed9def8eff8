import { CronTime } from 'cron';
import { describe, expect, it } from 'vitest';

import { loadServerConfig } from '../config/server-config.js';
import { reportWeekAt } from './cost-jobs.service.js';

describe('the weekly report schedule', () => {
  it('fires on Mondays at 09:00 in REPORT_TIMEZONE by default', () => {
    const config = loadServerConfig({ REPORT_TIMEZONE: 'Europe/Paris', DATA_DIR: 'memory://' });
    const next = new CronTime(config.cost.reportCron, config.reportTimezone).sendAt();
    expect(next.setZone('Europe/Paris').toFormat('ccc HH:mm')).toBe('Mon 09:00');
    const after = new CronTime(config.cost.reportCron, config.reportTimezone).getNextDateFrom(
      next.plus({ minutes: 1 }),
    );
    expect(after.diff(next, 'days').days).toBeCloseTo(7, 1);
  });

  it('covers the ISO week before the local Monday', () => {
    // Monday 09:00 in Paris is 08:00 UTC; in Auckland it is still Sunday in UTC.
    expect(reportWeekAt(new Date('2026-12-07T08:00:00Z'), 'Europe/Paris')).toEqual({
      week: '2026-W49',
      from: '2026-11-30',
      to: '2026-12-06',
    });
    expect(reportWeekAt(new Date('2026-12-06T20:00:00Z'), 'Pacific/Auckland').week).toBe('2026-W49');
    expect(reportWeekAt(new Date('2027-01-04T09:00:00Z'), 'UTC').week).toBe('2026-W53');
  });

  it('refuses a cron expression, a provider or anomaly setting it cannot use, naming the variable', () => {
    expect(() =>
      loadServerConfig({
        DATA_DIR: 'memory://',
        REPORT_CRON: 'every monday',
        COST_PULL_PROVIDERS: 'aws,gcp',
        COST_ANOMALY_Z: '-1',
      }),
    ).toThrow(
      expect.objectContaining({
        problems: expect.arrayContaining([
          'REPORT_CRON: `every monday` is not a cron expression (minute hour day month weekday)',
          'COST_PULL_PROVIDERS: `gcp` is not aws or azure',
          'COST_ANOMALY_Z: `-1` must be a number above 0',
        ]),
      }),
    );
  });
});
