import { DEFAULT_CATALOG_DEFAULTS } from '../model/defaults.js';
import type {
  Catalog,
  CatalogDefaults,
  CostAllocation,
  Service,
  SharedCost,
  SourceRef,
  Team,
} from '../model/catalog.model.js';
import type { Contributions, ServiceDraft } from '../load/drafts.js';
import type { Problem } from '../problems/problem.js';
import { nearName } from '../load/near-name.util.js';

/** Teams without an owner anywhere are still generated, under this name. */
export const UNOWNED_TEAM = 'unowned';

/**
 * Joins what every file contributed into one catalog: resolves OpenSLO references, Backstage
 * owners, catalog defaults and teams, and reports what only the whole can reveal (duplicates,
 * undeclared teams).
 */
export function linkCatalog(c: Contributions, problems: Problem[], strict: boolean): Catalog {
  const report = (severity: Problem['severity'], at: SourceRef, message: string) =>
    problems.push({ ...at, severity, message });
  const defaults = linkDefaults(c, report);
  const drafts = [...c.services, ...linkOpenSlo(c, report)];

  for (const owner of c.owners) {
    const owned = drafts.filter((d) => d.source.file === owner.file);
    if (owned.length === 0)
      report('error', owner.source, `burnrate.dev/slo-spec: no service is declared in ${owner.file}`);
    for (const draft of owned) {
      if (draft.team === undefined) draft.team = owner.team;
      else if (draft.team !== owner.team)
        report(
          'warning',
          owner.source,
          `the component's owner \`${owner.team}\` differs from the spec's team \`${draft.team}\`; keeping \`${draft.team}\``,
        );
    }
  }

  const teams = new Map<string, Team>();
  for (const team of c.teams) {
    const first = teams.get(team.name);
    if (first)
      report(
        'error',
        team.source!,
        `duplicate team \`${team.name}\`; first declared at ${where(first.source!)}`,
      );
    else teams.set(team.name, team);
  }

  const services = new Map<string, Service>();
  for (const draft of drafts) {
    const first = services.get(draft.name);
    if (first) {
      report(
        'error',
        draft.source,
        `duplicate service \`${draft.name}\`; first declared at ${where(first.source)}`,
      );
      continue;
    }
    const team = resolveTeam(draft, teams, report, strict);
    const slos = new Map<string, SourceRef>();
    const service: Service = { ...withoutTeamSource(draft), team, slos: [] };
    for (const slo of draft.slos) {
      const seen = slos.get(slo.name);
      if (seen) {
        report(
          'error',
          slo.source,
          `duplicate SLO \`${slo.name}\` in service \`${draft.name}\`; first declared at ${where(seen)}`,
        );
        continue;
      }
      slos.set(slo.name, slo.source);
      service.slos.push({ ...slo, service: draft.name, team, window: slo.window ?? defaults.window });
    }
    services.set(draft.name, service);
  }

  defaults.sharedCosts = linkCostRules(defaults.sharedCosts, teams, report);
  return {
    teams: [...teams.values()].sort(byName),
    services: [...services.values()].sort(byName),
    defaults,
  };
}

/**
 * The shared-cost rules of the Defaults and every team, checked against the teams: a rule names
 * declared teams only, and no tag value or account is claimed by two rules (two teams, a team
 * and a shared cost, or two shared costs), since a cost line must have exactly one owner.
 */
