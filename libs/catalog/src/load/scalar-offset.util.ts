import { Scalar } from 'yaml';

/**
 * Maps character `index` of a scalar's parsed value back to an offset in the file, so an error
 * inside a query points at the right line and column whatever the scalar's style: plain or
 * quoted over several lines, escapes (`\"`, `\\`, `\u00e9`, `''`), literal and folded blocks.
 * It walks the value and the source side by side, skipping what YAML drops (quotes, escape
 * backslashes, indentation, folded line breaks); the scalar's start when they cannot be aligned.
 */
export function scalarOffset(text: string, node: Scalar, index: number): number {
  const start = node.range?.[0] ?? 0;
  const value = typeof node.value === 'string' ? node.value : String(node.value);
  const reader = new ScalarSource(text.slice(start, node.range?.[1] ?? text.length), node.type);
  for (let i = 0; i < index && i < value.length; i++) {
    if (!reader.consume(value[i]!)) return start;
  }
  const at = index < value.length ? reader.find(value[index]!) : reader.position;
  return at === undefined ? start : start + at;
}

/** One unit of source: the character it yields in the value (empty for none) and its length. */
interface Unit {
  yields: string;
  length: number;
}

const ESCAPES: Record<string, string> = {
  '0': '\0',
  a: '\x07',
  b: '\b',
  t: '\t',
  '\t': '\t',
  n: '\n',
  v: '\v',
  f: '\f',
  r: '\r',
  e: '\x1b',
  ' ': ' ',
  '"': '"',
  '/': '/',
  '\\': '\\',
  N: '\x85',
  _: '\xa0',
  L: '\u2028',
  P: '\u2029',
};
const HEX_ESCAPES: Record<string, number> = { x: 2, u: 4, U: 8 };

class ScalarSource {
  position: number;
  private readonly block: boolean;
  /** Indentation every content line of a block scalar shares, which the value leaves out. */
  private readonly indent: number = 0;

  constructor(
    private readonly source: string,
    private readonly type: Scalar['type'],
  ) {
    this.block = type === Scalar.BLOCK_LITERAL || type === Scalar.BLOCK_FOLDED;
    if (this.block) {
      // The header line (`|`, `>-`, `|2`...) yields nothing; content lines follow it.
      const content = source.slice(source.indexOf('\n') + 1).split('\n');
      const indents = content.filter((l) => l.trim() !== '').map((l) => l.length - l.trimStart().length);
      this.indent = indents.length > 0 ? Math.min(...indents) : 0;
      this.position = source.indexOf('\n') + 1;
      this.skipIndentation();
    } else {
      this.position = type === Scalar.QUOTE_DOUBLE || type === Scalar.QUOTE_SINGLE ? 1 : 0;
    }
  }

  /** Moves past the source of `char`, skipping what yields nothing or something else. */
  consume(char: string): boolean {
    const at = this.find(char);
    if (at === undefined) return false;
    const unit = this.unit(at);
    this.position = at + unit.length;
    if (unit.yields === '\n') this.skipIndentation();
    return true;
  }

  /** Where the source of `char` starts, from the current position. */
  find(char: string): number | undefined {
    let at = this.position;
    while (at < this.source.length) {
      const unit = this.unit(at);
      // A line break that a flow or folded scalar folds into a space.
      const folds = unit.yields === '\n' && char === ' ' && this.type !== Scalar.BLOCK_LITERAL;
      if (unit.yields === char || folds) return at;
      at += unit.length;
      if (unit.yields === '\n') at = this.afterIndentation(at);
    }
    return undefined;
  }

  private unit(at: number): Unit {
    const char = this.source[at]!;
    if (this.type === Scalar.QUOTE_SINGLE && char === "'" && this.source[at + 1] === "'")
      return { yields: "'", length: 2 };
    if (this.type !== Scalar.QUOTE_DOUBLE || char !== '\\') return { yields: char, length: 1 };
    const code = this.source[at + 1] ?? '';
    if (code === '\n') return { yields: '', length: 2 };
    const digits = HEX_ESCAPES[code];
    if (digits !== undefined) {
      const hex = this.source.slice(at + 2, at + 2 + digits);
      return { yields: String.fromCodePoint(Number.parseInt(hex, 16) || 0), length: 2 + digits };
    }
    return { yields: ESCAPES[code] ?? code, length: 2 };
  }

  private skipIndentation(): void {
    this.position = this.afterIndentation(this.position);
  }

  /** Past a line's indentation: the block's own in a block scalar, all of it in a flow scalar. */
  private afterIndentation(at: number): number {
    let end = at;
    const limit = this.block ? at + this.indent : this.source.length;
    while (end < limit && (this.source[end] === ' ' || (!this.block && this.source[end] === '\t'))) end++;
    return end;
  }
}
