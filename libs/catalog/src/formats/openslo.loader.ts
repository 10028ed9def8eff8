import type { Sli, SloWindow, SourceRef } from '../model/catalog.model.js';
import { NAME, parseSloWindow, readName, readQuery, roundPercent } from '../load/checks.js';
import type { Cursor } from '../load/cursor.js';
import { defaultAlerting, type Contributions } from '../load/drafts.js';
import { readConditionSpec, readPolicySpec, readPolicyUses } from './openslo-alerting.reader.js';

export const OPENSLO_KINDS = [
  'SLO',
  'SLI',
  'Service',
  'AlertPolicy',
  'AlertCondition',
  'AlertNotificationTarget',
  'DataSource',
] as const;
const METADATA = ['name', 'displayName', 'labels', 'annotations'] as const;
/** A plain range selector such as `[1h]` (not a subquery `[1h:5m]`). */
const RANGE = /\[\s*(\d+(?:ms|[smhdwy]))\s*\]/g;
const BARE_SELECTOR = /^\s*([a-zA-Z_:][a-zA-Z0-9_:]*)?\s*(\{[^{}]*\})?\s*$/;

/** One `openslo/v1` document. */
export function loadOpenSlo(root: Cursor, kind: string, out: Contributions): void {
  // A Service may omit `spec` (oslo's and the go-sdk's own test data do).
  const top = root.fields(
    ['apiVersion', 'kind', 'metadata', 'spec'],
    kind === 'Service' ? ['metadata'] : ['metadata', 'spec'],
  );
  if (!top) return;
  const metadata = top.get('metadata').fields(METADATA, ['name']);
  const name = metadata && readName(metadata.get('name'));
  const at = (c: Cursor): SourceRef => ({ file: root.ctx.file, ...root.ctx.position(c.offset) });
  const spec = top.get('spec');
  if (!metadata || !name) return;
  switch (kind) {
    case 'Service': {
      const s = spec.present ? spec.fields(['description']) : undefined;
      const description = s?.get('description').string();
      out.openslo.services.set(name, {
        ...(description !== undefined ? { description } : {}),
        source: at(metadata.get('name')),
      });
      return;
    }
    case 'SLI':
      out.openslo.slis.set(name, { sli: readSliSpec(spec), source: at(metadata.get('name')) });
      return;
    case 'SLO':
      readSlo(root, metadata.get('labels'), name, spec, out, at);
      return;
    case 'AlertPolicy': {
      const policy = readPolicySpec(spec, name, at(metadata.get('name')));
      if (policy) out.openslo.alerting.policies.set(name, policy);
      return;
    }
    case 'AlertCondition': {
      const condition = readConditionSpec(spec, name, at(metadata.get('name')));
      if (condition) out.openslo.alerting.conditions.set(name, condition);
      return;
    }
    default:
      // Notification targets and data sources are valid OpenSLO Burnrate does not need:
      // alerts route by team, and queries name their Prometheus series themselves.
      return;
  }
}

