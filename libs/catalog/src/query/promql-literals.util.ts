/**
 * What Prometheus' lexer and parser refuse inside literals that the lezer grammar lets through:
 * durations out of order or zero, unknown string escapes, regular expressions RE2 refuses.
 */

const GO_DURATION = /^(?:(\d+)y)?(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?(?:(\d+)ms)?$/;
const UNIT_MS = [31536000000, 604800000, 86400000, 3600000, 60000, 1000, 1];

/** Milliseconds of a Prometheus duration (`1h30m`), or an error as Prometheus words it. */
export function parseDuration(text: string): { ms: number } | { error: string } {
  const m = GO_DURATION.exec(text);
  if (!m || text === '') return { error: `not a valid duration string: "${text}"` };
  const ms = m.slice(1).reduce((sum, part, i) => sum + (part ? Number(part) * UNIT_MS[i]! : 0), 0);
  return { ms };
}

export const isDurationLiteral = (text: string): boolean => /^\d+(ms|[smhdwy])/.test(text);

const SIMPLE_ESCAPES: Record<string, string> = {
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  '\\': '\\',
};

/** Checks the escapes of a quoted PromQL string; returns its value or an error. */
export function unquote(literal: string): { value: string } | { error: string } {
  const quote = literal[0];
  const body = literal.slice(1, -1);
  if (quote === '`') return { value: body };
  let value = '';
  for (let i = 0; i < body.length; i++) {
    const ch = body[i]!;
    if (ch !== '\\') {
      value += ch;
      continue;
    }
    const next = body[i + 1] ?? '';
    const hex = (n: number) =>
      /^[0-9a-fA-F]+$/.test(body.slice(i + 2, i + 2 + n)) && body.length >= i + 2 + n;
    if (SIMPLE_ESCAPES[next] !== undefined || next === quote) {
      value += SIMPLE_ESCAPES[next] ?? next;
      i++;
    } else if (next === 'x' && hex(2)) {
      value += String.fromCharCode(parseInt(body.slice(i + 2, i + 4), 16));
      i += 3;
    } else if (next === 'u' && hex(4)) {
      value += String.fromCharCode(parseInt(body.slice(i + 2, i + 6), 16));
      i += 5;
    } else if (next === 'U' && hex(8)) {
      value += String.fromCodePoint(parseInt(body.slice(i + 2, i + 10), 16));
      i += 9;
    } else if (/^[0-7]{3}$/.test(body.slice(i + 1, i + 4)) && parseInt(body.slice(i + 1, i + 4), 8) < 256) {
      value += String.fromCharCode(parseInt(body.slice(i + 1, i + 4), 8));
      i += 3;
    } else {
      const code = next.codePointAt(0)?.toString(16).toUpperCase().padStart(4, '0') ?? '';
      return { error: `unknown escape sequence U+${code} '${next}' in string ${literal}` };
    }
  }
  return { value };
}

/**
 * Prometheus compiles label regexps with Go's RE2, anchored. JavaScript's engine is close
 * enough once RE2-only syntax is translated; what RE2 refuses but JavaScript takes
 * (lookarounds, backreferences, repeat counts over 1000) is refused first.
 */
export function compileRegexp(pattern: string): { regexp: RegExp } | { error: string } {
  const perl = /\(\?<?[=!]/.exec(pattern);
  if (perl) return { error: `error parsing regexp: invalid or unsupported Perl syntax: \`${perl[0]}\`` };
  const backref = /(?<!\\)(?:\\\\)*\\([1-9])/.exec(pattern);
  if (backref) return { error: `error parsing regexp: invalid escape sequence: \`\\${backref[1]}\`` };
  const count = /\{(\d+)(?:,(\d*))?\}/g;
  for (const m of pattern.matchAll(count)) {
    if (Number(m[1]) > 1000 || Number(m[2] || 0) > 1000)
      return { error: `error parsing regexp: invalid repeat count: \`${m[0]}\`` };
  }
  let flags = '';
  const translated = pattern
    .replace(/\\Q(.*?)(?:\\E|$)/g, (_, text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'))
    .replace(/\(\?P</g, '(?<')
    .replace(/\(\?([imsU]+)\)/g, (_, f: string) => {
      if (f.includes('i')) flags += 'i';
      if (f.includes('s')) flags += 's';
      return '';
    })
    .replace(/\(\?[imsU]+:/g, '(?:')
    .replace(/\[:(\^?)[a-z]+:\]/g, 'a-z')
    .replace(/\\[pP](\{[^}]*\}|[A-Za-z])/g, 'a')
    .replace(/\\z/g, '$')
    .replace(/\\A/g, '^');
  try {
    return { regexp: new RegExp(`^(?:${translated})$`, [...new Set(flags)].join('')) };
  } catch (e) {
    const reason = (e as Error).message.replace(/^Invalid regular expression: \/.*\/[a-z]*: /, '');
    return { error: `error parsing regexp \`${pattern}\`: ${reason.toLowerCase()}` };
  }
}
