import type { AlertTarget, Sli } from '../model/catalog.model.js';
import { readLabels, readName, readObjective, readQuery } from '../load/checks.js';
import type { Cursor } from '../load/cursor.js';
import { defaultAlerting, type Contributions, type SloDraft } from '../load/drafts.js';

/** Sloth's own name rule; names must still be safe as file names. */
const SLOTH_NAME = /^[A-Za-z0-9][-A-Za-z0-9_.]*[A-Za-z0-9]$/;
const ALERT_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const SLOTH_NAME_HINT = "letters, digits, `-`, `_` and `.` (Sloth's rule)";

/** Field names differ between the CLI spec (snake_case) and the Kubernetes CRD (camelCase). */
interface Spelling {
  errorQuery: string;
  totalQuery: string;
  errorRatioQuery: string;
  pageAlert: string;
  ticketAlert: string;
  plugins: string;
}
const SNAKE: Spelling = {
  errorQuery: 'error_query',
  totalQuery: 'total_query',
  errorRatioQuery: 'error_ratio_query',
  pageAlert: 'page_alert',
  ticketAlert: 'ticket_alert',
  plugins: 'slo_plugins',
};
const CAMEL: Spelling = {
  errorQuery: 'errorQuery',
  totalQuery: 'totalQuery',
  errorRatioQuery: 'errorRatioQuery',
  pageAlert: 'pageAlert',
  ticketAlert: 'ticketAlert',
  plugins: 'sloPlugins',
};

/** A Sloth `prometheus/v1` spec, read unchanged. */
export function loadSloth(root: Cursor, out: Contributions): void {
  const f = root.fields(['version', 'service', 'labels', 'slos', 'slo_plugins'], ['service', 'slos']);
  if (f) warnPlugins(f.get('slo_plugins'));
  if (f) readSlothGroup(root, f.get('service'), f.get('labels'), f.get('slos'), SNAKE, out);
}

/** Sloth's Kubernetes `PrometheusServiceLevel`, same model in camelCase under `spec`. */
export function loadSlothKubernetes(root: Cursor, out: Contributions): void {
  const top = root.fields(['apiVersion', 'kind', 'metadata', 'spec'], ['spec']);
  const spec = top?.get('spec').fields(['service', 'labels', 'slos', 'sloPlugins'], ['service', 'slos']);
  if (spec) warnPlugins(spec.get('sloPlugins'));
  if (spec) readSlothGroup(root, spec.get('service'), spec.get('labels'), spec.get('slos'), CAMEL, out);
}

function readSlothGroup(
  root: Cursor,
  serviceCursor: Cursor,
  labelsCursor: Cursor,
  slosCursor: Cursor,
  words: Spelling,
  out: Contributions,
): void {
  const service = readName(serviceCursor, SLOTH_NAME, SLOTH_NAME_HINT);
  const labels = readLabels(labelsCursor);
  if (!service) return;
  const ownerKey = labels.team !== undefined ? 'team' : labels.owner !== undefined ? 'owner' : undefined;
  const team = ownerKey ? labels[ownerKey] : undefined;
  // `team` is the generator's own label; `owner` stays as written, so Alertmanager routes on it keep working.
  delete labels.team;
  const teamCursor = ownerKey ? (labelsCursor.entries() ?? []).find(([k]) => k === ownerKey)?.[1] : undefined;
  if (team !== undefined && teamCursor) readName(teamCursor);
  const slos = (slosCursor.list() ?? [])
    .map((c) => readSlothSlo(c, service, words))
    .filter((s): s is SloDraft => s !== undefined);
  const at = teamCursor ?? serviceCursor;
  out.services.push({
    name: service,
    team,
    teamSource: { file: root.ctx.file, ...root.ctx.position(at.offset) },
    labels,
    links: [],
    telemetry: {},
    slos,
    chat: [],
    format: 'sloth',
    source: { file: root.ctx.file, ...root.ctx.position(serviceCursor.offset) },
  });
}

