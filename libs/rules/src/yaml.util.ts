import { Document, isScalar, Scalar, visit } from 'yaml';

/**
 * Stable YAML: keys in the order the generator built them, no line folding, and multi-line
 * strings (PromQL and LogQL expressions) as literal block scalars so rule files read like code.
 */
export function toYaml(value: unknown, header?: string): string {
  const doc = new Document(value, { aliasDuplicateObjects: false });
  visit(doc, {
    Scalar(_key, node) {
      if (isScalar(node) && typeof node.value === 'string' && node.value.includes('\n')) {
        node.type = Scalar.BLOCK_LITERAL;
      }
    },
  });
  if (header) doc.commentBefore = header;
  return doc.toString({ lineWidth: 0, indentSeq: true });
}
