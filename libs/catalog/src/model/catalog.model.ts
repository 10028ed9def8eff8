/**
 * The one internal model every input format loads into. Plain data only: generators in
 * libs/slo, libs/rules and libs/dashboards consume it without knowing where it came from.
 */

/** Where a declaration was read from, so later stages can still point at the source. */
export interface SourceRef {
  file: string;
  line: number;
  column: number;
}

export type InputFormat = 'native' | 'sloth' | 'openslo' | 'backstage';

/** Rolling windows carry their duration; a calendar month is its own kind. */
export type SloWindow =
  { kind: 'rolling'; duration: string; seconds: number } | { kind: 'calendar'; unit: 'month' };

export type ChatType = 'slack' | 'teams' | 'googlechat' | 'discord' | 'mattermost' | 'webhook';

/** A chat message template, read and checked at load so a broken one never reaches 3 a.m. */
export interface ChatTemplate {
  /** The template's path: catalog-relative (or absolute), as in every `SourceRef`. */
  file: string;
  /** Handlebars source, as read; it compiled when the catalog loaded. */
  source: string;
}

/**
 * One chat destination of a team or a service. Exactly one of `url`, `urlFromEnv` and
 * `tokenFromEnv` is set; `channel` is set exactly when `tokenFromEnv` is (Slack bots only).
 */
export interface ChatTarget {
  type: ChatType;
  /** Literal webhook URL, or the name of an environment variable holding it. */
  url?: string;
  urlFromEnv?: string;
  /** Slack only: the environment variable holding a bot token, posting with the Web API. */
  tokenFromEnv?: string;
  /** Slack channel the bot posts to: an ID (`C0123456`) or `#name`. */
  channel?: string;
  /** Handlebars template of the message body; absent means the type's built-in format. */
  template?: ChatTemplate;
  /** Only alerts with these severities are sent; empty means all. */
  severities: string[];
  /** Which reports go to this target ('cost', 'health'); empty means all. */
  reports: string[];
}

export interface Money {
  /** Decimal string, never a float: cost maths stays exact. */
  amount: string;
  currency: string;
}

export interface CostAllocation {
  /** Cloud tag key -> values that belong to the team (e.g. team: [payments]). */
  tags: Record<string, string[]>;
  awsAccounts: string[];
  azureSubscriptions: string[];
}

/** How a shared cost is divided among its teams. */
export type SharedCostSplit = 'even' | 'proportional' | 'percent';

/**
 * Spend that belongs to several teams (a shared cluster's tag, a platform account), declared in
 * `Defaults.spec.cost.shared` or a team's `spec.cost.shared`: split evenly, in proportion to each
 * team's direct spend of the day, or by fixed percentages.
 */
export interface SharedCost {
  name: string;
  /** The tag values and accounts that are shared (same shape as a team's allocation). */
  match: CostAllocation;
  split: SharedCostSplit;
  /** The teams that share it; every team with a cost allocation when the rule names none. */
  teams: string[];
  /** Team -> percent (summing to 100) when `split` is `percent`. */
  percent: Record<string, number>;
  /** `Defaults`, or the team whose document declares the rule. */
  declaredBy: string;
  source: SourceRef;
}

export interface TeamCost {
  monthlyBudget?: Money;
  allocation: CostAllocation;
  shared?: SharedCost[];
}

export interface Team {
  name: string;
  displayName?: string;
  chat: ChatTarget[];
  cost?: TeamCost;
  /** False when the team is only referenced by a service, never declared. */
  declared: boolean;
  source?: SourceRef;
}

export interface Link {
  title: string;
  url: string;
}

/** Naming convention of a service's HTTP metrics, used for RED panels; `none` for services without an HTTP server. */
export type HttpConvention = 'opentelemetry' | 'classic' | 'none';

export interface PrometheusTelemetry {
  /** Label matchers that select the service's series, without braces: `job="checkout"`. */
  matchers: string;
  convention: HttpConvention;
}

export interface LokiTelemetry {
  /** Stream selector with braces: `{service_name="checkout"}`. */
  selector: string;
  /** Pipeline that keeps error lines: `| detected_level="error"`. */
  errorFilter: string;
}

