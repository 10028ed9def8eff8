import { Scalar } from 'yaml';

/**
 * Maps character `index` of a scalar's parsed value back to an offset in the file, so an error
 * inside a query points at the right line and column. Exact for plain single-line, quoted
 * (without escapes before the index) and literal block scalars; the start otherwise.
 */
export function scalarOffset(text: string, node: Scalar, index: number): number {
  const start = node.range?.[0] ?? 0;
  const value = typeof node.value === 'string' ? node.value : String(node.value);
  switch (node.type) {
    case Scalar.QUOTE_DOUBLE:
    case Scalar.QUOTE_SINGLE:
      return value.includes('\n') ? start : start + 1 + index;
    case Scalar.PLAIN:
      return value.includes('\n') ? start : start + index;
    case Scalar.BLOCK_LITERAL:
    case Scalar.BLOCK_FOLDED: {
      const before = value.slice(0, index);
      const lineInValue = before.split('\n').length - 1;
      const column = index - (before.lastIndexOf('\n') + 1);
      const source = text.slice(start, node.range?.[1] ?? text.length);
      const lines = source.split('\n');
      // lines[0] is the header (`|`, `>-`...); content lines follow, sharing one indentation.
      const content = lines.slice(1);
      const indent = Math.min(
        ...content.filter((l) => l.trim() !== '').map((l) => l.length - l.trimStart().length),
      );
      if (node.type === Scalar.BLOCK_FOLDED || !Number.isFinite(indent)) return start;
      let offset = start + lines[0]!.length + 1;
      for (let i = 0; i < lineInValue && i < content.length; i++) offset += content[i]!.length + 1;
      return offset + indent + column;
    }
    default:
      return start;
  }
}
