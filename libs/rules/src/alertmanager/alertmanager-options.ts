/** The Burnrate server as docker-compose.yml names it: service `burnrate`, port 3000. */
export const DEFAULT_BURNRATE_URL = 'http://burnrate:3000';

/** Where docker-compose.yml's Alertmanager writes `WEBHOOK_TOKEN` before it starts. */
export const DEFAULT_WEBHOOK_TOKEN_FILE = '/etc/alertmanager/burnrate-webhook-token';

/**
 * Alerts per webhook call. A group is one SLO and one severity, so it rarely holds more than a
 * few; the cap keeps a runaway group's payload far below the server's 1 MB body limit, and
 * Burnrate summarises the rest from `truncatedAlerts`.
 */
export const DEFAULT_MAX_ALERTS = 100;

/** How Alertmanager batches and repeats the notifications of one route. */
export interface RouteTiming {
  /** How long a new group waits for more alerts before its first notification. */
  groupWait: string;
  /** How long a group waits before it notifies about alerts added to or resolved in it. */
  groupInterval: string;
  /** How long a group that has not changed waits before it notifies again. */
  repeatInterval: string;
}

/** Fast: Alertmanager's own defaults, which suit a page. */
export const PAGE_TIMING: RouteTiming = Object.freeze({
  groupWait: '30s',
  groupInterval: '5m',
  repeatInterval: '4h',
});

/** Slow: a ticket waits long enough for a page of the same SLO to arrive and inhibit it. */
export const TICKET_TIMING: RouteTiming = Object.freeze({
  groupWait: '5m',
  groupInterval: '30m',
  repeatInterval: '24h',
});

/** What the Alertmanager configuration points at; every field but the two defaults is optional. */
export interface AlertmanagerOptions {
  /** Base URL of the Burnrate server as Alertmanager reaches it; `/webhooks/alertmanager` is appended. */
  burnrateUrl: string;
  /** File that holds the webhook bearer token (`WEBHOOK_TOKEN`), as Alertmanager sees it. */
  webhookTokenFile: string;
  /** Alerts per webhook call; 0 sends them all. */
  maxAlerts?: number;
  /** Timing of page routes (and of alerts no route matches). */
  pageTiming?: Partial<RouteTiming>;
  /** Timing of ticket routes. */
  ticketTiming?: Partial<RouteTiming>;
}

/** The options with every default filled in. */
export interface ResolvedAlertmanagerOptions {
  webhookUrl: string;
  webhookTokenFile: string;
  maxAlerts: number;
  pageTiming: RouteTiming;
  ticketTiming: RouteTiming;
}

/** Fills in the defaults and builds the webhook URL from the server's base URL. */
export function resolveAlertmanagerOptions(options: AlertmanagerOptions): ResolvedAlertmanagerOptions {
  return {
    webhookUrl: `${options.burnrateUrl.replace(/\/+$/, '')}/webhooks/alertmanager`,
    webhookTokenFile: options.webhookTokenFile,
    maxAlerts: options.maxAlerts ?? DEFAULT_MAX_ALERTS,
    pageTiming: { ...PAGE_TIMING, ...options.pageTiming },
    ticketTiming: { ...TICKET_TIMING, ...options.ticketTiming },
  };
}
