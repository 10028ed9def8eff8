import { isAbsolute, join, resolve } from 'node:path';

import type { DatabaseConfig } from '@burnrate/persistence';
import { DEFAULT_GRAFANA_URL } from '@burnrate/rules';
import { parseDuration } from '@burnrate/slo';
import { validateCronExpression } from 'cron';
import { anomalyRulesFromEnv, ReportConfigError } from '@burnrate/finops';

import { Secret } from './secret.js';

export type LogLevel = 'error' | 'warn' | 'log' | 'debug' | 'verbose';

const LOG_LEVELS: readonly LogLevel[] = ['error', 'warn', 'log', 'debug', 'verbose'];

/** PGlite's own notation for a database that lives only in memory. */
export const IN_MEMORY_DATA_DIR = 'memory://';

/** Everything the server reads from its environment, checked once at boot. */
export interface ServerConfig {
  readonly port: number;
  readonly database: DatabaseConfig;
  /** Where SLO status is read from; SLO refresh is off without it. */
  readonly prometheusUrl: URL | undefined;
  readonly prometheus: {
    /** Sent on every query (`X-Scope-OrgID`, `Authorization`); basic auth in the URL lands here. */
    readonly headers: ReadonlyMap<string, Secret>;
    readonly timeoutMs: number;
  };
  readonly status: {
    /** Time between two status refreshes. */
    readonly refreshIntervalMs: number;
    /** Snapshots and events older than this are dropped. */
    readonly historyRetentionSeconds: number;
    /** The generated rules' fast interval: the low-traffic guard counts samples at it. */
    readonly fastInterval: string;
  };
  /** Bearer token the read API requires; the read API is open without it. */
  readonly apiReadToken: Secret | undefined;
  readonly grafana: {
    /** Where the server reaches Grafana's API (publishing). */
    readonly url: URL | undefined;
    /** Grafana as readers reach it: the base of links in alerts, messages and reports. */
    readonly publicUrl: URL;
    readonly apiToken: Secret | undefined;
  };
  /** Bearer token Alertmanager must send to the webhook; the webhook refuses everything without it. */
  readonly webhookToken: Secret | undefined;
  /**
   * Names of the environment variables that are set (values are not kept here): catalog chat
   * destinations name theirs (`urlFrom.env`), and a missing one is reported at load.
   */
  readonly environmentNames: ReadonlySet<string>;
  /** ALERT_FALLBACK_TEAM: who gets alerts whose labels name no catalog team or service. */
  readonly alertFallbackTeam: string | undefined;
  /** The chat sender: attempts, timeouts, and where links and Slack's Web API are. */
  readonly delivery: {
    /** DELIVERY_MAX_ATTEMPTS (10): a delivery is parked after this many failed attempts. */
    readonly maxAttempts: number;
    /** DELIVERY_TIMEOUT (10s): one request to a chat service. */
    readonly timeoutMs: number;
    /** DELIVERY_BACKOFF_BASE (1s) doubling per attempt up to DELIVERY_BACKOFF_MAX (5m), with jitter. */
    readonly backoff: { readonly baseDelayMs: number; readonly maxDelayMs: number };
    /** DELIVERY_CONCURRENCY (8): destinations this replica sends to at once. */
    readonly concurrency: number;
    /** ALERTMANAGER_URL: the base of silence links (else the notification's externalURL). */
    readonly alertmanagerUrl: URL | undefined;
    /** SLACK_API_URL (https://slack.com/api/): Slack's Web API, for bot destinations. */
    readonly slackApiUrl: URL;
    /** Reads a destination's `urlFrom.env` or `tokenFrom.env` variable when it is sent to. */
    readonly secret: (name: string) => string | undefined;
  };
  /** IANA time zone for the weekly report schedule (Monday 09:00 there). */
  readonly reportTimezone: string;
  /** Cost jobs: the daily pull and the weekly reports. */
  readonly cost: {
    /** REPORT_CRON (`0 9 * * 1`, Monday 09:00) in REPORT_TIMEZONE: last week's reports are sent. */
    readonly reportCron: string;
    /** COST_PULL_CRON (`0 6 * * *`, UTC) and COST_PULL_PROVIDERS (`aws,azure`; none: no pull). */
    readonly pullCron: string;
    readonly pullProviders: readonly ('aws' | 'azure')[];
    /** COST_PULL_DAYS (35): each daily pull replaces this many days up to yesterday (late corrections). */
    readonly pullDays: number;
    /** The variables the providers and anomaly rules read (COST_TEAM_TAG, AWS_COST_BILLING_ACCOUNT, AZURE_COST_*, COST_ANOMALY_*). */
    readonly env: Readonly<Record<string, string | undefined>>;
  };
  readonly logLevel: LogLevel;
  /** `json` (one object per line, for log pipelines) or `text` (Nest's console format, for people). */
  readonly logFormat: 'json' | 'text';
  /** The catalog the server publishes from, and the revision named in Grafana's version history. */
  readonly catalog: { readonly paths: readonly string[]; readonly revision: string | undefined };
  /** Bearer token for the admin API (publishing); the admin API refuses everything without it. */
  readonly adminToken: Secret | undefined;
  /** Rulers that take the generated rules: Mimir/Cortex for Prometheus rules, Loki for Loki rules. */
  readonly rulers: {
    readonly mimir: { readonly url: URL; readonly prefix: string } | undefined;
    readonly loki: { readonly url: URL; readonly prefix: string } | undefined;
    readonly tenant: string | undefined;
  };
}

