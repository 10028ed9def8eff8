import type { AlertTarget, Alerting, Sli } from '../model/catalog.model.js';
import {
  readLabels,
  readName,
  readObjective,
  readQuery,
  readThreshold,
  readTiers,
  readWindow,
} from '../load/checks.js';
import { bucketBoundWarning } from '../load/bucket-layouts.util.js';
import type { Cursor } from '../load/cursor.js';
import { defaultAlerting, type SloDraft } from '../load/drafts.js';

const SLO_FIELDS = ['name', 'description', 'objective', 'window', 'labels', 'sli', 'alerting'] as const;
const SLI_KINDS = ['events', 'goodTotal', 'latency', 'raw', 'gauge', 'logs'] as const;

/** One entry of `spec.slos` in the native format (also embedded in Backstage annotations). */
export function readNativeSlo(c: Cursor, service: string): SloDraft | undefined {
  const f = c.fields(SLO_FIELDS, ['name', 'objective', 'sli']);
  if (!f) return undefined;
  const name = readName(f.get('name'));
  const objective = readObjective(f.get('objective'));
  const window = f.has('window') ? readWindow(f.get('window')) : undefined;
  const windowBad = f.has('window') && window === undefined;
  const sli = readSli(f.get('sli'));
  const alerting = readAlerting(f.get('alerting'), service, name ?? '');
  const labels = readLabels(f.get('labels'));
  const description = f.get('description').string();
  if (name === undefined || objective === undefined || sli === undefined || windowBad || !alerting)
    return undefined;
  return {
    name,
    objective,
    window,
    sli,
    alerting,
    labels,
    ...(description !== undefined ? { description } : {}),
    source: { file: c.ctx.file, ...c.ctx.position(c.offset) },
  };
}

export function readSli(c: Cursor): Sli | undefined {
  const f = c.fields(SLI_KINDS);
  if (!f) return undefined;
  const kind = f.oneOf(SLI_KINDS);
  if (!kind) return undefined;
  const k = f.get(kind);
  switch (kind) {
    case 'events': {
      const e = k.fields(['errorQuery', 'totalQuery'], ['errorQuery', 'totalQuery']);
      const errorQuery = e && readQuery(e.get('errorQuery'), 'promql', { window: true });
      const totalQuery = e && readQuery(e.get('totalQuery'), 'promql', { window: true });
      return errorQuery && totalQuery ? { kind, errorQuery, totalQuery } : undefined;
    }
    case 'goodTotal': {
      const g = k.fields(['goodQuery', 'totalQuery'], ['goodQuery', 'totalQuery']);
      const goodQuery = g && readQuery(g.get('goodQuery'), 'promql', { window: true });
      const totalQuery = g && readQuery(g.get('totalQuery'), 'promql', { window: true });
      return goodQuery && totalQuery ? { kind, goodQuery, totalQuery } : undefined;
    }
    case 'latency': {
      const l = k.fields(
        ['metric', 'matchers', 'threshold', 'histogram', 'buckets'],
        ['metric', 'threshold'],
      );
      if (!l) return undefined;
      const metric = l.get('metric').string();
      if (metric !== undefined && !/^[a-zA-Z_:][a-zA-Z0-9_:]*$/.test(metric)) {
        l.get('metric').error(
          `\`${metric}\` is not a metric name; give the histogram's base name without _bucket or _count`,
        );
        return undefined;
      }
      const matchersCursor = l.get('matchers');
      const matchers = l.has('matchers')
        ? readQuery(matchersCursor, 'promql', { window: false, prefix: 'x{', suffix: '}' })
        : '';
      if (matchers && !checkClosed(matchersCursor, matchers)) return undefined;
      const thresholdSeconds = readThreshold(l.get('threshold'));
      const histogram = l.has('histogram') ? l.get('histogram').string() : 'classic';
      if (histogram !== undefined && histogram !== 'classic' && histogram !== 'native') {
        l.get('histogram').error(`unknown histogram \`${histogram}\`: use \`classic\` or \`native\``);
        return undefined;
      }
      const buckets = l.has('buckets') ? readBuckets(l.get('buckets')) : undefined;
      if (l.has('buckets') && buckets === undefined) return undefined;
      if (histogram === 'classic' && metric !== undefined && thresholdSeconds !== undefined) {
        const warning = bucketBoundWarning(metric, thresholdSeconds, buckets);
        if (warning)
          l.get('threshold').warn(
            `threshold ${l.get('threshold').string({ allowNumbers: true })}: ${warning}`,
          );
      }
      if (
        metric === undefined ||
        matchers === undefined ||
        thresholdSeconds === undefined ||
        histogram === undefined
      )
        return undefined;
      return {
        kind,
        metric: metric.replace(/_(bucket|count|sum)$/, ''),
        matchers,
        thresholdSeconds,
        histogram,
      };
    }
    case 'raw': {
      const r = k.fields(['errorRatioQuery'], ['errorRatioQuery']);
      const errorRatioQuery = r && readQuery(r.get('errorRatioQuery'), 'promql', { window: true });
      return errorRatioQuery ? { kind, errorRatioQuery } : undefined;
    }
    case 'gauge': {
      const g = k.fields(['selector'], ['selector']);
      const selector = g && readQuery(g.get('selector'), 'promql', { window: false, selector: true });
      return selector ? { kind, selector } : undefined;
    }
    case 'logs': {
      const l = k.fields(['selector', 'errorFilter'], ['selector', 'errorFilter']);
      const selector = l && readQuery(l.get('selector'), 'logql', { window: false });
      const errorFilter =
        l && selector && readQuery(l.get('errorFilter'), 'logql', { window: false, prefix: `${selector} ` });
      return selector && errorFilter ? { kind, selector, errorFilter } : undefined;
    }
  }
  return undefined;
}

