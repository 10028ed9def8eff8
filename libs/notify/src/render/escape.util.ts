import type { MessageFormat } from './message-view.js';

/** U+2060 WORD JOINER: invisible, and breaks a mention (`@here`) or a link (`https://`) apart. */
const WJ = '\u2060';

/**
 * What every format needs: no `@everyone`/`@here`/`@channel`/`@user` mention, no bare link a
 * client would make clickable, no `{{…}}` an Adaptive Card would evaluate.
 */
export function defang(text: string): string {
  return text
    .replace(/@(?=[\p{L}\p{N}_&!])/gu, `@${WJ}`)
    .replace(/:\/\//g, `:${WJ}//`)
    .replace(/\{\{/g, `{${WJ}{`)
    .replace(/\bwww\./gi, (m) => `${m.slice(0, 3)}${WJ}.`);
}

/** Slack: its three control characters as entities, so `<!channel>` or `<url|x>` stay text. */
const slack = (text: string): string =>
  defang(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * Discord and Mattermost markdown: a backslash before every character that formats, links or
 * mentions anywhere (`~channel` is a Mattermost channel link), and before the ones that start a
 * heading, list or quote at the start of a line. Both read `\x` as a literal x.
 */
const markdown = (text: string): string =>
  defang(text)
    .replace(/[\\`*_~|<>[\]]/g, '\\$&')
    .replace(/^(\s*)([#+-]|\d+\.)/gm, (_, space: string, mark: string) => `${space}\\${mark}`);

/** Google Chat cards: text widgets take a subset of HTML. */
const html = (text: string): string =>
  defang(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/**
 * Escapers by format. Teams' template puts alert text only in TextRuns, which Adaptive Cards
 * never read as markdown; the generic webhook carries data, not markup, and documents it.
 */
const ESCAPERS: Readonly<Record<MessageFormat, (text: string) => string>> = {
  slack,
  discord: markdown,
  mattermost: markdown,
  googlechat: html,
  teams: defang,
  webhook: (text) => text,
};

/** A string as the inside of a JSON string literal: templates write `"{{summary}}"`. */
export const jsonInner = (text: string): string => JSON.stringify(text).slice(1, -1);

/** The text escaper of a format (before JSON). */
export const escaperOf = (format: MessageFormat): ((text: string) => string) => ESCAPERS[format];

/** The longest prefix of `text` whose escaped form fits `max` characters, ending with an ellipsis when cut. */
export function clipEscaped(text: string, escape: (text: string) => string, max: number): string {
  const whole = escape(text);
  if ([...whole].length <= max) return whole;
  const chars = [...text];
  let low = 0;
  let high = chars.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if ([...escape(`${chars.slice(0, mid).join('')}…`)].length <= max) low = mid;
    else high = mid - 1;
  }
  return escape(`${chars.slice(0, low).join('')}…`);
}

/**
 * Escapes every string of a view for a format and for JSON; URLs (keys named in `verbatim`)
 * are only JSON-escaped: they are checked http(s) links and go in URL fields. A key with a
 * limit is clipped so that its escaped text fits it (escaping lengthens text: `<` is `&lt;`).
 */
export function escapeView<T>(
  value: T,
  format: MessageFormat,
  verbatim: ReadonlySet<string>,
  limits: Readonly<Record<string, number>> = {},
): T {
  const escape = ESCAPERS[format];
  const walk = (node: unknown, raw: boolean, key: string): unknown => {
    if (typeof node === 'string') {
      if (raw) return jsonInner(node);
      const limit = limits[key];
      return jsonInner(limit === undefined ? escape(node) : clipEscaped(node, escape, limit));
    }
    if (Array.isArray(node)) return node.map((item) => walk(item, raw, key));
    if (node !== null && typeof node === 'object')
      return Object.fromEntries(
        Object.entries(node).map(([k, item]) => [k, walk(item, raw || verbatim.has(k), k)]),
      );
    return node;
  };
  return walk(value, false, '') as T;
}
