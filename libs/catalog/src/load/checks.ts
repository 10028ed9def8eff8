import type { BurnTier, SloWindow } from '../model/catalog.model.js';
import {
  analyzeQuery,
  hasWindowPlaceholder,
  renderWindow,
  WINDOW_PLACEHOLDER,
  type QueryLanguage,
} from '../query/query-grammar.js';
import { bucketBoundWarning } from './bucket-layouts.util.js';
import type { Cursor } from './cursor.js';
import { parseDuration } from '../query/promql-literals.util.js';

/** Names that become file names, dashboard uids and label values. */
export const NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

export function readName(
  c: Cursor,
  rule: RegExp = NAME,
  what = 'lowercase letters, digits and dashes, at most 63 characters',
): string | undefined {
  const name = c.string();
  if (name === undefined) return undefined;
  if (name.length > 63 || !rule.test(name) || name.includes('..')) {
    return c.error(`name \`${name}\` is not safe as a file name and label value: use ${what}`);
  }
  return name;
}

/** Label (or annotation: Prometheus holds their names to the same rule) names and values. */
export function readLabels(c: Cursor, what: 'label' | 'annotation' = 'label'): Record<string, string> {
  const labels = c.stringMap() ?? {};
  for (const [key, cursor, at] of c.entries() ?? []) {
    if (!LABEL_NAME.test(key) || key.startsWith('__')) {
      cursor.error(
        `\`${key}\` is not a valid Prometheus ${what} name ([a-zA-Z_][a-zA-Z0-9_]*, not starting with __)`,
        at,
      );
      delete labels[key];
    }
  }
  return labels;
}

/**
 * Objective in percent, strictly between 1 and 100; floats are trimmed of binary noise. An
 * objective of 1% or less (most events may fail) is never meant: it is a ratio written where
 * a percent belongs, and would give burn thresholds no error rate reaches.
 */
export function readObjective(c: Cursor): number | undefined {
  const value = c.number();
  if (value === undefined) return undefined;
  if (!(value > 0 && value < 100))
    return c.error(`objective ${value} is outside (0, 100): give a percentage such as 99.9`);
  if (value < 1)
    return c.error(
      `objective ${value} would mean ${value}%: objectives are percents: did you mean ${roundPercent(value * 100)}?`,
    );
  if (value === 1)
    return c.error('objective 1 would mean 1%: objectives are percents (99.9 for 99.9%), not ratios');
  return roundPercent(value);
}

export const roundPercent = (value: number): number => Number(value.toPrecision(10));

const ROLLING = /^([1-9][0-9]*)([dw])$/;

export function parseSloWindow(text: string): SloWindow | undefined {
  if (text === 'month') return { kind: 'calendar', unit: 'month' };
  const m = ROLLING.exec(text);
  if (!m) return undefined;
  const days = Number(m[1]) * (m[2] === 'w' ? 7 : 1);
  return { kind: 'rolling', duration: `${days}d`, seconds: days * 86400 };
}

export function readWindow(c: Cursor): SloWindow | undefined {
  const text = c.string({ allowNumbers: true });
  if (text === undefined) return undefined;
  return (
    parseSloWindow(text) ??
    c.error(
      `unknown window \`${text}\`: use a whole number of days or weeks (7d, 28d, 30d, 4w) or \`month\` for the calendar month`,
    )
  );
}

/** Catalog durations are one number and one unit (`5m`, `3d`); Prometheus' parser reads them. */
const ONE_UNIT = /^[1-9][0-9]*[smhdw]$/;

export function durationSeconds(text: string): number | undefined {
  const parsed = ONE_UNIT.test(text) ? parseDuration(text) : undefined;
  return parsed && 'ms' in parsed ? parsed.ms / 1000 : undefined;
}

export function readDuration(c: Cursor): string | undefined {
  const text = c.string({ allowNumbers: true });
  if (text === undefined) return undefined;
  return durationSeconds(text) !== undefined
    ? text
    : c.error(`\`${text}\` is not a duration: use a number and one unit, such as 5m, 1h, 3d`);
}

/** `250ms`, `1s`, `0.3` (seconds) -> seconds. */
export function readThreshold(c: Cursor): number | undefined {
  const node = c.string({ allowNumbers: true });
  if (node === undefined) return undefined;
  const m = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(node.trim());
  if (!m) return c.error(`threshold \`${node}\` is not a duration: use seconds (0.25) or a unit (250ms, 1s)`);
  const seconds = Number(m[1]) * (m[2] === 'ms' ? 0.001 : m[2] === 'm' ? 60 : 1);
  if (!(seconds > 0)) return c.error('threshold must be above zero');
  return Number(seconds.toPrecision(12));
}

