import { MalformedRequestError } from '@burnrate/contracts';

/** One alert of a notification, as Alertmanager (webhook v4) and Grafana alerting send it. */
export interface Alert {
  status: 'firing' | 'resolved';
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt: string;
  generatorURL: string;
  fingerprint: string;
}

/**
 * Alertmanager's webhook payload (version 4). Grafana alerting sends the same fields and more
 * (`version: "1"`, `orgId`, `title`, per-alert URLs); the extra fields are kept out.
 */
export interface AlertNotification {
  source: 'alertmanager' | 'grafana';
  receiver: string;
  status: 'firing' | 'resolved';
  groupKey: string;
  groupLabels: Record<string, string>;
  commonLabels: Record<string, string>;
  commonAnnotations: Record<string, string>;
  externalURL: string;
  truncatedAlerts: number;
  alerts: Alert[];
}

/** A body that is not an alert notification: 400, naming what is wrong. */
export class InvalidNotificationError extends MalformedRequestError {
  constructor(message: string) {
    super('invalid-notification', message);
  }
}

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function status(value: unknown, where: string): 'firing' | 'resolved' {
  if (value === 'firing' || value === 'resolved') return value;
  throw new InvalidNotificationError(
    `${where}: must be "firing" or "resolved", got ${JSON.stringify(value)}`,
  );
}

/** Label and annotation maps: string values only (Alertmanager never sends anything else). */
function strings(value: unknown, where: string): Record<string, string> {
  if (value === undefined || value === null) return {};
  if (!isObject(value)) throw new InvalidNotificationError(`${where}: must be an object of strings`);
  const out: Record<string, string> = {};
  for (const [key, item] of Object.entries(value)) {
    if (typeof item !== 'string') throw new InvalidNotificationError(`${where}.${key}: must be a string`);
    out[key] = item;
  }
  return out;
}

const text = (value: unknown): string => (typeof value === 'string' ? value : '');

/**
 * Reads a webhook body (already JSON-parsed). Refuses, naming the field, anything that is not a
 * notification: no `alerts` list, no `status`, an alert without labels.
 */
export function parseNotification(body: unknown): AlertNotification {
  if (!isObject(body))
    throw new InvalidNotificationError('the body must be a JSON object (an alert notification)');
  if (!Array.isArray(body['alerts']))
    throw new InvalidNotificationError('alerts: a list of alerts is required');
  if (body['status'] === undefined)
    throw new InvalidNotificationError('status: required ("firing" or "resolved")');
  const alerts = body['alerts'].map((raw: unknown, index): Alert => {
    const where = `alerts[${index}]`;
    if (!isObject(raw)) throw new InvalidNotificationError(`${where}: must be an object`);
    const labels = strings(raw['labels'], `${where}.labels`);
    if (Object.keys(labels).length === 0) throw new InvalidNotificationError(`${where}.labels: required`);
    return {
      status: status(raw['status'], `${where}.status`),
      labels,
      annotations: strings(raw['annotations'], `${where}.annotations`),
      startsAt: text(raw['startsAt']),
      endsAt: text(raw['endsAt']),
      generatorURL: text(raw['generatorURL']),
      fingerprint: text(raw['fingerprint']) || fingerprintOf(labels),
    };
  });
  return {
    source: body['version'] === '4' || body['version'] === undefined ? 'alertmanager' : 'grafana',
    receiver: text(body['receiver']),
    status: status(body['status'], 'status'),
    groupKey: text(body['groupKey']),
    groupLabels: strings(body['groupLabels'], 'groupLabels'),
    commonLabels: strings(body['commonLabels'], 'commonLabels'),
    commonAnnotations: strings(body['commonAnnotations'], 'commonAnnotations'),
    externalURL: text(body['externalURL']),
    truncatedAlerts: typeof body['truncatedAlerts'] === 'number' ? body['truncatedAlerts'] : 0,
    alerts,
  };
}

/** A stable identity for an alert that came without one: its sorted labels. */
function fingerprintOf(labels: Record<string, string>): string {
  return Object.keys(labels)
    .sort()
    .map((k) => `${k}=${labels[k]}`)
    .join(',');
}
