import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { ChatTarget, Service, Team } from '@burnrate/catalog';

import { parseNotification } from '../webhook/notification.js';
import { acceptsAlert, destinationId, routeNotification } from './route-notification.js';

const target = (severities: string[], reports: string[] = []): ChatTarget => ({
  type: 'slack',
  urlFromEnv: 'X',
  severities,
  reports,
});
const team = (name: string, chat: ChatTarget[]): Team => ({ name, chat, declared: true });
const service = (name: string, owner: string, chat: ChatTarget[] = []) =>
  ({ name, team: owner, chat }) as Pick<Service, 'name' | 'team' | 'chat'> as Service;
const bot: ChatTarget = {
  type: 'slack',
  tokenFromEnv: 'PAY_SLACK_TOKEN',
  channel: 'C0123456',
  template: { file: 'catalog/pay.hbs', source: '{{status}}' },
  severities: ['ticket'],
  reports: [],
};
const catalog = {
  teams: [team('shop', [target(['page']), target([], ['cost'])]), team('ops', [target([])])],
  services: [
    service('cart', 'shop'),
    service('pay', 'shop', [bot]),
    service('quiet', 'ops', [target(['page'])]),
  ],
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

  it('keeps the key of a team destination as it was before services had destinations', () => {
    const [delivery] = routeNotification(
      notification([{ alertname: 'X', team: 'shop', severity: 'page' }]),
      catalog,
    );
    const before = createHash('sha256')
      .update(JSON.stringify(['g', 'firing', 'shop#0', ['f0@t0:firing']]))
      .digest('hex');
    expect(delivery!.key).toBe(before);
  });

  it("sends a service's alerts to its own destinations too, as a Slack bot with its template", () => {
    const deliveries = routeNotification(
      notification([{ alertname: 'X', service: 'pay', severity: 'ticket' }]),
      catalog,
    );
    expect(deliveries.map((d) => d.destination && destinationId(d.destination))).toEqual(['service:pay#0']);
    expect(deliveries[0]).toMatchObject({
      team: 'shop',
      destination: {
        team: 'shop',
        owner: { kind: 'service', name: 'pay' },
        index: 0,
        type: 'slack',
        tokenFromEnv: 'PAY_SLACK_TOKEN',
        channel: 'C0123456',
        templateFile: 'catalog/pay.hbs',
      },
    });
  });

  it('gives a service destination and the team destination of the same index different keys', () => {
    const deliveries = routeNotification(
      notification([{ alertname: 'X', service: 'quiet', severity: 'page' }]),
      catalog,
    );
    expect(deliveries.map((d) => d.destination && destinationId(d.destination))).toEqual([
      'team:ops#0',
      'service:quiet#0',
    ]);
    expect(deliveries.map((d) => d.destination?.owner.kind)).toEqual(['team', 'service']);
    expect(new Set(deliveries.map((d) => d.key)).size).toBe(2);
  });

  it("routes a service destination under the alert's team when its team label names another", () => {
    const [, own] = routeNotification(
      notification([{ alertname: 'X', team: 'ops', service: 'quiet', severity: 'page' }]),
      catalog,
    );
    expect(own).toMatchObject({ team: 'ops', destination: { owner: { kind: 'service', name: 'quiet' } } });
  });

  it('parks, naming team and service, an alert neither takes', () => {
    const deliveries = routeNotification(
      notification([{ alertname: 'Y', service: 'pay', severity: 'info' }]),
      catalog,
    );
    expect(deliveries).toMatchObject([
      {
        team: '',
        destination: null,
        unroutable: 'team shop and service pay have no chat destination for severity "info"',
      },
    ]);
  });
});
