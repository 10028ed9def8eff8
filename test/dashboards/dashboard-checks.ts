import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { checkQuery, type QueryLanguage } from '@burnrate/catalog';

export interface Link {
  title: string;
  url?: string;
}

export interface Panel {
  id?: number;
  type: string;
  title?: string;
  links?: Link[];
  fieldConfig?: { defaults?: { links?: Link[] } };
  gridPos?: { x: number; y: number; w: number; h: number };
  datasource?: { type?: string; uid?: string };
  targets?: { refId?: string; expr?: string; query?: string; rawSql?: string }[];
  panels?: Panel[];
}

export interface DashboardJson {
  uid: string;
  title: string;
  panels: Panel[];
  links?: Link[];
  templating?: { list: { name: string; type: string; query?: unknown; current?: { value: string } }[] };
}

const schema = JSON.parse(
  readFileSync(join(import.meta.dirname, 'schema/dashboard.jsonschema.json'), 'utf8'),
) as object;
const ajv = new Ajv({ strict: false, allErrors: true });
ajv.addSchema(schema, 'dashboard');
export const validateDashboard = ajv.getSchema('dashboard#/definitions/Dashboard')!;

/** Grafana's macros and variables replaced by values the grammars accept. */
export function substituteMacros(query: string): string {
  return query
    .replace(/\$__(rate_interval|interval|range|auto)\b/g, '5m')
    .replace(/\$\{[^}]+\}|\$[a-zA-Z_]\w*/g, 'x');
}

const LANGUAGE: Record<string, QueryLanguage> = { prometheus: 'promql', loki: 'logql', tempo: 'traceql' };

/** Every query of a dashboard with its language (SQL panels are not parsed here). */
export function queriesOf(board: DashboardJson): { panel: string; language: QueryLanguage; query: string }[] {
  const out: { panel: string; language: QueryLanguage; query: string }[] = [];
  for (const panel of board.panels) {
    const language = LANGUAGE[panel.datasource?.type ?? ''];
    if (!language) continue;
    for (const t of panel.targets ?? []) {
      const query = t.expr ?? t.query;
      if (query) out.push({ panel: panel.title ?? '', language, query });
    }
  }
  return out;
}

export const parseProblems = (board: DashboardJson) =>
  queriesOf(board).flatMap(({ panel, language, query }) => {
    const problem = checkQuery(language, substituteMacros(query));
    return problem ? [`${board.uid} / ${panel}: ${problem.message} in ${query}`] : [];
  });

/** Pairs of panels whose grid rectangles overlap, or that leave the 24 columns. */
export function layoutProblems(board: DashboardJson): string[] {
  const problems: string[] = [];
  const placed = board.panels.filter((p) => p.gridPos);
  for (const [i, a] of placed.entries()) {
    const g = a.gridPos!;
    if (g.x < 0 || g.w <= 0 || g.x + g.w > 24) problems.push(`${a.title} leaves the grid`);
    for (const b of placed.slice(i + 1)) {
      const h = b.gridPos!;
      if (g.x < h.x + h.w && h.x < g.x + g.w && g.y < h.y + h.h && h.y < g.y + g.h)
        problems.push(`${a.title} overlaps ${b.title}`);
    }
  }
  return problems;
}

export function identityProblems(board: DashboardJson): string[] {
  const problems: string[] = [];
  if (!/^[a-z0-9-]{1,40}$/.test(board.uid))
    problems.push(`uid ${board.uid} is not lowercase or longer than 40`);
  const ids = board.panels.map((p) => p.id);
  if (ids.some((id) => typeof id !== 'number')) problems.push('a panel has no id');
  if (new Set(ids).size !== ids.length) problems.push('panel ids repeat');
  for (const panel of board.panels) {
    const refs = (panel.targets ?? []).map((t) => t.refId);
    if (refs.some((r) => !r) || new Set(refs).size !== refs.length)
      problems.push(`${panel.title}: refIds missing or repeated`);
  }
  return problems;
}

/** Panels whose data source is neither a declared data source variable nor a literal uid. */
export function datasourceProblems(board: DashboardJson): string[] {
  const variables = new Set(
    (board.templating?.list ?? []).filter((v) => v.type === 'datasource').map((v) => v.name),
  );
  return board.panels.flatMap((panel) => {
    const uid = panel.datasource?.uid;
    if (panel.type === 'row' || !uid) return [];
    const variable = /^\$\{(\w+)\}$/.exec(uid)?.[1];
    return variable && !variables.has(variable)
      ? [`${board.uid} / ${panel.title}: no variable ${variable}`]
      : [];
  });
}

/** The Explore panes of a URL, with Grafana's `${...}` variables replaced by values. */
export function explorePanes(
  url: string,
): { datasource: string; queries: { query?: string; expr?: string }[]; range: unknown }[] {
  const panes = new URL(url, 'http://grafana').searchParams.get('panes')!;
  return Object.values(JSON.parse(panes.replace(/\$\{[\w.:]+\}/g, 'x')) as Record<string, never>);
}
