import { createHash } from 'node:crypto';

import type { Catalog, ChatTarget, ChatType } from '@burnrate/catalog';

import type { Alert, AlertNotification } from '../webhook/notification.js';

/** One chat destination of a team: its place in the team's `chat` list names it. */
export interface Destination {
  team: string;
  /** Index in the team's `chat` list. */
  index: number;
  type: ChatType;
  url?: string;
  urlFromEnv?: string;
}

/** A message to send: one alert group's alerts of one status, to one destination. */
export interface PlannedDelivery {
  /**
   * The same group, status, alerts and destination give the same key: Alertmanager's repeats
   * are recognised, while a firing and its resolve are two deliveries.
   */
  key: string;
  team: string;
  destination: Destination | null;
  status: 'firing' | 'resolved';
  groupKey: string;
  alerts: Alert[];
  /** Why it cannot be routed; parked, never dropped. */
  unroutable?: string;
}

export interface RoutingOptions {
  /** ALERT_FALLBACK_TEAM: who gets alerts no label routes. */
  fallbackTeam?: string;
}

/** Whether a destination takes alerts of this severity; one that lists only reports takes none. */
export function acceptsAlert(target: ChatTarget, severity: string | undefined): boolean {
  if (target.severities.length > 0) return severity !== undefined && target.severities.includes(severity);
  return target.reports.length === 0;
}

/**
 * Routes each alert to its team: the `team` label if the catalog knows it, else the owner of its
 * `service`, else the fallback team; then to each of the team's chat destinations that takes its
 * severity. Alerts no rule routes form one parked delivery.
 */
export function routeNotification(
  notification: AlertNotification,
  catalog: Pick<Catalog, 'teams' | 'services'>,
  options: RoutingOptions = {},
): PlannedDelivery[] {
  const teams = new Map(catalog.teams.map((t) => [t.name, t]));
  const owners = new Map(catalog.services.map((s) => [s.name, s.team]));
  const byDestination = new Map<string, { destination: Destination; alerts: Alert[] }>();
  const unroutable: Alert[] = [];
  const reasons = new Set<string>();

  for (const alert of notification.alerts) {
    const teamName = [
      alert.labels['team'],
      owners.get(alert.labels['service'] ?? ''),
      options.fallbackTeam,
    ].find((name) => name !== undefined && teams.has(name));
    if (teamName === undefined) {
      unroutable.push(alert);
      reasons.add(
        `no catalog team for team="${alert.labels['team'] ?? ''}" service="${alert.labels['service'] ?? ''}" and no ALERT_FALLBACK_TEAM`,
      );
      continue;
    }
    const team = teams.get(teamName)!;
    const severity = alert.labels['severity'];
    let taken = false;
    team.chat.forEach((target, index) => {
      if (!acceptsAlert(target, severity)) return;
      taken = true;
      const id = `${team.name}#${index}`;
      const entry = byDestination.get(id) ?? {
        destination: {
          team: team.name,
          index,
          type: target.type,
          ...(target.url !== undefined ? { url: target.url } : {}),
          ...(target.urlFromEnv !== undefined ? { urlFromEnv: target.urlFromEnv } : {}),
        },
        alerts: [],
      };
      entry.alerts.push(alert);
      byDestination.set(id, entry);
    });
    if (!taken) {
      unroutable.push(alert);
      reasons.add(`team ${team.name} has no chat destination for severity "${severity ?? ''}"`);
    }
  }

  const deliveries: PlannedDelivery[] = [...byDestination.entries()].map(([id, { destination, alerts }]) => ({
    key: deliveryKey(notification, id, alerts),
    team: destination.team,
    destination,
    status: notification.status,
    groupKey: notification.groupKey,
    alerts,
  }));
  if (unroutable.length > 0) {
    deliveries.push({
      key: deliveryKey(notification, 'unroutable', unroutable),
      team: '',
      destination: null,
      status: notification.status,
      groupKey: notification.groupKey,
      alerts: unroutable,
      unroutable: [...reasons].join('; '),
    });
  }
  return deliveries;
}

/** sha256 of the group, its status, the destination and each alert's identity and status. */
function deliveryKey(notification: AlertNotification, destination: string, alerts: Alert[]): string {
  const identity = alerts.map((a) => `${a.fingerprint}@${a.startsAt}:${a.status}`).sort();
  return createHash('sha256')
    .update(JSON.stringify([notification.groupKey, notification.status, destination, identity]))
    .digest('hex');
}