function readSlo(
  root: Cursor,
  labelsCursor: Cursor,
  name: string,
  spec: Cursor,
  out: Contributions,
  at: (c: Cursor) => SourceRef,
): void {
  const f = spec.fields(
    [
      'description',
      'service',
      'indicator',
      'indicatorRef',
      'timeWindow',
      'budgetingMethod',
      'objectives',
      'alertPolicies',
    ],
    ['service', 'budgetingMethod', 'objectives'],
  );
  if (!f) return;
  const service = readName(f.get('service'));
  const labels = openSloLabels(labelsCursor);
  const team = labels.team;
  delete labels.team;
  if (team !== undefined && !NAME.test(team))
    labelsCursor.error(`team \`${team}\` is not a safe name: use lowercase letters, digits and dashes`);
  const method = f.get('budgetingMethod').string();
  if (method !== undefined && method !== 'Occurrences') {
    f.get('budgetingMethod').error(
      `budgetingMethod \`${method}\` is not supported: Burnrate budgets by \`Occurrences\` (events)`,
    );
  }
  const window = readTimeWindow(f.get('timeWindow'));
  const objective = readObjectives(f.get('objectives'));
  const which = f.oneOf(['indicator', 'indicatorRef']);
  const sli = which === 'indicator' ? readInlineIndicator(f.get('indicator')) : undefined;
  const refName = which === 'indicatorRef' ? f.get('indicatorRef').string() : undefined;
  const description = f.get('description').string();
  const alertPolicies = readPolicyUses(f.get('alertPolicies'));
  if (!service || objective === undefined || window === null || !which || (which === 'indicator' && !sli))
    return;
  out.openslo.slos.push({
    service,
    team,
    serviceSource: at(f.get('service')),
    sli,
    ...(refName ? { indicatorRef: { name: refName, source: at(f.get('indicatorRef')) } } : {}),
    ...(alertPolicies ? { alertPolicies } : {}),
    slo: {
      name,
      objective,
      window,
      alerting: defaultAlerting(service, name),
      labels,
      ...(description !== undefined ? { description } : {}),
      source: { file: root.ctx.file, ...root.ctx.position(root.offset) },
    },
  });
}

/** OpenSLO label values may be a string or a list of strings; the first one counts. */
export function openSloLabels(c: Cursor): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const [key, value] of c.entries() ?? []) {
    const first = value.isList ? (value.list()![0] ?? value) : value;
    const text = first.string({ allowNumbers: true });
    if (text !== undefined) labels[key] = text;
  }
  return labels;
}

/** `[{duration: 30d, isRolling: true}]` or a calendar month `[{duration: 1M, isRolling: false, calendar: ...}]`. */
function readTimeWindow(c: Cursor): SloWindow | undefined | null {
  if (!c.present) return undefined;
  const items = c.list();
  if (!items) return null;
  if (items.length !== 1) return c.error('timeWindow must hold exactly one window') ?? null;
  const f = items[0]!.fields(['duration', 'isRolling', 'calendar'], ['duration']);
  const duration = f?.get('duration').string({ allowNumbers: true });
  const rolling = f?.get('isRolling').boolean() ?? true;
  if (!f || duration === undefined) return null;
  if (!rolling) {
    if (duration === '1M') return { kind: 'calendar', unit: 'month' };
    return (
      f
        .get('duration')
        .error(
          `calendar window \`${duration}\` is not supported: use \`1M\` (a calendar month) or a rolling window`,
        ) ?? null
    );
  }
  return (
    parseSloWindow(duration) ??
    f.get('duration').error(`unknown window \`${duration}\`: use whole days or weeks (7d, 28d, 30d, 4w)`) ??
    null
  );
}

function readObjectives(c: Cursor): number | undefined {
  const items = c.list();
  if (!items) return undefined;
  if (items.length !== 1) return c.error('Burnrate reads exactly one objective per OpenSLO SLO');
  const f = items[0]!.fields([
    'displayName',
    'op',
    'value',
    'target',
    'targetPercent',
    'timeSliceTarget',
    'timeSliceWindow',
    'indicator',
    'indicatorRef',
    'compositeWeight',
  ]);
  const which = f?.oneOf(['target', 'targetPercent']);
  if (!f || !which) return undefined;
  const value = f.get(which).number();
  if (value === undefined) return undefined;
  const percent = which === 'target' ? value * 100 : value;
  if (!(percent > 0 && percent < 100)) {
    return f
      .get(which)
      .error(
        which === 'target'
          ? `target ${value} is outside (0, 1): give a ratio such as 0.999`
          : `targetPercent ${value} is outside (0, 100)`,
      );
  }
  return roundPercent(percent);
}

function readInlineIndicator(c: Cursor): Sli | undefined {
  const f = c.fields(['metadata', 'spec'], ['spec']);
  return f ? readSliSpec(f.get('spec')) : undefined;
}