function readSlothSlo(c: Cursor, service: string, words: Spelling): SloDraft | undefined {
  const f = c.fields(
    ['name', 'description', 'objective', 'labels', 'sli', 'alerting', 'plugins'],
    ['name', 'objective', 'sli'],
  );
  if (!f) return undefined;
  warnPlugins(f.get('plugins'));
  const name = readName(f.get('name'), SLOTH_NAME, SLOTH_NAME_HINT);
  const objective = readObjective(f.get('objective'));
  const sli = readSlothSli(f.get('sli'), words);
  const alerting = defaultAlerting(service, name ?? '');
  const a = f.get('alerting').present
    ? f.get('alerting').fields(['name', 'labels', 'annotations', words.pageAlert, words.ticketAlert])
    : undefined;
  if (a) {
    alerting.labels = readLabels(a.get('labels'));
    alerting.annotations = readLabels(a.get('annotations'), 'annotation');
    alerting.page = readSlothAlert(a.get(words.pageAlert), alerting.page);
    alerting.ticket = readSlothAlert(a.get(words.ticketAlert), alerting.ticket);
    const alertName = readAlertName(a.get('name'), alerting.page.enabled || alerting.ticket.enabled);
    if (alertName !== undefined) alerting.name = alertName;
  }
  const description = f.get('description').string();
  const labels = readLabels(f.get('labels'));
  if (!name || objective === undefined || !sli) return undefined;
  return {
    name,
    objective,
    window: undefined,
    sli,
    alerting,
    labels,
    ...(description !== undefined ? { description } : {}),
    source: { file: c.ctx.file, ...c.ctx.position(c.offset) },
  };
}

function readSlothSli(c: Cursor, words: Spelling): Sli | undefined {
  const f = c.fields(['events', 'raw', 'plugin']);
  const kind = f?.oneOf(['events', 'raw', 'plugin']);
  if (!f || !kind) return undefined;
  if (kind === 'plugin') {
    const id = entry(f.get('plugin'), 'id')?.string();
    return f
      .get('plugin')
      .error(
        `Sloth SLI plugin \`${id ?? '(no id)'}\` cannot compute this SLI: Burnrate runs no Sloth plugins (Go code); write the SLI as \`events\` or \`raw\``,
      );
  }
  if (kind === 'raw') {
    const r = f.get('raw').fields([words.errorRatioQuery], [words.errorRatioQuery]);
    const errorRatioQuery = r && readQuery(r.get(words.errorRatioQuery), 'promql', { window: true });
    return errorRatioQuery ? { kind: 'raw', errorRatioQuery } : undefined;
  }
  const e = f
    .get('events')
    .fields([words.errorQuery, words.totalQuery], [words.errorQuery, words.totalQuery]);
  const errorQuery = e && readQuery(e.get(words.errorQuery), 'promql', { window: true });
  const totalQuery = e && readQuery(e.get(words.totalQuery), 'promql', { window: true });
  if (errorQuery && totalQuery && errorQuery.trim() === totalQuery.trim()) {
    return e
      .get(words.totalQuery)
      .error('the error and total queries are the same: the SLI would always be 100% errors');
  }
  return errorQuery && totalQuery ? { kind: 'events', errorQuery, totalQuery } : undefined;
}

/** Sloth's `severity` label on page/ticket alerts becomes the severity label value. */
function readSlothAlert(c: Cursor, defaults: AlertTarget): AlertTarget {
  if (!c.present) return defaults;
  const f = c.fields(['disable', 'labels', 'annotations']);
  if (!f) return defaults;
  const labels = readLabels(f.get('labels'));
  const severityLabel = labels.severity ?? defaults.severityLabel;
  delete labels.severity;
  return {
    enabled: !(f.get('disable').boolean() ?? false),
    severityLabel,
    labels,
    annotations: readLabels(f.get('annotations'), 'annotation'),
  };
}

/**
 * Sloth's alert name, when written. An empty one is refused as the native format refuses it
 * (Sloth refuses it too unless both alerts are disabled, when it names nothing).
 */
function readAlertName(c: Cursor, anyAlert: boolean): string | undefined {
  const name = c.string();
  if (name === undefined || (name.trim() === '' && !anyAlert)) return undefined;
  if (!ALERT_NAME.test(name))
    return c.error(
      name.trim() === ''
        ? 'alerting.name is empty: name the alerts, such as MyServiceHighErrorRate, or leave the field out for a generated name'
        : `alert name \`${name}\` must be a valid metric name such as MyServiceHighErrorRate`,
    );
  return name;
}

/**
 * Sloth SLO plugins (`slo_plugins`, `sloPlugins`, an SLO's `plugins`) change how Sloth writes
 * its rules; Burnrate writes its own and runs none. Each one is named, never dropped silently.
 */
function warnPlugins(c: Cursor): void {
  if (!c.present) return;
  const chain = entry(c, 'chain');
  for (const item of chain?.list() ?? []) {
    const idCursor = entry(item, 'id');
    const id = idCursor?.string() ?? '(no id)';
    (idCursor ?? item).warn(
      `Sloth SLO plugin \`${id}\` is ignored: Burnrate generates the rules itself and runs no Sloth plugins`,
    );
  }
}

const entry = (c: Cursor, key: string): Cursor | undefined => c.entries()?.find(([k]) => k === key)?.[1];
