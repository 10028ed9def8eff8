/**
 * A small YAML emitter for the plain data rule files are made of (maps, lists, strings,
 * numbers, booleans). Generic YAML serialisers spent most of the generation time on 10,000
 * SLOs; rule files need only this subset. Keys keep the order the generator built them,
 * multi-line strings (PromQL, LogQL) become literal block scalars so files read like code, and
 * anything that could be misread as another type or as YAML syntax is double-quoted (JSON
 * string syntax is valid YAML). Keys are written plain only when they are plain names; any other
 * key (a catalog's annotation key may be `<<`, YAML's merge key) is quoted.
 *
 * Why not the `yaml` library's own writer: on the rule files of 10,000 SLOs it took 6x to 13x as
 * long (`npm run bench -- yaml-writer`); the property test holds this one to the library's parser.
 */
export function toYaml(value: unknown, header?: string): string {
  const lines: string[] = [];
  if (header) for (const line of header.split('\n')) lines.push(line === '' ? '#' : `#${line}`);
  if (header) lines.push('');
  if (isEmpty(value)) lines.push(Array.isArray(value) ? '[]' : '{}');
  else emit(value, 0, lines);
  return `${lines.join('\n')}\n`;
}

// Control characters can only be written quoted: matching them is the point here.
/* eslint-disable no-control-regex */
const CONTROL = /[\u0000-\u001f\u007f]/;
const CONTROL_BUT_NEWLINE = /[\u0000-\u0008\u000b-\u001f]/;
/* eslint-enable no-control-regex */
const RESERVED = /^(true|false|yes|no|on|off|y|n|null|~|<<|=)$/i;
/** Keys written plain: names as rule files hold them. Anything else is quoted (`<<` is a merge key). */
const PLAIN_KEY = /^[A-Za-z_][A-Za-z0-9_./-]*$/;
const NUMBER_LIKE =
  /^[-+]?(\.[0-9]+|[0-9][0-9_]*(\.[0-9_]*)?)([eE][-+]?[0-9]+)?$|^0[xo][0-9a-fA-F_]+$|^[-+]?\.(inf|nan)$|^[0-9]+(:[0-9]+)+$/i;

/** Whether a string reads back as the same string when written plain (YAML 1.1 and 1.2 readers). */
function isPlain(text: string): boolean {
  return (
    text !== '' &&
    text === text.trim() &&
    !CONTROL.test(text) &&
    !/^[-?:,[\]{}#&*!|>'"%@`]/.test(text) &&
    !text.includes(': ') &&
    !text.includes(' #') &&
    !text.endsWith(':') &&
    !RESERVED.test(text) &&
    !NUMBER_LIKE.test(text)
  );
}

function scalar(value: unknown): string | undefined {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'number')
    return Number.isFinite(value) ? String(value) : value > 0 ? '.inf' : value < 0 ? '-.inf' : '.nan';
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'string') return quote(value);
  return undefined;
}

function quote(text: string): string {
  return isPlain(text) ? text : JSON.stringify(text);
}

const isBlock = (text: string): boolean =>
  text.includes('\n') &&
  !text.endsWith('\n') &&
  !/^[ \t]/.test(text) &&
  !text.includes('\r') &&
  !CONTROL_BUT_NEWLINE.test(text);

const isEmpty = (value: unknown): boolean =>
  (Array.isArray(value) && value.length === 0) || (isObject(value) && Object.keys(value).length === 0);

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Writes `value` at `indent`; the caller has written the key (or list dash) already when inline. */
function emit(value: unknown, indent: number, lines: string[]): void {
  const pad = ' '.repeat(indent);
  if (Array.isArray(value)) {
    for (const item of value) {
      if (isObject(item) && !isEmpty(item)) {
        const start = lines.length;
        emit(item, indent + 2, lines);
        lines[start] = `${pad}- ${lines[start]!.slice(indent + 2)}`;
      } else if (Array.isArray(item) && item.length > 0) {
        lines.push(`${pad}-`);
        emit(item, indent + 2, lines);
      } else lines.push(`${pad}- ${inline(item, indent + 2, lines)}`);
    }
    return;
  }
  if (isObject(value)) {
    for (const [key, child] of Object.entries(value)) {
      if (child === undefined) continue;
      const k = PLAIN_KEY.test(key) && isPlain(key) ? key : JSON.stringify(key);
      if ((isObject(child) || Array.isArray(child)) && !isEmpty(child)) {
        lines.push(`${pad}${k}:`);
        emit(child, Array.isArray(child) ? indent + 2 : indent + 2, lines);
      } else if (typeof child === 'string' && isBlock(child)) {
        lines.push(`${pad}${k}: |-`);
        for (const line of child.split('\n')) lines.push(line === '' ? '' : `${pad}  ${line}`);
      } else lines.push(`${pad}${k}: ${inline(child, indent, lines)}`);
    }
    return;
  }
  lines.push(`${pad}${inline(value, indent, lines)}`);
}

function inline(value: unknown, _indent: number, _lines: string[]): string {
  if (Array.isArray(value)) return '[]';
  if (isObject(value)) return '{}';
  return scalar(value) ?? JSON.stringify(value);
}