/** `ratioMetric` with `good` or `bad` over `total`; Prometheus sources only. */
export function readSliSpec(spec: Cursor): Sli | undefined {
  const f = spec.fields(['description', 'ratioMetric', 'thresholdMetric']);
  if (!f) return undefined;
  if (f.has('thresholdMetric')) {
    return f
      .get('thresholdMetric')
      .error(
        'threshold metrics are not supported: write the SLI as a `ratioMetric` (good or bad over total)',
      );
  }
  const r = f.get('ratioMetric').fields(['counter', 'good', 'bad', 'total', 'rawType', 'raw'], []);
  if (!r) return f.has('ratioMetric') ? undefined : spec.error('missing required field `ratioMetric`');
  const counter = r.get('counter').boolean() ?? false;
  if (r.has('raw'))
    return r.get('raw').error('raw ratio metrics are not supported: give `good` or `bad` with `total`');
  const which = r.oneOf(['good', 'bad']);
  const total = readMetricSource(r.get('total'), counter);
  if (!r.has('total')) r.owner.error('missing required field `total`');
  const part = which ? readMetricSource(r.get(which), counter) : undefined;
  if (!part || !total) return undefined;
  return which === 'good'
    ? { kind: 'goodTotal', goodQuery: part, totalQuery: total }
    : { kind: 'events', errorQuery: part, totalQuery: total };
}

function readMetricSource(c: Cursor, counter: boolean): string | undefined {
  if (!c.present) return undefined;
  const source = c
    .fields(['metricSource'], ['metricSource'])
    ?.get('metricSource')
    .fields(['metricSourceRef', 'type', 'spec'], ['spec']);
  if (!source) return undefined;
  const type = source.get('type').string();
  if (type !== undefined && type.toLowerCase() !== 'prometheus') {
    return source
      .get('type')
      .error(`metric source type \`${type}\` is not supported: Burnrate reads Prometheus queries`);
  }
  // `spec` is free-form per data source (go-sdk test data adds `dimensions`): only the query
  // is read, spelt `query` (OpenSLO) or `promql` (Nobl9's Prometheus source).
  const fields = source.get('spec').entries();
  if (!fields) return undefined;
  const query = fields.find(([k]) => k === 'query')?.[1] ?? fields.find(([k]) => k === 'promql')?.[1];
  if (!query) return source.get('spec').error('missing required field `query`');
  const text = query.string();
  if (text === undefined) return undefined;
  if (/\{\{\s*\.window\s*\}\}/.test(text)) return readQuery(query, 'promql', { window: true });
  const fixed = fixedRange(text);
  if (fixed) {
    // Exporters write `sum(rate(x[1h]))` for an SLI of rates: each burn-rate window then
    // measures its own span, as `{{.window}}` would; a range per window is what was meant.
    if (readQuery(query, 'promql', { window: false }) === undefined) return undefined;
    query.warn(
      `the query's fixed range [${fixed}] is read as each alert window, [{{.window}}]; write {{.window}} to say so`,
    );
    return text.replace(RANGE, '[{{.window}}]');
  }
  if (!counter)
    return query.error(
      'the query has no `{{.window}}` placeholder: give a full expression with {{.window}}, or a counter selector with `counter: true`',
    );
  if (!BARE_SELECTOR.test(text)) {
    return query.error(
      'with `counter: true` the query must be a bare series selector such as http_requests_total{job="a"}, which Burnrate wraps in sum(rate(...))',
    );
  }
  const checked = readQuery(query, 'promql', { window: false });
  return checked === undefined ? undefined : `sum(rate(${checked.trim()}[{{.window}}]))`;
}

/** The one duration every range selector of the query uses, if it has any. */
function fixedRange(text: string): string | undefined {
  const ranges = new Set([...text.matchAll(RANGE)].map((m) => m[1]!));
  return ranges.size === 1 ? [...ranges][0] : undefined;
}