export type Environment = Readonly<Record<string, string | undefined>>;

/** The environment held one or more bad values; `problems` names each variable and what it accepts. */
export class ServerConfigError extends Error {
  readonly code = 'INVALID_CONFIG';

  constructor(readonly problems: readonly string[]) {
    super(`invalid configuration:\n${problems.map((problem) => `  ${problem}`).join('\n')}`);
    this.name = 'ServerConfigError';
  }
}

/**
 * Builds the typed configuration from environment variables, reporting every problem at once.
 * Messages never repeat a value that may hold a secret (DATABASE_URL, tokens).
 * `cwd` anchors a relative DATA_DIR.
 */
export function loadServerConfig(env: Environment, cwd: string = process.cwd()): ServerConfig {
  const problems: string[] = [];
  const read = (name: string): string | undefined => {
    const value = env[name]?.trim();
    return value === undefined || value === '' ? undefined : value;
  };

  const port = parsePort(read('PORT') ?? '3000', problems);
  const database = parseDatabase(read('DATABASE_URL'), read('DATA_DIR') ?? './.data', cwd, problems);
  const prometheusUrl = parseHttpUrl('PROMETHEUS_URL', read('PROMETHEUS_URL'), problems);
  const prometheusHeaders = parseHeaders(read('PROMETHEUS_HEADERS'), problems);
  if (prometheusUrl && (prometheusUrl.username || prometheusUrl.password)) {
    const user = decodeURIComponent(prometheusUrl.username);
    const password = decodeURIComponent(prometheusUrl.password);
    prometheusHeaders.set('Authorization', new Secret(`Basic ${btoa(`${user}:${password}`)}`));
    prometheusUrl.username = '';
    prometheusUrl.password = '';
  }
  const prometheusTimeout = parseDurationVar(
    'PROMETHEUS_TIMEOUT',
    read('PROMETHEUS_TIMEOUT') ?? '10s',
    problems,
  );
  const refreshInterval = parseDurationVar(
    'SLO_REFRESH_INTERVAL',
    read('SLO_REFRESH_INTERVAL') ?? '60s',
    problems,
  );
  const retention = parseDurationVar(
    'SLO_HISTORY_RETENTION',
    read('SLO_HISTORY_RETENTION') ?? '400d',
    problems,
  );
  const fastInterval = read('RULES_FAST_INTERVAL') ?? '1m';
  parseDurationVar('RULES_FAST_INTERVAL', fastInterval, problems);
  const apiReadToken = read('API_READ_TOKEN');
  const grafanaUrl = parseHttpUrl('GRAFANA_URL', read('GRAFANA_URL'), problems);
  const grafanaPublicUrl = parseHttpUrl('GRAFANA_PUBLIC_URL', read('GRAFANA_PUBLIC_URL'), problems);
  const grafanaToken = read('GRAFANA_API_TOKEN');
  const webhookToken = read('WEBHOOK_TOKEN');
  const reportTimezone = parseTimezone(read('REPORT_TIMEZONE') ?? 'UTC', problems);
  const logLevel = parseLogLevel(read('LOG_LEVEL') ?? 'log', problems);
  const logFormat = read('LOG_FORMAT') ?? 'json';
  if (logFormat !== 'json' && logFormat !== 'text')
    problems.push(`LOG_FORMAT: must be json or text, got "${logFormat}"`);
  const catalogPaths = (read('CATALOG_PATH') ?? './catalog')
    .split(',')
    .map((path) => resolve(cwd, path.trim()));
  const adminToken = read('ADMIN_TOKEN');
  const maxAttempts = parseCount('DELIVERY_MAX_ATTEMPTS', read('DELIVERY_MAX_ATTEMPTS') ?? '10', problems);
  const deliveryTimeout = parseDurationVar('DELIVERY_TIMEOUT', read('DELIVERY_TIMEOUT') ?? '10s', problems);
  const backoffBase = parseDurationVar(
    'DELIVERY_BACKOFF_BASE',
    read('DELIVERY_BACKOFF_BASE') ?? '1s',
    problems,
  );
  const backoffMax = parseDurationVar('DELIVERY_BACKOFF_MAX', read('DELIVERY_BACKOFF_MAX') ?? '5m', problems);
  const concurrency = parseCount('DELIVERY_CONCURRENCY', read('DELIVERY_CONCURRENCY') ?? '8', problems);
  const alertmanagerUrl = parseHttpUrl('ALERTMANAGER_URL', read('ALERTMANAGER_URL'), problems);
  const slackApiUrl = parseHttpUrl(
    'SLACK_API_URL',
    read('SLACK_API_URL') ?? 'https://slack.com/api/',
    problems,
  );
  const reportCron = parseCron('REPORT_CRON', read('REPORT_CRON') ?? '0 9 * * 1', problems);
  const pullCron = parseCron('COST_PULL_CRON', read('COST_PULL_CRON') ?? '0 6 * * *', problems);
  const pullProviders = (read('COST_PULL_PROVIDERS') ?? '')
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
  for (const p of pullProviders)
    if (p !== 'aws' && p !== 'azure') problems.push(`COST_PULL_PROVIDERS: \`${p}\` is not aws or azure`);
  const pullDays = parseCount('COST_PULL_DAYS', read('COST_PULL_DAYS') ?? '35', problems);
  try {
    anomalyRulesFromEnv(env);
  } catch (error) {
    if (!(error instanceof ReportConfigError)) throw error;
    problems.push(error.message);
  }
  const mimirUrl = parseHttpUrl('MIMIR_RULER_URL', read('MIMIR_RULER_URL'), problems);
  const lokiUrl = parseHttpUrl('LOKI_RULER_URL', read('LOKI_RULER_URL'), problems);

  if (problems.length > 0) throw new ServerConfigError(problems);
  return {
    port,
    database,
    prometheusUrl,
    prometheus: { headers: prometheusHeaders, timeoutMs: prometheusTimeout * 1000 },
    status: {
      refreshIntervalMs: refreshInterval * 1000,
      historyRetentionSeconds: retention,
      fastInterval,
    },
    apiReadToken: apiReadToken === undefined ? undefined : new Secret(apiReadToken),
    grafana: {
      url: grafanaUrl,
      // Links open in a reader's browser, which may reach Grafana by another name than the server.
      publicUrl: grafanaPublicUrl ?? grafanaUrl ?? new URL(DEFAULT_GRAFANA_URL),
      apiToken: grafanaToken === undefined ? undefined : new Secret(grafanaToken),
    },
    webhookToken: webhookToken === undefined ? undefined : new Secret(webhookToken),
    alertFallbackTeam: read('ALERT_FALLBACK_TEAM'),
    delivery: {
      maxAttempts,
      timeoutMs: deliveryTimeout * 1000,
      backoff: { baseDelayMs: backoffBase * 1000, maxDelayMs: Math.max(backoffBase, backoffMax) * 1000 },
      concurrency,
      alertmanagerUrl,
      slackApiUrl: slackApiUrl ?? new URL('https://slack.com/api/'),
      secret: read,
    },
    environmentNames: new Set(Object.keys(env).filter((name) => read(name) !== undefined)),
    reportTimezone,
    cost: {
      reportCron,
      pullCron,
      pullProviders: pullProviders as ('aws' | 'azure')[],
      pullDays,
      env: Object.fromEntries(
        Object.keys(env)
          .filter((name) => /^(COST_|AZURE_COST_|AWS_COST_)/.test(name))
          .map((name) => [name, read(name)]),
      ),
    },
    logLevel,
    logFormat: logFormat === 'text' ? 'text' : 'json',
    catalog: { paths: catalogPaths, revision: read('CATALOG_REVISION') },
    adminToken: adminToken === undefined ? undefined : new Secret(adminToken),
    rulers: {
      mimir: mimirUrl && { url: mimirUrl, prefix: read('MIMIR_RULER_PREFIX') ?? '/prometheus' },
      loki: lokiUrl && { url: lokiUrl, prefix: '/loki/api/v1' },
      tenant: read('RULER_TENANT'),
    },
  };
}

