import { describe, expect, it } from 'vitest';
import type { ChatTarget, Team } from '@burnrate/catalog';

import { parseNotification } from '../webhook/notification.js';
import { acceptsAlert, routeNotification } from './route-notification.js';

const target = (severities: string[], reports: string[] = []): ChatTarget => ({
  type: 'slack',
  urlFromEnv: 'X',
  severities,
  reports,
});
const team = (name: string, chat: ChatTarget[]): Team => ({ name, chat, declared: true });
const catalog = {
  teams: [team('shop', [target(['page']), target([], ['cost'])]), team('ops', [target([])])],
  services: [{ name: 'cart', team: 'shop' }] as never,
};

const notification = (labels: Record<string, string>[], status = 'firing') =>
  parseNotification({
    status,
    groupKey: 'g',
    alerts: labels.map((l, i) => ({ status, labels: l, fingerprint: `f${i}`, startsAt: 't0' })),
  });

describe(acceptsAlert.name, () => {
  it.each([
    [['page'], [], 'page', true],
    [['page'], [], 'ticket', false],
    [[], [], 'ticket', true],
    [[], ['cost'], 'page', false],
    [['page'], ['cost'], 'page', true],
  ])('severities %j, reports %j, an alert of %s: %s', (severities, reports, severity, expected) => {
    expect(acceptsAlert(target(severities, reports), severity)).toBe(expected);
  });
});

describe(routeNotification.name, () => {
  it('falls back to ALERT_FALLBACK_TEAM, and parks only when there is none', () => {
    const stray = notification([{ alertname: 'X', service: 'elsewhere', severity: 'page' }]);
    expect(routeNotification(stray, catalog, { fallbackTeam: 'ops' })).toMatchObject([
      { team: 'ops', destination: { team: 'ops', index: 0 } },
    ]);
    expect(routeNotification(stray, catalog)).toMatchObject([{ team: '', destination: null }]);
  });

  it('prefers the team label over the service owner when the catalog knows the team', () => {
    const both = notification([{ alertname: 'X', team: 'ops', service: 'cart', severity: 'page' }]);
    expect(routeNotification(both, catalog).map((d) => d.team)).toEqual(['ops']);
  });

  it('gives a firing and its resolve different keys, and a repeat the same one', () => {
    const alerts = [{ alertname: 'X', team: 'shop', severity: 'page' }];
    const [firing] = routeNotification(notification(alerts), catalog);
    const [again] = routeNotification(notification(alerts), catalog);
    const [resolved] = routeNotification(notification(alerts, 'resolved'), catalog);
    expect(again!.key).toBe(firing!.key);
    expect(resolved!.key).not.toBe(firing!.key);
  });
});
