import { describe, expect, it } from 'vitest';
import { isMap, isScalar, parseDocument, type Scalar } from 'yaml';
import { scalarOffset } from './scalar-offset.util.js';

/** The `q` scalar of a one-key document, and the document's text. */
function scalarOf(text: string): { text: string; node: Scalar; value: string } {
  const doc = parseDocument(text);
  if (!isMap(doc.contents)) throw new Error('not a map');
  const node = doc.contents.get('q', true);
  if (!isScalar(node)) throw new Error('not a scalar');
  return { text, node, value: String(node.value) };
}

/** `line:col` (1-based) of where `scalarOffset` puts the first `needle` of the value. */
function positionOf(text: string, needle: string): string {
  const { node, value } = scalarOf(text);
  const offset = scalarOffset(text, node, value.indexOf(needle));
  const before = text.slice(0, offset);
  return `${before.split('\n').length}:${offset - before.lastIndexOf('\n')}`;
}

const STYLES: [string, string][] = [
  ['plain', 'q: sum(rate(x[5m])) by (job) )\n'],
  ['plain over lines', 'q: sum(rate(x[5m]))\n  by (job)\n  )\n'],
  [
    'double-quoted with escapes',
    'q: "sum(rate(x{code=~\\"5..\\", p=\\"a\\\\\\\\b\\"}[5m])) \\u0062y (job) )"\n',
  ],
  ['double-quoted over lines', 'q: "sum(rate(x[5m]))\n   by (job)\\\n   )"\n'],
  ['single-quoted', "q: 'sum(rate(x{a=''b''}[5m])) by (job) )'\n"],
  ['literal block', 'q: |\n  sum(rate(x[5m]))\n    by (job)\n  )\n'],
  [
    'literal block with a comment and blank line',
    'q: |- # the query\n\n    sum(rate(x[5m]))\n      by (job)\n    )\n',
  ],
  ['folded block', 'q: >\n  sum(rate(x[5m]))\n  by (job)\n\n  )\n'],
  ['folded block, more indented', 'q: >-\n    sum(rate(x[5m]))\n      by (job)\n    )\n'],
];

describe('scalarOffset', () => {
  it.each(STYLES)('maps every character of a %s scalar to its source, in order', (_style, text) => {
    const { node, value } = scalarOf(text);
    let previous = -1;
    for (let index = 0; index < value.length; index++) {
      const offset = scalarOffset(text, node, index);
      expect(offset).toBeGreaterThan(previous);
      const char = value[index]!;
      // Escapes and folded line breaks yield a character their source does not show as is.
      if (!/[\s"'\\b]/.test(char)) expect(text[offset], `value[${index}] = ${char}`).toBe(char);
      previous = offset;
    }
  });

  it('points at the line and column of a character inside the query', () => {
    expect(positionOf('q: sum(rate(x[5m])) by (job) )\n', 'by')).toBe('1:21');
    expect(positionOf('q: sum(rate(x[5m]))\n  by (job)\n  )\n', 'by')).toBe('2:3');
    expect(positionOf('q: "a{b=\\"c\\"} by (job)"\n', 'by')).toBe('1:16');
    expect(positionOf("q: 'a{b=''c''} by (job)'\n", 'by')).toBe('1:16');
    expect(positionOf('q: |\n  sum(x)\n    by (job)\n', 'by')).toBe('3:5');
    expect(positionOf('q: >\n  sum(x)\n  by (job)\n', 'by')).toBe('3:3');
    expect(positionOf('q: >-\n  sum(x)\n\n  by (job)\n', 'by')).toBe('4:3');
  });

  it('points just past the last character for the end of the query', () => {
    const text = 'q: >-\n  sum(x) +\n';
    const { node, value } = scalarOf(text);
    expect(scalarOffset(text, node, value.length)).toBe(text.indexOf('+') + 1);
  });
});
