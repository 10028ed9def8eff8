import { parseDocument, Scalar } from 'yaml';
import type { Telemetry } from '../model/catalog.model.js';
import { NAME, readName, readQuery } from '../load/checks.js';
import { Cursor } from '../load/cursor.js';
import { scalarOffset } from '../load/scalar-offset.util.js';
import type { Contributions, SloDraft } from '../load/drafts.js';
import { readNativeSlo } from './native-slo.reader.js';
import { DEFAULT_LOKI_ERROR_FILTER, defaultTraceQuery } from './native.loader.js';

const ANNOTATIONS = [
  'burnrate.dev/slos',
  'burnrate.dev/slo-spec',
  'burnrate.dev/runbook',
  'burnrate.dev/prometheus-matchers',
  'burnrate.dev/loki-selector',
  'burnrate.dev/tempo-service',
] as const;

/**
 * A Backstage `Component`: its owner is the team. SLOs are embedded as YAML in the
 * `burnrate.dev/slos` annotation, or live in a spec file named by `burnrate.dev/slo-spec` (a
 * native Service or Sloth spec) whose services this component then owns.
 */
export function loadBackstage(
  root: Cursor,
  kind: string,
  out: Contributions,
  resolvePath: (relative: string) => string,
): void {
  if (kind !== 'Component') return; // Systems, APIs, Groups...: Backstage's business, not ours.
  const top = root.fields(
    ['apiVersion', 'kind', 'metadata', 'spec', 'relations', 'status'],
    ['metadata', 'spec'],
  );
  // Backstage entities carry many fields of their own: only the ones Burnrate reads are checked.
  const metadata = top?.get('metadata');
  const spec = top?.get('spec');
  const entries = new Map((metadata?.entries() ?? []).map(([k, c]) => [k, c]));
  const annotations = new Map<string, Cursor>();
  let ours = false;
  for (const [key, cursor, at] of entries.get('annotations')?.entries() ?? []) {
    if (!key.startsWith('burnrate.dev/')) continue;
    ours = true;
    if (!(ANNOTATIONS as readonly string[]).includes(key)) {
      cursor.error(`unknown annotation \`${key}\` (allowed: ${ANNOTATIONS.join(', ')})`, at);
      continue;
    }
    annotations.set(key, cursor);
  }
  // A component Burnrate has no annotation on is Backstage's business: no name or team check.
  if (!ours) return;
  const nameCursor = entries.get('name');
  const name = nameCursor ? readName(nameCursor) : metadata?.error('missing required field `name`');
  const ownerCursor = new Map((spec?.entries() ?? []).map(([k, c]) => [k, c])).get('owner');
  const ownerRef = ownerCursor?.string();
  if (!ownerCursor) spec?.error('missing required field `owner` (the team that owns the component)');
  const team = ownerRef === undefined ? undefined : ownerTeam(ownerRef, ownerCursor!);
  if (!name || !team || !metadata) return;
  const source = { file: root.ctx.file, ...root.ctx.position(nameCursor!.offset) };
  const specFile = annotations.get('burnrate.dev/slo-spec')?.string();
  if (specFile !== undefined) {
    out.owners.push({ file: resolvePath(specFile), team, source });
  }
  const embedded = annotations.get('burnrate.dev/slos');
  if (!embedded && specFile === undefined) {
    return void metadata.warn(
      'no `burnrate.dev/slos` or `burnrate.dev/slo-spec` annotation: the component has no SLOs',
    );
  }
  if (!embedded) return;
  const description = entries.get('description')?.string();
  const runbook = annotations.get('burnrate.dev/runbook')?.string();
  out.services.push({
    name,
    team,
    teamSource: { file: root.ctx.file, ...root.ctx.position(ownerCursor!.offset) },
    labels: {},
    ...(description !== undefined ? { description } : {}),
    ...(runbook !== undefined ? { runbook } : {}),
    links: [],
    telemetry: readTelemetryAnnotations(annotations),
    slos: readEmbeddedSlos(embedded, name),
    chat: [],
    format: 'backstage',
    source,
  });
}

function readTelemetryAnnotations(a: Map<string, Cursor>): Telemetry {
  const telemetry: Telemetry = {};
  const matchers = a.get('burnrate.dev/prometheus-matchers');
  const prom = matchers && readQuery(matchers, 'promql', { window: false, prefix: 'x{', suffix: '}' });
  if (prom) telemetry.prometheus = { matchers: prom, convention: 'opentelemetry' };
  const loki = a.get('burnrate.dev/loki-selector');
  const selector = loki && readQuery(loki, 'logql', { window: false });
  if (selector) telemetry.loki = { selector, errorFilter: DEFAULT_LOKI_ERROR_FILTER };
  const tempo = a.get('burnrate.dev/tempo-service')?.string();
  if (tempo) telemetry.tempo = { serviceName: tempo, query: defaultTraceQuery(tempo) };
  return telemetry;
}

/** The annotation's text is itself YAML: parse it and map its positions back into the file. */
function readEmbeddedSlos(annotation: Cursor, service: string): SloDraft[] {
  const text = annotation.string();
  if (text === undefined || !(annotation.node instanceof Scalar)) return [];
  const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: true });
  const node = annotation.node;
  const ctx = annotation.ctx.embedded(text, (offset) => scalarOffset(annotation.ctx.text, node, offset));
  for (const error of doc.errors)
    ctx.report('error', error.pos[0], `YAML in burnrate.dev/slos: ${error.message.split('\n')[0]}`);
  if (doc.errors.length > 0) return [];
  const list = new Cursor(ctx, doc, doc.contents, 'burnrate.dev/slos').list();
  return (list ?? []).map((c) => readNativeSlo(c, service)).filter((s): s is SloDraft => s !== undefined);
}

/**
 * The team an owner entity reference names: `[kind:][namespace/]name`, compared without case
 * as Backstage compares references (`CNCF`, `group:default/cncf` and `group:cncf` are one team).
 * Groups and users may own components; the namespace does not make another team.
 */
function ownerTeam(ref: string, at: Cursor): string | undefined {
  const m = /^(?:([^:/]+):)?(?:([^:/]+)\/)?([^:/]+)$/.exec(ref.trim());
  const kind = m?.[1]?.toLowerCase();
  if (!m || (kind !== undefined && kind !== 'group' && kind !== 'user')) {
    return at.error(
      `owner \`${ref}\` is not a group or user entity reference such as group:default/payments`,
    );
  }
  const team = m[3]!.toLowerCase();
  if (!NAME.test(team) || team.length > 63) {
    return at.error(
      `owner \`${ref}\` names \`${team}\`, which is not safe as a team name: use lowercase letters, digits and dashes`,
    );
  }
  return team;
}
