import type { ChatType } from '@burnrate/catalog';

import type { Alert } from '../webhook/notification.js';

/** What the status service knows of the alert's SLO when the message is rendered. */
export interface SloFigures {
  /** Burn rate over the last hour (1 = spending the budget exactly over the window). */
  burnRate1h: number | null;
  /** Share of the error budget left, 0..1 (negative once overspent). */
  budgetRemaining: number | null;
  state?: string;
}

/** The delivery as the outbox holds it (`alert_outbox.payload`). */
export interface DeliveryPayload {
  status: 'firing' | 'resolved';
  groupKey: string;
  receiver?: string;
  externalURL?: string;
  groupLabels?: Record<string, string>;
  commonLabels?: Record<string, string>;
  commonAnnotations?: Record<string, string>;
  truncatedAlerts?: number;
  alerts: Alert[];
}

/** One alert of the group, as a message lists it. Text is raw here; escaping comes later. */
export interface AlertLine {
  status: 'firing' | 'resolved';
  name: string;
  summary: string;
  /** `key=value` pairs of the labels that tell this alert from the others of its group. */
  labels: string;
  since: string;
}

export interface MessageLinks {
  dashboard?: string;
  runbook?: string;
  traces?: string;
  silence?: string;
}

/**
 * Everything a chat template shows, before escaping: the renderer escapes every string of it for
 * the destination's format, so a template cannot forget to.
 */
export interface MessageView {
  status: 'firing' | 'resolved';
  firing: boolean;
  /** `FIRING` or `RESOLVED`. */
  state: string;
  /** `[FIRING:3] availability · checkout` */
  title: string;
  /** The text every format carries: `firing: SLO checkout/availability (page): <summary>`. */
  text: string;
  severity: string;
  service: string;
  slo: string;
  team: string;
  alertname: string;
  summary: string;
  description: string;
  /** When the oldest alert of the group started, ISO 8601 UTC, and as Unix seconds. */
  since: string;
  sinceUnix: number;
  count: number;
  /** The alerts shown; `more` are summarised as "... and N more". */
  alerts: AlertLine[];
  more: number;
  moreText: string;
  burn: { rate: string; budgetLeft: string; state: string } | null;
  links: MessageLinks;
  /** The links in order, for templates to loop over: `{{#each linkList}}`. */
  linkList: { id: keyof MessageLinks; label: string; url: string }[];
  hasLinks: boolean;
  color: { hex: string; int: number; slack: string };
  /** Where the message came from (`receiver`, group key): for the footer. */
  receiver: string;
  groupKey: string;
}

export interface ViewOptions {
  /** ALERTMANAGER_URL: the silence link's base; the payload's externalURL when unset. */
  alertmanagerUrl?: string;
  figures?: SloFigures;
  /** Names of the team and service the delivery was routed to (labels may lack them). */
  team?: string;
}

const LINK_LABELS: Readonly<Record<keyof MessageLinks, string>> = {
  dashboard: 'Dashboard',
  runbook: 'Runbook',
  traces: 'Traces',
  silence: 'Silence',
};

const COLORS = {
  firing: { hex: '#E01E5A', int: 0xe01e5a, slack: 'danger' },
  resolved: { hex: '#2EB67D', int: 0x2eb67d, slack: 'good' },
} as const;

/** Labels every alert of a group shares, or that say what the alert is: left out of its line. */
const COMMON_KEYS = new Set(['alertname', 'service', 'slo', 'team', 'severity', 'sloth_id', 'sloth_slo']);

const MAX_FIELD = 300;
const MAX_DESCRIPTION = 1000;

/** Cuts a string to `max` characters (code points), ending with an ellipsis when cut. */
export function clip(value: string, max: number): string {
  const chars = [...value];
  return chars.length <= max ? value : `${chars.slice(0, max - 1).join('')}…`;
}

