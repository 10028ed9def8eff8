import type {
  Alerting,
  CatalogDefaults,
  ChatTarget,
  Service,
  Sli,
  Slo,
  SloWindow,
  SourceRef,
  Team,
} from '../model/catalog.model.js';
import type { OpenSloAlertingContributions, PolicyUse } from '../formats/openslo-alerting.util.js';

/** An SLO as a loader reads it: the window may fall back to the catalog default later. */
export type SloDraft = Omit<Slo, 'window' | 'team' | 'service'> & { window: SloWindow | undefined };

/** A `Defaults` document: every field optional, the error-log alert field by field. */
export type DefaultsDraft = Partial<Omit<CatalogDefaults, 'errorLogAlert'>> & {
  errorLogAlert?: Partial<CatalogDefaults['errorLogAlert']>;
};

/** A service as read from one file, before teams and defaults are known. */
export interface ServiceDraft extends Omit<Service, 'team' | 'slos'> {
  /** Undefined when the format names no owner (a Backstage component may still claim it). */
  team: string | undefined;
  teamSource: SourceRef;
  slos: SloDraft[];
}

/** What every file contributes; the linker turns the union into a Catalog. */
export interface Contributions {
  services: ServiceDraft[];
  teams: Team[];
  defaults: { value: DefaultsDraft; source: SourceRef }[];
  /** Backstage components that own the services declared in another file. */
  owners: { file: string; team: string; source: SourceRef }[];
  openslo: OpenSloContributions;
  /** Chat templates named by destinations: read and compiled once every file is loaded. */
  templates: TemplateUse[];
}

/** A destination's `template` field: which file it names and where, to report its problems there. */
export interface TemplateUse {
  /** The template's path, resolved against the catalog file that names it. */
  file: string;
  /** The path as written in the catalog. */
  written: string;
  /** The `template` field. */
  at: SourceRef & { path: string };
  /** Gets `template` once the file is read and compiles; absent when the destination is invalid. */
  target: ChatTarget | undefined;
}

/** OpenSLO documents refer to each other by name across files; the linker joins them. */
export interface OpenSloContributions {
  slis: Map<string, { sli: Sli | undefined; source: SourceRef }>;
  slos: {
    service: string;
    team: string | undefined;
    slo: Omit<SloDraft, 'sli'>;
    sli: Sli | undefined;
    indicatorRef?: { name: string; source: SourceRef };
    serviceSource: SourceRef;
    /** The SLO's `alertPolicies`, mapped onto tiers once every file is read. */
    alertPolicies?: PolicyUse[];
  }[];
  services: Map<string, { description?: string; source: SourceRef }>;
  alerting: OpenSloAlertingContributions;
}

export const emptyContributions = (): Contributions => ({
  services: [],
  teams: [],
  defaults: [],
  owners: [],
  openslo: {
    slis: new Map(),
    slos: [],
    services: new Map(),
    alerting: { policies: new Map(), conditions: new Map() },
  },
  templates: [],
});

export function defaultAlertName(service: string, slo: string): string {
  const pascal = (s: string) =>
    s
      .split(/[^A-Za-z0-9]+/)
      .filter(Boolean)
      .map((w) => w[0]!.toUpperCase() + w.slice(1))
      .join('');
  return `${pascal(service)}${pascal(slo)}Burn`;
}

export const defaultAlerting = (service: string, slo: string): Alerting => ({
  name: defaultAlertName(service, slo),
  labels: {},
  annotations: {},
  page: { enabled: true, severityLabel: 'page', labels: {}, annotations: {} },
  ticket: { enabled: true, severityLabel: 'ticket', labels: {}, annotations: {} },
  absent: false,
});
