import type {
  CostAllocation,
  ErrorLogAlert,
  Link,
  SharedCost,
  SharedCostSplit,
  Team,
  TeamCost,
  Telemetry,
} from '../model/catalog.model.js';
import { readDuration, readLabels, readName, readQuery, readTiers, readWindow } from '../load/checks.js';
import type { Cursor } from '../load/cursor.js';
import type { Contributions, SloDraft } from '../load/drafts.js';
import { readChatList, type ChatReadContext } from './native-chat.reader.js';
import { readNativeSlo } from './native-slo.reader.js';

export const NATIVE_API_VERSION = 'burnrate.dev/v1';
export const NATIVE_KINDS = ['Team', 'Service', 'Defaults'] as const;

/** One `burnrate.dev/v1` document; `resolvePath` resolves paths written in it (chat templates). */
export function loadNative(
  root: Cursor,
  kind: string,
  out: Contributions,
  resolvePath: (relative: string) => string,
): void {
  const top = root.fields(
    ['apiVersion', 'kind', 'metadata', 'spec'],
    kind === 'Defaults' ? ['spec'] : kind === 'Team' ? ['metadata'] : ['metadata', 'spec'],
  );
  if (!top) return;
  const source = { file: root.ctx.file, ...root.ctx.position(root.offset) };
  const chat: ChatReadContext = { resolvePath, templates: out.templates };
  if (kind === 'Team') {
    const team = readTeam(top.get('metadata'), top.get('spec'), chat);
    for (const rule of team?.cost?.shared ?? []) rule.declaredBy = team!.name;
    if (team) out.teams.push({ ...team, source });
  } else if (kind === 'Service') {
    readService(top.get('metadata'), top.get('spec'), out, chat);
  } else {
    const spec = top.get('spec').fields(['window', 'alerting', 'cost']);
    const cost = spec?.has('cost') ? spec.get('cost').fields(['shared']) : undefined;
    const sharedCosts = cost?.has('shared') ? readSharedCosts(cost.get('shared'), 'Defaults') : undefined;
    const alerting = spec?.has('alerting') ? spec.get('alerting').fields(['tiers', 'errorLogs']) : undefined;
    const window = spec?.has('window') ? readWindow(spec.get('window')) : undefined;
    const tiers = alerting?.has('tiers') ? readTiers(alerting.get('tiers')) : undefined;
    const errorLogAlert = alerting?.has('errorLogs')
      ? readErrorLogAlert(alerting.get('errorLogs'))
      : undefined;
    out.defaults.push({
      value: {
        ...(window ? { window } : {}),
        ...(tiers ? { tiers } : {}),
        ...(errorLogAlert ? { errorLogAlert } : {}),
        ...(sharedCosts ? { sharedCosts } : {}),
      },
      source,
    });
  }
}

function readTeam(metadata: Cursor, spec: Cursor, ctx: ChatReadContext): Omit<Team, 'source'> | undefined {
  const m = metadata.fields(['name', 'displayName'], ['name']);
  const s = spec.present ? spec.fields(['chat', 'cost']) : undefined;
  const name = m && readName(m.get('name'));
  const displayName = m?.get('displayName').string();
  const chat = s ? readChatList(s.get('chat'), ctx) : [];
  const cost = s?.has('cost') ? readCost(s.get('cost')) : undefined;
  if (!name) return undefined;
  return { name, ...(displayName ? { displayName } : {}), chat, ...(cost ? { cost } : {}), declared: true };
}

function readCost(c: Cursor): TeamCost | undefined {
  const f = c.fields(['monthlyBudget', 'allocation', 'shared']);
  if (!f) return undefined;
  let monthlyBudget: TeamCost['monthlyBudget'];
  if (f.has('monthlyBudget')) {
    const b = f.get('monthlyBudget').fields(['amount', 'currency'], ['amount', 'currency']);
    const amount = b?.get('amount').string({ allowNumbers: true });
    const currency = b?.get('currency').string();
    if (amount !== undefined && !/^\d+(\.\d+)?$/.test(amount))
      b!.get('amount').error(`amount \`${amount}\` must be a decimal such as "12000.00"`);
    else if (currency !== undefined && !/^[A-Z]{3}$/.test(currency))
      b!.get('currency').error(`currency \`${currency}\` must be an ISO 4217 code such as USD`);
    else if (amount !== undefined && currency !== undefined) monthlyBudget = { amount, currency };
  }
  const allocation = readAllocation(f.get('allocation'));
  const shared = f.has('shared') ? readSharedCosts(f.get('shared'), '') : undefined;
  return {
    ...(monthlyBudget ? { monthlyBudget } : {}),
    allocation,
    ...(shared ? { shared } : {}),
  };
}