function linkCostRules(
  fromDefaults: SharedCost[],
  teams: Map<string, Team>,
  report: (s: Problem['severity'], at: SourceRef, m: string) => void,
): SharedCost[] {
  const rules = [...fromDefaults, ...[...teams.values()].flatMap((t) => t.cost?.shared ?? [])];
  const claims = new Map<string, { by: string; at: SourceRef }>();
  const claim = (key: string, shown: string, by: string, at: SourceRef) => {
    const first = claims.get(key);
    if (!first) claims.set(key, { by, at });
    else if (first.by !== by)
      report(
        'error',
        at,
        `${shown} is claimed by ${by} and by ${first.by} (${where(first.at)}); a cost line has one owner`,
      );
  };
  const claimAll = (match: CostAllocation, by: string, at: SourceRef) => {
    for (const [key, values] of Object.entries(match.tags))
      for (const value of values) claim(`tag\u0000${key}\u0000${value}`, `tag ${key}=${value}`, by, at);
    for (const id of match.awsAccounts) claim(`aws\u0000${id}`, `AWS account ${id}`, by, at);
    for (const id of match.azureSubscriptions) claim(`azure\u0000${id}`, `Azure subscription ${id}`, by, at);
  };
  for (const team of teams.values())
    if (team.cost) claimAll(team.cost.allocation, `team ${team.name}`, team.source!);
  const names = new Map<string, SourceRef>();
  for (const rule of rules) {
    const seen = names.get(rule.name);
    if (seen)
      report(
        'error',
        rule.source,
        `duplicate shared cost \`${rule.name}\`; first declared at ${where(seen)}`,
      );
    names.set(rule.name, rule.source);
    claimAll(rule.match, `shared cost ${rule.name}`, rule.source);
    for (const name of rule.teams)
      if (!teams.has(name)) {
        const near = nearName(name, [...teams.keys()]);
        report(
          'error',
          rule.source,
          `shared cost \`${rule.name}\` names team \`${name}\`, which is not declared${near ? ` (did you mean \`${near}\`?)` : ''}`,
        );
      }
  }
  return rules;
}

function linkDefaults(
  c: Contributions,
  report: (s: Problem['severity'], at: SourceRef, m: string) => void,
): CatalogDefaults {
  const [first, ...rest] = c.defaults;
  for (const extra of rest)
    report(
      'error',
      extra.source,
      `a catalog has at most one Defaults document; first at ${where(first!.source)}`,
    );
  const { errorLogAlert, ...value } = first?.value ?? {};
  return {
    ...DEFAULT_CATALOG_DEFAULTS,
    tiers: [...DEFAULT_CATALOG_DEFAULTS.tiers],
    sharedCosts: [],
    ...value,
    errorLogAlert: { ...DEFAULT_CATALOG_DEFAULTS.errorLogAlert, ...errorLogAlert },
  };
}

function linkOpenSlo(
  c: Contributions,
  report: (s: Problem['severity'], at: SourceRef, m: string) => void,
): ServiceDraft[] {
  const byService = new Map<string, ServiceDraft>();
  for (const entry of c.openslo.slos) {
    let sli = entry.sli;
    if (entry.indicatorRef) {
      const found = c.openslo.slis.get(entry.indicatorRef.name);
      if (!found) {
        const known = [...c.openslo.slis.keys()];
        report(
          'error',
          entry.indicatorRef.source,
          `indicatorRef \`${entry.indicatorRef.name}\` names no OpenSLO SLI${known.length ? ` (declared: ${known.join(', ')})` : ''}`,
        );
        continue;
      }
      sli = found.sli;
    }
    if (!sli) continue;
    const declared = c.openslo.services.get(entry.service);
    let draft = byService.get(entry.service);
    if (!draft) {
      draft = {
        name: entry.service,
        team: entry.team,
        teamSource: entry.slo.source,
        labels: {},
        ...(declared?.description !== undefined ? { description: declared.description } : {}),
        links: [],
        telemetry: {},
        slos: [],
        chat: [],
        format: 'openslo',
        source: declared?.source ?? entry.serviceSource,
      };
      byService.set(entry.service, draft);
    } else if (draft.team === undefined) draft.team = entry.team;
    draft.slos.push({ ...entry.slo, sli });
  }
  return [...byService.values()];
}

function resolveTeam(
  draft: ServiceDraft,
  teams: Map<string, Team>,
  report: (s: Problem['severity'], at: SourceRef, m: string) => void,
  strict: boolean,
): string {
  const severity = strict ? 'error' : 'warning';
  if (draft.team === undefined) {
    report(
      severity,
      draft.teamSource,
      `service \`${draft.name}\` names no team (set labels.team in Sloth, metadata.labels.team in OpenSLO, spec.owner in Backstage); generated under \`${UNOWNED_TEAM}\``,
    );
  } else if (!teams.has(draft.team)) {
    const declared = [...teams.values()].filter((t) => t.declared).map((t) => t.name);
    const near = nearName(draft.team, declared);
    report(
      severity,
      draft.teamSource,
      near
        ? `team \`${draft.team}\` is not declared; did you mean \`${near}\`? (declared: ${declared.join(', ')})`
        : `team \`${draft.team}\` is not declared: add a burnrate.dev/v1 Team document for it`,
    );
  }
  const name = draft.team ?? UNOWNED_TEAM;
  if (!teams.has(name)) teams.set(name, { name, chat: [], declared: false });
  return name;
}

function withoutTeamSource(draft: ServiceDraft): Omit<ServiceDraft, 'teamSource' | 'team' | 'slos'> {
  const { teamSource: _t, team: _team, slos: _s, ...rest } = draft;
  return rest;
}

const where = (s: SourceRef): string => `${s.file}:${s.line}:${s.column}`;
const byName = (a: { name: string }, b: { name: string }): number =>
  a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