/** A classic histogram's bucket upper bounds, in the metric's unit (seconds for `_seconds`), ascending. */
function readBuckets(c: Cursor): number[] | undefined {
  const items = c.list();
  if (!items) return undefined;
  const bounds = items.map((i) => i.number());
  if (bounds.some((b) => b === undefined)) return undefined;
  const numbers = bounds as number[];
  if (numbers.length === 0) return c.error('give the bucket upper bounds, such as [0.1, 0.25, 0.5, 1]');
  const unordered = numbers.findIndex((b, i) => i > 0 && b <= numbers[i - 1]!);
  if (unordered > 0)
    return items[unordered]!.error(
      `bucket bounds must rise: ${numbers[unordered]} follows ${numbers[unordered - 1]}`,
    );
  return numbers;
}

/** `x{a="b"}` parses even when the matchers end early with `}`: make sure nothing follows it. */
function checkClosed(c: Cursor, matchers: string): boolean {
  let depth = 0;
  let quote: string | undefined;
  for (let i = 0; i < matchers.length; i++) {
    const ch = matchers[i]!;
    if (quote) {
      if (ch === '\\') i++;
      else if (ch === quote) quote = undefined;
    } else if (ch === '"' || ch === "'" || ch === '`') quote = ch;
    else if (ch === '{') depth++;
    else if (ch === '}' && --depth < 0) {
      c.error(
        'matchers are label matchers without braces, such as service_name="checkout"',
        c.offsetInValue(i),
      );
      return false;
    }
  }
  return true;
}

const TARGET_FIELDS = ['enabled', 'severity', 'labels', 'annotations'] as const;

function readAlerting(c: Cursor, service: string, slo: string): Alerting | undefined {
  const alerting = defaultAlerting(service, slo);
  if (!c.present) return alerting;
  const f = c.fields(['name', 'labels', 'annotations', 'page', 'ticket', 'minEvents', 'absent', 'tiers']);
  if (!f) return undefined;
  const name = f.get('name').string();
  if (name !== undefined && !/^[a-zA-Z_:][a-zA-Z0-9_:]*$/.test(name)) {
    f.get('name').error(
      `alert name \`${name}\` must be a valid metric name such as CheckoutAvailabilityBurn`,
    );
  } else if (name !== undefined) alerting.name = name;
  alerting.labels = readLabels(f.get('labels'));
  alerting.annotations = readLabels(f.get('annotations'), 'annotation');
  alerting.page = readTarget(f.get('page'), alerting.page);
  alerting.ticket = readTarget(f.get('ticket'), alerting.ticket);
  const minEvents = f.get('minEvents').number();
  if (minEvents !== undefined && !(Number.isInteger(minEvents) && minEvents >= 0)) {
    f.get('minEvents').error('minEvents must be a whole number of events, 0 or more');
  } else if (minEvents !== undefined) alerting.minEvents = minEvents;
  alerting.absent = f.get('absent').boolean() ?? false;
  if (f.has('tiers')) {
    const tiers = readTiers(f.get('tiers'));
    if (tiers) alerting.tiers = tiers;
  }
  return alerting;
}

function readTarget(c: Cursor, defaults: AlertTarget): AlertTarget {
  if (!c.present) return defaults;
  const f = c.fields(TARGET_FIELDS);
  if (!f) return defaults;
  return {
    enabled: f.get('enabled').boolean() ?? true,
    severityLabel: f.get('severity').string() ?? defaults.severityLabel,
    labels: readLabels(f.get('labels')),
    annotations: readLabels(f.get('annotations'), 'annotation'),
  };
}
