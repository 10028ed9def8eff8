import { createHash } from 'node:crypto';

import type { Catalog, ChatTarget, ChatType } from '@burnrate/catalog';

import type { Alert, AlertNotification } from '../webhook/notification.js';

/** Whose `chat` list declares a destination. */
export interface DestinationOwner {
  kind: 'team' | 'service';
  name: string;
}

/** One chat destination of a team or a service: its owner and place in the owner's `chat` list name it. */
export interface Destination {
  /** The team the alerts were routed to (for a service's destination too). */
  team: string;
  owner: DestinationOwner;
  /** Index in the owner's `chat` list. */
  index: number;
  type: ChatType;
  url?: string;
  urlFromEnv?: string;
  /** Slack bot: the variable holding the token, and the channel to post to. */
  tokenFromEnv?: string;
  channel?: string;
  /** The template's file (`ChatTemplate.file`): the sender reads its source in the serving catalog. */
  templateFile?: string;
}

/** A destination's identity across deliveries: `team:shop#0`, `service:cart#1`. */
export function destinationId(destination: Pick<Destination, 'owner' | 'index'>): string {
  return `${destination.owner.kind}:${destination.owner.name}#${destination.index}`;
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
 * severity, and to each of its service's own that does. Alerts no rule routes form one parked
 * delivery.
 */
export function routeNotification(
  notification: AlertNotification,
  catalog: Pick<Catalog, 'teams' | 'services'>,
  options: RoutingOptions = {},
): PlannedDelivery[] {
  const teams = new Map(catalog.teams.map((t) => [t.name, t]));
  const services = new Map(catalog.services.map((s) => [s.name, s]));
  const byDestination = new Map<string, { destination: Destination; alerts: Alert[] }>();
  const unroutable: Alert[] = [];
  const reasons = new Set<string>();

  for (const alert of notification.alerts) {
    const service = services.get(alert.labels['service'] ?? '');
    const teamName = [alert.labels['team'], service?.team, options.fallbackTeam].find(
      (name) => name !== undefined && teams.has(name),
    );
    if (teamName === undefined) {
      unroutable.push(alert);
      reasons.add(
        `no catalog team for team="${alert.labels['team'] ?? ''}" service="${alert.labels['service'] ?? ''}" and no ALERT_FALLBACK_TEAM`,
      );
      continue;
    }
    const severity = alert.labels['severity'];
    const owners: { owner: DestinationOwner; chat: ChatTarget[] }[] = [
      { owner: { kind: 'team', name: teamName }, chat: teams.get(teamName)!.chat },
    ];
    if (service) owners.push({ owner: { kind: 'service', name: service.name }, chat: service.chat });
    let taken = false;
    for (const { owner, chat } of owners) {
      chat.forEach((target, index) => {
        if (!acceptsAlert(target, severity)) return;
        taken = true;
        const id = deliveryId(owner, index);
        const entry = byDestination.get(id) ?? {
          destination: destinationOf(teamName, owner, index, target),
          alerts: [],
        };
        entry.alerts.push(alert);
        byDestination.set(id, entry);
      });
    }
    if (!taken) {
      unroutable.push(alert);
      const whose = service?.chat.length
        ? `team ${teamName} and service ${service.name} have`
        : `team ${teamName} has`;
      reasons.add(`${whose} no chat destination for severity "${severity ?? ''}"`);
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

/** What goes into the delivery key: `<team>#<index>` for teams, as before services had destinations. */
const deliveryId = (owner: DestinationOwner, index: number): string =>
  owner.kind === 'team' ? `${owner.name}#${index}` : `service:${owner.name}#${index}`;

/** Whether a destination takes this kind of report (`cost`, `health`): all when it lists none. */
export function acceptsReport(target: ChatTarget, kind: string): boolean {
  return target.reports.length === 0 || target.reports.includes(kind);
}

/** A catalog chat target as a destination of `team`'s messages. */
export function destinationOf(
  team: string,
  owner: DestinationOwner,
  index: number,
  target: ChatTarget,
): Destination {
  return {
    team,
    owner,
    index,
    type: target.type,
    ...(target.url !== undefined ? { url: target.url } : {}),
    ...(target.urlFromEnv !== undefined ? { urlFromEnv: target.urlFromEnv } : {}),
    ...(target.tokenFromEnv !== undefined ? { tokenFromEnv: target.tokenFromEnv } : {}),
    ...(target.channel !== undefined ? { channel: target.channel } : {}),
    ...(target.template !== undefined ? { templateFile: target.template.file } : {}),
  };
}

/** sha256 of the group, its status, the destination and each alert's identity and status. */
function deliveryKey(notification: AlertNotification, destination: string, alerts: Alert[]): string {
  const identity = alerts.map((a) => `${a.fingerprint}@${a.startsAt}:${a.status}`).sort();
  return createHash('sha256')
    .update(JSON.stringify([notification.groupKey, notification.status, destination, identity]))
    .digest('hex');
}