export interface TempoTelemetry {
  serviceName: string;
  /** TraceQL selecting the service's spans; defaults to `{resource.service.name="<serviceName>"}`. */
  query: string;
}

export interface Telemetry {
  prometheus?: PrometheusTelemetry;
  loki?: LokiTelemetry;
  tempo?: TempoTelemetry;
}

/**
 * Service level indicators. Query templates contain `{{.window}}` (Sloth's placeholder),
 * rendered with a range such as `5m`. Selector-based kinds hold bare label matchers and metric
 * names so generators can build the cheapest expression themselves.
 */
export type Sli =
  | { kind: 'events'; errorQuery: string; totalQuery: string }
  | { kind: 'goodTotal'; goodQuery: string; totalQuery: string }
  | {
      kind: 'latency';
      /** Histogram base name without suffix: `http_server_request_duration_seconds`. */
      metric: string;
      /** Label matchers without braces, may be empty. */
      matchers: string;
      /** Requests at or below this many seconds are good. */
      thresholdSeconds: number;
      histogram: 'classic' | 'native';
    }
  | { kind: 'raw'; errorRatioQuery: string }
  /** A 0/1 gauge such as `probe_success{job="blackbox"}`: the share of 0 samples is the error ratio. */
  | { kind: 'gauge'; selector: string }
  /** Log lines: errors are the lines of `selector` that pass `errorFilter` (LogQL). */
  | { kind: 'logs'; selector: string; errorFilter: string };

export type SliKind = Sli['kind'];

export type Severity = 'page' | 'ticket';

/** One multiwindow burn-rate tier: alert when both windows burn faster than the factor. */
export interface BurnTier {
  severity: Severity;
  longWindow: string;
  shortWindow: string;
  /** Share of the error budget (percent) this tier lets burn before alerting. */
  budgetPercent: number;
}

export interface AlertTarget {
  enabled: boolean;
  /** Value of the `severity` label; defaults to the tier severity name. */
  severityLabel: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

export interface Alerting {
  /** Alert name; generated from service and SLO when the spec has none. */
  name: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  page: AlertTarget;
  ticket: AlertTarget;
  /** Explicit tiers for this SLO; undefined means the catalog defaults. */
  tiers?: BurnTier[];
  /** Minimum events in the long window before a page may fire (low-traffic guard). */
  minEvents?: number;
  /** Also alert when the SLI's series are absent. */
  absent: boolean;
}

export interface Slo {
  name: string;
  service: string;
  team: string;
  description?: string;
  /** Percent in (0, 100), e.g. 99.9. */
  objective: number;
  window: SloWindow;
  sli: Sli;
  alerting: Alerting;
  labels: Record<string, string>;
  source: SourceRef;
}

/** The Loki alert on a service's share of error log lines (services with Loki telemetry only). */
export interface ErrorLogAlert {
  enabled: boolean;
  /** Percent of the service's log lines over 5m that are errors before it fires. */
  errorPercent: number;
  /** Error lines over 5m below which it stays quiet, so one error in a quiet minute pages no one. */
  minLines: number;
  /** How long the condition holds before the alert fires. */
  for: string;
}

export interface Service {
  name: string;
  team: string;
  description?: string;
  labels: Record<string, string>;
  runbook?: string;
  links: Link[];
  telemetry: Telemetry;
  slos: Slo[];
  /** This service's changes to the catalog's error-log alert. */
  errorLogAlert?: Partial<ErrorLogAlert>;
  /** The service's own chat destinations: they get its alerts besides its team's. */
  chat: ChatTarget[];
  format: InputFormat;
  source: SourceRef;
}

/** Catalog-wide defaults (native kind `Defaults`). */
export interface CatalogDefaults {
  window: SloWindow;
  tiers: BurnTier[];
  errorLogAlert: ErrorLogAlert;
  /** Shared costs of the whole catalog (the Defaults' and every team's). */
  sharedCosts: SharedCost[];
}

export interface Catalog {
  teams: Team[];
  services: Service[];
  defaults: CatalogDefaults;
}

/** A file produced by a generator: a path relative to the output root and its full text. */
export interface GeneratedFile {
  path: string;
  content: string;
}