/** A link only when it is an absolute http(s) URL: `javascript:` and friends never become links. */
export function safeUrl(value: string | undefined): string | undefined {
  if (!value) return undefined;
  try {
    const url = new URL(value);
    // Parentheses and quotes percent-encoded: the URL then also ends a markdown link `[x](url)` right.
    return url.protocol === 'http:' || url.protocol === 'https:'
      ? url.href.replace(
          /[()'"<>\s]/g,
          (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`,
        )
      : undefined;
  } catch {
    return undefined;
  }
}

/** Alertmanager's UI with a new silence pre-filled with the group's labels. */
export function silenceUrl(base: string | undefined, matchers: Record<string, string>): string | undefined {
  const root = safeUrl(base);
  if (!root || Object.keys(matchers).length === 0) return undefined;
  const filter = `{${Object.entries(matchers)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => `${k}="${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`)
    .join(', ')}}`;
  const encoded = encodeURIComponent(filter).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `${root.replace(/\/+$/, '')}/#/silences/new?filter=${encoded}`;
}

const isoSeconds = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

const percent = (share: number): string => `${(share * 100).toFixed(share >= 0.1 || share <= -0.1 ? 1 : 2)}%`;

/** Builds the view of a group's alerts; `shown` limits the alerts listed (the rest are counted). */
export function buildView(payload: DeliveryPayload, options: ViewOptions, shown = Infinity): MessageView {
  const common = payload.commonLabels ?? {};
  const annotations = payload.commonAnnotations ?? {};
  const first = payload.alerts[0];
  const label = (key: string): string => common[key] ?? first?.labels[key] ?? '';
  const annotation = (key: string): string => annotations[key] ?? first?.annotations[key] ?? '';

  const status = payload.status;
  const alertname = label('alertname');
  const slo = label('slo') || label('sloth_slo') || alertname;
  const service = label('service');
  const severity = label('severity');
  const team = label('team') || options.team || '';
  const summary = clip(annotation('summary') || annotation('message') || alertname, MAX_FIELD);
  const count = payload.alerts.length + (payload.truncatedAlerts ?? 0);
  const starts = payload.alerts.map((a) => Date.parse(a.startsAt)).filter((t) => Number.isFinite(t) && t > 0);
  const sinceMs = starts.length > 0 ? Math.min(...starts) : Date.now();

  const lines = payload.alerts.slice(0, Math.max(0, shown)).map((a): AlertLine => ({
    status: a.status,
    name: clip(a.labels['alertname'] ?? alertname, MAX_FIELD),
    summary: clip(a.annotations['summary'] ?? a.annotations['message'] ?? '', MAX_FIELD),
    labels: clip(
      Object.entries(a.labels)
        .filter(([k]) => !COMMON_KEYS.has(k) && common[k] === undefined)
        .map(([k, v]) => `${k}=${v}`)
        .join(', '),
      MAX_FIELD,
    ),
    since: isoSeconds(Date.parse(a.startsAt) || sinceMs),
  }));
  const more = count - lines.length;

  const matchers = Object.keys(payload.groupLabels ?? {}).length > 0 ? payload.groupLabels! : common;
  const links: MessageLinks = {};
  const dashboard = safeUrl(annotation('dashboard'));
  const runbook = safeUrl(annotation('runbook_url') || annotation('runbook'));
  const traces = safeUrl(annotation('traces_url'));
  const silence =
    status === 'firing' ? silenceUrl(options.alertmanagerUrl || payload.externalURL, matchers) : undefined;
  if (dashboard) links.dashboard = dashboard;
  if (runbook) links.runbook = runbook;
  if (traces) links.traces = traces;
  if (silence) links.silence = silence;

  const figures = options.figures;
  const burn =
    figures && (figures.burnRate1h !== null || figures.budgetRemaining !== null)
      ? {
          rate: figures.burnRate1h === null ? 'n/a' : `${figures.burnRate1h.toFixed(1)}x`,
          budgetLeft: figures.budgetRemaining === null ? 'n/a' : percent(figures.budgetRemaining),
          state: figures.state ?? '',
        }
      : null;

  const sloName = service && slo !== alertname ? `${service}/${slo}` : slo;
  const state = status.toUpperCase();
  return {
    status,
    firing: status === 'firing',
    state,
    title: clip(`[${state}:${count}] ${slo}${service ? ` · ${service}` : ''}`, 140),
    text: clip(`${status}: SLO ${sloName}${severity ? ` (${severity})` : ''}: ${summary}`, 1000),
    severity,
    service,
    slo,
    team,
    alertname,
    summary,
    description: clip(annotation('description'), MAX_DESCRIPTION),
    since: isoSeconds(sinceMs),
    sinceUnix: Math.floor(sinceMs / 1000),
    count,
    alerts: lines,
    more,
    moreText: more > 0 ? `... and ${more} more` : '',
    burn,
    links,
    linkList: (Object.keys(LINK_LABELS) as (keyof MessageLinks)[])
      .filter((id) => links[id] !== undefined)
      .map((id) => ({ id, label: LINK_LABELS[id], url: links[id]! })),
    hasLinks: Object.keys(links).length > 0,
    color: COLORS[status],
    receiver: payload.receiver ?? '',
    groupKey: payload.groupKey,
  };
}

/** The chat formats a view renders to. */
export type MessageFormat = ChatType;