export function readTiers(c: Cursor): BurnTier[] | undefined {
  const items = c.list();
  if (!items) return undefined;
  if (items.length === 0) return c.error('give at least one tier, or leave `tiers` out for the defaults');
  const tiers: BurnTier[] = [];
  for (const item of items) {
    const f = item.fields(
      ['severity', 'longWindow', 'shortWindow', 'budgetPercent'],
      ['severity', 'longWindow', 'shortWindow', 'budgetPercent'],
    );
    if (!f) continue;
    const severity = f.get('severity').string();
    if (severity !== undefined && severity !== 'page' && severity !== 'ticket') {
      f.get('severity').error(`unknown severity \`${severity}\`: use \`page\` or \`ticket\``);
    }
    const longWindow = readDuration(f.get('longWindow'));
    const shortWindow = readDuration(f.get('shortWindow'));
    const budgetPercent = f.get('budgetPercent').number();
    if (budgetPercent !== undefined && !(budgetPercent > 0 && budgetPercent <= 100)) {
      f.get('budgetPercent').error(`budgetPercent ${budgetPercent} is outside (0, 100]`);
    }
    if (longWindow && shortWindow && durationSeconds(shortWindow)! >= durationSeconds(longWindow)!) {
      f.get('shortWindow').error(`shortWindow ${shortWindow} must be shorter than longWindow ${longWindow}`);
    }
    if (
      (severity === 'page' || severity === 'ticket') &&
      longWindow &&
      shortWindow &&
      budgetPercent !== undefined
    ) {
      tiers.push({ severity, longWindow, shortWindow, budgetPercent });
    }
  }
  return tiers;
}

const LANGUAGE_NAME: Record<QueryLanguage, string> = { promql: 'PromQL', logql: 'LogQL', traceql: 'TraceQL' };

/**
 * A query that must parse; with `window`, it must contain `{{.window}}` and is checked after
 * rendering it. PromQL is also type-checked as Prometheus does; an SLI query (`window`) must
 * yield an instant vector, and a `selector` must be a bare series selector. Errors point
 * inside the query, mapped back to the file.
 */
export function readQuery(
  c: Cursor,
  language: QueryLanguage,
  options: { window: boolean; prefix?: string; suffix?: string; selector?: boolean },
): string | undefined {
  const query = c.string();
  if (query === undefined) return undefined;
  if (options.window && !hasWindowPlaceholder(query)) {
    return c.error(
      `the query has no \`{{.window}}\` placeholder for the rate window, as in rate(x[{{.window}}])`,
    );
  }
  const prefix = options.prefix ?? '';
  const rendered = prefix + (options.window ? renderWindow(query, '5m') : query) + (options.suffix ?? '');
  const analysis = analyzeQuery(language, rendered);
  const index = (offset: number) =>
    Math.min(query.trimEnd().length, Math.max(0, templateIndex(query, offset - prefix.length)));
  const where = (offset: number) => ` at column ${index(offset) + 1} of the query`;
  for (const w of analysis.warnings)
    c.warn(`${LANGUAGE_NAME[language]}: ${w.message}${where(w.offset)}`, c.offsetInValue(index(w.offset)));
  const problem = analysis.error;
  if (problem) {
    c.error(
      `${LANGUAGE_NAME[language]} ${problem.semantic ? 'is refused by Prometheus' : 'does not parse'}: ${problem.message}${where(problem.offset)}`,
      c.offsetInValue(index(problem.offset)),
    );
    return undefined;
  }
  if (language !== 'promql') return query;
  for (const b of analysis.buckets ?? []) {
    const warning = bucketBoundWarning(b.metric, b.bound);
    if (warning) c.warn(`${warning}${where(b.offset)}`, c.offsetInValue(index(b.offset)));
  }
  if (options.selector && analysis.shape !== 'VectorSelector')
    return c.error(
      `the selector must be a bare series selector such as probe_success{job="blackbox"}: Burnrate adds the range itself`,
    );
  if (options.window && (analysis.type === 'matrix' || analysis.type === 'string'))
    return c.error(
      `the query yields a ${analysis.type === 'matrix' ? 'range vector' : 'string'}: an SLI query must yield an instant vector, as sum(rate(x[{{.window}}])) does`,
    );
  return query;
}

/** Maps an offset in the rendered query back to the template (placeholders render as `5m`). */
function templateIndex(template: string, renderedOffset: number): number {
  let shift = 0;
  for (const m of template.matchAll(new RegExp(WINDOW_PLACEHOLDER.source, 'g'))) {
    const renderedStart = m.index - shift;
    if (renderedOffset < renderedStart) break;
    if (renderedOffset < renderedStart + 2) return m.index;
    shift += m[0].length - 2;
  }
  return renderedOffset + shift;
}