function parseCron(name: string, raw: string, problems: string[]): string {
  const check = validateCronExpression(raw);
  if (!check.valid)
    problems.push(`${name}: \`${raw}\` is not a cron expression (minute hour day month weekday)`);
  return raw;
}

function parsePort(raw: string, problems: string[]): number {
  const port = Number(raw);
  if (!/^\d+$/.test(raw) || port > 65535) {
    problems.push(`PORT: must be a whole number from 0 to 65535, got "${raw}"`);
  }
  return port;
}

function parseDatabase(
  url: string | undefined,
  dataDir: string,
  cwd: string,
  problems: string[],
): DatabaseConfig {
  if (url === undefined) {
    if (dataDir === IN_MEMORY_DATA_DIR) return { kind: 'pglite', dataDir: undefined };
    const root = isAbsolute(dataDir) ? dataDir : resolve(cwd, dataDir);
    return { kind: 'pglite', dataDir: join(root, 'pglite') };
  }
  const parsed = URL.canParse(url) ? new URL(url) : undefined;
  if (parsed?.protocol !== 'postgres:' && parsed?.protocol !== 'postgresql:') {
    // The URL may carry a password: describe the expected shape, never echo the value.
    problems.push('DATABASE_URL: must be a URL like postgres://user:password@host:5432/database');
  }
  return { kind: 'postgres', url };
}

