import { DEFAULT_CATALOG_DEFAULTS } from '../model/defaults.js';
import type { Catalog, CatalogDefaults, Service, SourceRef, Team } from '../model/catalog.model.js';
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

  return {
    teams: [...teams.values()].sort(byName),
    services: [...services.values()].sort(byName),
    defaults,
  };
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
