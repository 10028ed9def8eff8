import type { Sli, SloWindow, SourceRef } from '../model/catalog.model.js';
import { NAME, parseSloWindow, readName, readQuery, roundPercent } from '../load/checks.js';
import type { Cursor } from '../load/cursor.js';
import { defaultAlerting, type Contributions } from '../load/drafts.js';
import { loadOpenSlo, openSloLabels } from './openslo.loader.js';

export const OPENSLO_V1ALPHA_KINDS = ['SLO', 'Service'] as const;
const METADATA = ['name', 'displayName', 'labels', 'annotations'] as const;
const OBJECTIVE = ['displayName', 'value', 'ratioMetrics', 'target', 'timeSliceTarget', 'op'] as const;
const UNIT_DAYS: Record<string, number> = { day: 1, week: 7 };

/**
 * One `openslo/v1alpha` document, the version Sloth reads: each objective's `ratioMetrics`
 * (good over total Prometheus queries with `{{.window}}`) is one SLO. A single objective keeps
 * the SLO's name; several are named `<name>-<index>`, as Sloth names them.
 */
export function loadOpenSloV1Alpha(root: Cursor, kind: string, out: Contributions): void {
  if (kind === 'Service') return loadOpenSlo(root, kind, out); // same shape as v1
  const top = root.fields(['apiVersion', 'kind', 'metadata', 'spec'], ['metadata', 'spec']);
  const metadata = top?.get('metadata').fields(METADATA, ['name']);
  const name = metadata && readName(metadata.get('name'));
  const f = top
    ?.get('spec')
    .fields(
      ['description', 'service', 'indicator', 'timeWindows', 'budgetingMethod', 'objectives'],
      ['service', 'budgetingMethod', 'objectives'],
    );
  if (!top || !metadata || !f) return;
  const at = (c: Cursor): SourceRef => ({ file: root.ctx.file, ...root.ctx.position(c.offset) });
  const service = readName(f.get('service'));
  const labels = openSloLabels(metadata.get('labels'));
  const team = labels.team;
  delete labels.team;
  if (team !== undefined && !NAME.test(team))
    metadata
      .get('labels')
      .error(`team \`${team}\` is not a safe name: use lowercase letters, digits and dashes`);
  const method = f.get('budgetingMethod').string();
  if (method !== undefined && method !== 'Occurrences') {
    f.get('budgetingMethod').error(
      `budgetingMethod \`${method}\` is not supported: Burnrate budgets by \`Occurrences\` (events)`,
    );
  }
  if (f.has('indicator')) {
    f.get('indicator').error(
      'threshold metrics are not supported: write each objective with `ratioMetrics` (good over total)',
    );
  }
  const window = readTimeWindows(f.get('timeWindows'));
  const description = f.get('description').string();
  const objectives = f.get('objectives').list() ?? [];
  objectives.forEach((c, index) => {
    const objective = readObjective(c);
    if (!name || !service || !objective || window === null || f.has('indicator')) return;
    const sloName = objectives.length === 1 ? name : `${name}-${index}`;
    out.openslo.slos.push({
      service,
      team,
      serviceSource: at(f.get('service')),
      sli: objective.sli,
      slo: {
        name: sloName,
        objective: objective.percent,
        window,
        alerting: defaultAlerting(service, sloName),
        labels: { ...labels },
        ...(description !== undefined ? { description } : {}),
        source: at(objectives.length === 1 ? root : c),
      },
    });
  });
}

function readObjective(c: Cursor): { percent: number; sli: Sli } | undefined {
  const f = c.fields(OBJECTIVE, ['target', 'ratioMetrics']);
  if (!f) return undefined;
  const target = f.get('target').number();
  const r = f.has('ratioMetrics')
    ? f.get('ratioMetrics').fields(['good', 'total', 'incremental'], ['good', 'total'])
    : undefined;
  const good = r && readQuerySource(r.get('good'));
  const total = r && readQuerySource(r.get('total'));
  if (target !== undefined && !(target > 0 && target < 1))
    return f.get('target').error(`target ${target} is outside (0, 1): give a ratio such as 0.999`);
  if (target === undefined || !good || !total) return undefined;
  return {
    percent: roundPercent(target * 100),
    sli: { kind: 'goodTotal', goodQuery: good, totalQuery: total },
  };
}

/** `{source: prometheus, queryType: promql, query: ...}`; Sloth also accepts source `sloth`. */
function readQuerySource(c: Cursor): string | undefined {
  const f = c.fields(['source', 'queryType', 'query'], ['source', 'queryType', 'query']);
  if (!f) return undefined;
  const source = f.get('source').string();
  if (source !== undefined && !['prometheus', 'sloth'].includes(source.toLowerCase()))
    return f.get('source').error(`source \`${source}\` is not supported: Burnrate reads Prometheus queries`);
  const type = f.get('queryType').string();
  if (type !== undefined && type.toLowerCase() !== 'promql')
    return f.get('queryType').error(`queryType \`${type}\` is not supported: use \`promql\``);
  return readQuery(f.get('query'), 'promql', { window: true });
}

/** `[{count: 30, unit: Day}]`; a calendar month is `{count: 1, unit: Month, isRolling: false}`. */
function readTimeWindows(c: Cursor): SloWindow | undefined | null {
  if (!c.present) return undefined;
  const items = c.list();
  if (!items) return null;
  if (items.length !== 1) return c.error('timeWindows must hold exactly one window') ?? null;
  const f = items[0]!.fields(['count', 'unit', 'isRolling', 'calendar'], ['count', 'unit']);
  const count = f?.get('count').number();
  const unit = f?.get('unit').string();
  if (!f || count === undefined || unit === undefined) return null;
  const rolling = f.get('isRolling').boolean() ?? true;
  const days = UNIT_DAYS[unit.toLowerCase()];
  if (!rolling && unit.toLowerCase() === 'month' && count === 1) return { kind: 'calendar', unit: 'month' };
  const window =
    rolling && days !== undefined && Number.isInteger(count) ? parseSloWindow(`${count * days}d`) : undefined;
  return (
    window ??
    f
      .get('unit')
      .error(
        `time window of ${count} ${unit}${rolling ? '' : ' (calendar)'} is not supported: use rolling Day or Week counts, or 1 calendar Month`,
      ) ??
    null
  );
}