function parseHttpUrl(name: string, raw: string | undefined, problems: string[]): URL | undefined {
  if (raw === undefined) return undefined;
  const parsed = URL.canParse(raw) ? new URL(raw) : undefined;
  if (parsed?.protocol !== 'http:' && parsed?.protocol !== 'https:') {
    problems.push(`${name}: must be an http:// or https:// URL, got "${redactUrl(raw)}"`);
    return undefined;
  }
  return parsed;
}

function parseCount(name: string, raw: string, problems: string[]): number {
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < 1 || value > 10_000) {
    problems.push(`${name}: must be a whole number from 1 to 10000, got "${raw}"`);
    return 1;
  }
  return value;
}

function parseDurationVar(name: string, raw: string, problems: string[]): number {
  try {
    return parseDuration(raw);
  } catch {
    problems.push(`${name}: must be a duration such as 30s, 5m or 400d, got "${raw}"`);
    return 1;
  }
}

/**
 * `Name=value,Name2=value` with values URL-encoded, as OpenTelemetry's OTEL_EXPORTER_OTLP_HEADERS
 * is written. Values are secrets (tokens): a problem names the header, never its value.
 */
function parseHeaders(raw: string | undefined, problems: string[]): Map<string, Secret> {
  const headers = new Map<string, Secret>();
  if (raw === undefined) return headers;
  for (const [index, part] of raw.split(',').entries()) {
    const equals = part.indexOf('=');
    const name = part.slice(0, equals).trim();
    if (equals < 1 || !/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) {
      problems.push(
        `PROMETHEUS_HEADERS: entry ${index + 1} must be Name=value (entries separated by commas, values URL-encoded)`,
      );
      continue;
    }
    let value: string;
    try {
      value = decodeURIComponent(part.slice(equals + 1).trim());
    } catch {
      problems.push(`PROMETHEUS_HEADERS: the value of ${name} is not valid URL encoding`);
      continue;
    }
    headers.set(name, new Secret(value));
  }
  return headers;
}

function parseTimezone(raw: string, problems: string[]): string {
  try {
    // Canonical form, so 'utc' and 'Europe/berlin' behave like 'UTC' and 'Europe/Berlin'.
    return new Intl.DateTimeFormat('en', { timeZone: raw }).resolvedOptions().timeZone;
  } catch {
    problems.push(`REPORT_TIMEZONE: must be an IANA time zone such as UTC or Europe/Berlin, got "${raw}"`);
    return raw;
  }
}

function parseLogLevel(raw: string, problems: string[]): LogLevel {
  const level = LOG_LEVELS.find((candidate) => candidate === raw);
  if (level === undefined) problems.push(`LOG_LEVEL: must be one of ${LOG_LEVELS.join(', ')}, got "${raw}"`);
  return level ?? 'log';
}

/** The URL as typed, minus any password: safe for logs. */
export function redactUrl(raw: string): string {
  // Works on the text as given, so an invalid URL is echoed as typed, minus its password.
  return raw.replace(/(\/\/[^/@:]*:)[^/@]*@/, '$1redacted@').replace(/([?&]password=)[^&]*/i, '$1redacted');
}