/** Tag values and whole accounts: a team's allocation, or what a shared-cost rule matches. */
function readAllocation(c: Cursor, extra: readonly string[] = []): CostAllocation {
  const a = c.present ? c.fields(['tags', 'awsAccounts', 'azureSubscriptions', ...extra]) : undefined;
  const tags: Record<string, string[]> = {};
  for (const [key, values] of a?.get('tags').entries() ?? []) {
    tags[key] = (values.list() ?? [])
      .map((v) => v.string({ allowNumbers: true }))
      .filter((v): v is string => v !== undefined);
  }
  const ids = (x: Cursor | undefined) =>
    (x?.list() ?? [])
      .map((v) => v.string({ allowNumbers: true }))
      .filter((v): v is string => v !== undefined);
  const awsAccounts = ids(a?.get('awsAccounts'));
  const accountCursors = a?.get('awsAccounts').list() ?? [];
  for (const [i, id] of awsAccounts.entries()) {
    if (!/^\d{12}$/.test(id))
      accountCursors[i]?.error(`AWS account id \`${id}\` must be 12 digits (quote it in YAML)`);
  }
  return { tags, awsAccounts, azureSubscriptions: ids(a?.get('azureSubscriptions')) };
}

const SPLITS: readonly SharedCostSplit[] = ['even', 'proportional', 'percent'];

/** `shared:` rules; who declared them is filled in by the caller. */
function readSharedCosts(c: Cursor, declaredBy: string): SharedCost[] {
  const rules: SharedCost[] = [];
  for (const item of c.list() ?? []) {
    const keys = ['name', 'split', 'teams', 'percent'];
    const f = item.fields([...keys, 'tags', 'awsAccounts', 'azureSubscriptions'], ['name', 'split']);
    if (!f) continue;
    const name = f.get('name').string();
    const split = f.get('split').string();
    if (split !== undefined && !SPLITS.includes(split as SharedCostSplit)) {
      f.get('split').error(`split \`${split}\` is not one of ${SPLITS.join(', ')}`);
      continue;
    }
    const match = readAllocation(item, keys);
    if (Object.keys(match.tags).length + match.awsAccounts.length + match.azureSubscriptions.length === 0)
      item.error('a shared cost names tags, awsAccounts or azureSubscriptions it matches');
    const teams = (f.get('teams').list() ?? [])
      .map((t) => t.string())
      .filter((t): t is string => t !== undefined);
    const percent: Record<string, number> = {};
    for (const [team, value] of f.get('percent').entries() ?? []) {
      const n = value.number();
      if (n === undefined || !(n > 0 && n <= 100))
        value.error(`percent of ${team} must be a number in (0, 100]`);
      else percent[team] = n;
    }
    if (split === 'percent') {
      const total = Object.values(percent).reduce((a, b) => a + b, 0);
      if (Object.keys(percent).length === 0)
        f.get('split').error('split `percent` needs `percent: { <team>: <percent> }`');
      else if (Math.abs(total - 100) > 1e-9)
        f.get('percent').error(`the percentages add up to ${total}, not 100`);
    } else if (f.has('percent'))
      f.get('percent').error(`\`percent\` goes with split \`percent\`, not \`${split}\``);
    if (name === undefined || split === undefined) continue;
    rules.push({
      name,
      match,
      split: split as SharedCostSplit,
      teams: split === 'percent' ? Object.keys(percent) : teams,
      percent,
      declaredBy,
      source: { file: item.ctx.file, ...item.ctx.position(item.offset) },
    });
  }
  return rules;
}

function readService(metadata: Cursor, spec: Cursor, out: Contributions, ctx: ChatReadContext): void {
  const m = metadata.fields(['name', 'team', 'description', 'labels'], ['name', 'team']);
  const s = spec.fields(['runbook', 'links', 'telemetry', 'alerting', 'chat', 'slos'], ['slos']);
  const name = m && readName(m.get('name'));
  const team = m && readName(m.get('team'));
  // Everything is read even when the name is bad, so one run reports every problem.
  const slos = (s?.get('slos').list() ?? [])
    .map((entry) => readNativeSlo(entry, name ?? ''))
    .filter((x): x is SloDraft => x !== undefined);
  const links = s ? readLinks(s.get('links')) : [];
  const telemetry = s ? readTelemetry(s.get('telemetry')) : {};
  const labels = m ? readLabels(m.get('labels')) : {};
  const alerting = s?.has('alerting') ? s.get('alerting').fields(['errorLogs']) : undefined;
  const errorLogAlert = alerting?.has('errorLogs') ? readErrorLogAlert(alerting.get('errorLogs')) : undefined;
  const chat = s ? readChatList(s.get('chat'), ctx) : [];
  if (!m || !s || !name) return;
  const description = m.get('description').string();
  const runbook = s.get('runbook').string();
  out.services.push({
    name,
    team,
    teamSource: { file: m.get('team').ctx.file, ...m.get('team').ctx.position(m.get('team').offset) },
    labels,
    ...(description !== undefined ? { description } : {}),
    ...(runbook !== undefined ? { runbook } : {}),
    links,
    telemetry,
    slos,
    ...(errorLogAlert ? { errorLogAlert } : {}),
    chat,
    format: 'native',
    source: { file: metadata.ctx.file, ...metadata.ctx.position(m.get('name').offset) },
  });
}

function readLinks(c: Cursor): Link[] {
  return (c.list() ?? []).flatMap((item) => {
    const f = item.fields(['title', 'url'], ['title', 'url']);
    const title = f?.get('title').string();
    const url = f?.get('url').string();
    return title && url ? [{ title, url }] : [];
  });
}

export const defaultTraceQuery = (serviceName: string): string => `{resource.service.name="${serviceName}"}`;

export const DEFAULT_LOKI_ERROR_FILTER = '| detected_level="error"';

export function readTelemetry(c: Cursor): Telemetry {
  if (!c.present) return {};
  const f = c.fields(['prometheus', 'loki', 'tempo']);
  if (!f) return {};
  const telemetry: Telemetry = {};
  if (f.has('prometheus')) {
    const p = f.get('prometheus').fields(['matchers', 'convention'], ['matchers']);
    const matchers =
      p && readQuery(p.get('matchers'), 'promql', { window: false, prefix: 'x{', suffix: '}' });
    const convention = p?.get('convention').string() ?? 'opentelemetry';
    if (convention !== 'opentelemetry' && convention !== 'classic' && convention !== 'none') {
      p?.get('convention').error(
        `unknown convention \`${convention}\`: use \`opentelemetry\`, \`classic\` or \`none\` (no HTTP server)`,
      );
    } else if (matchers !== undefined) telemetry.prometheus = { matchers, convention };
  }
  if (f.has('loki')) {
    const l = f.get('loki').fields(['selector', 'errorFilter'], ['selector']);
    const selector = l && readQuery(l.get('selector'), 'logql', { window: false });
    const errorFilter = l?.has('errorFilter')
      ? selector && readQuery(l.get('errorFilter'), 'logql', { window: false, prefix: `${selector} ` })
      : DEFAULT_LOKI_ERROR_FILTER;
    if (selector && errorFilter) telemetry.loki = { selector, errorFilter };
  }
  if (f.has('tempo')) {
    const t = f.get('tempo').fields(['serviceName', 'query'], ['serviceName']);
    const serviceName = t?.get('serviceName').string();
    const query = t?.has('query') ? readQuery(t.get('query'), 'traceql', { window: false }) : undefined;
    if (serviceName !== undefined && /["\\]/.test(serviceName)) {
      t!.get('serviceName').error('serviceName may not contain quotes or backslashes');
    } else if (serviceName && !(t!.has('query') && query === undefined)) {
      telemetry.tempo = { serviceName, query: query ?? defaultTraceQuery(serviceName) };
    }
  }
  return telemetry;
}

/** `alerting.errorLogs` of a Service or the Defaults: `false` turns it off, fields change it. */
function readErrorLogAlert(c: Cursor): Partial<ErrorLogAlert> | undefined {
  if (c.isBoolean) {
    const enabled = c.boolean();
    return enabled === undefined ? undefined : { enabled };
  }
  const f = c.fields(['enabled', 'errorPercent', 'minLines', 'for']);
  if (!f) return undefined;
  const alert: Partial<ErrorLogAlert> = {};
  const enabled = f.has('enabled') ? f.get('enabled').boolean() : undefined;
  if (enabled !== undefined) alert.enabled = enabled;
  if (f.has('errorPercent')) {
    const percent = f.get('errorPercent').number();
    if (percent !== undefined && !(percent > 0 && percent <= 100)) {
      f.get('errorPercent').error(
        `errorPercent ${percent} is outside (0, 100]: give the percent of log lines, such as 5`,
      );
    } else if (percent !== undefined) alert.errorPercent = percent;
  }
  if (f.has('minLines')) {
    const lines = f.get('minLines').number();
    if (lines !== undefined && !(Number.isInteger(lines) && lines >= 0)) {
      f.get('minLines').error(`minLines ${lines} must be a whole number of lines, 0 or more`);
    } else if (lines !== undefined) alert.minLines = lines;
  }
  const forDuration = f.has('for') ? readDuration(f.get('for')) : undefined;
  if (forDuration !== undefined) alert.for = forDuration;
  return alert;
}
