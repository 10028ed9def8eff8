import { isAlias, isMap, isPair, isScalar, isSeq, Scalar, type Document, type Node } from 'yaml';
import type { DocContext } from './doc-context.js';
import { nearName } from './near-name.util.js';
import { scalarOffset } from './scalar-offset.util.js';

/**
 * A typed, position-aware view of one YAML node. Readers ask for the shape they expect; when
 * the node has another shape the cursor reports a problem at the node and returns undefined,
 * so loaders stay declarative and collect every problem in one pass.
 */
export class Cursor {
  constructor(
    readonly ctx: DocContext,
    private readonly doc: Document,
    readonly node: Node | null | undefined,
    readonly path: string,
    /** Where to report when the node is absent: the enclosing map. */
    private readonly fallbackOffset = 0,
  ) {}

  get present(): boolean {
    return (
      this.node !== undefined && this.node !== null && !(isScalar(this.node) && this.node.value === null)
    );
  }

  get offset(): number {
    return this.node?.range?.[0] ?? this.fallbackOffset;
  }

  error(message: string, offset = this.offset): undefined {
    this.ctx.report('error', offset, message, this.path || undefined);
    return undefined;
  }

  warn(message: string, offset = this.offset): undefined {
    this.ctx.report('warning', offset, message, this.path || undefined);
    return undefined;
  }

  /** Reads a mapping, reporting unknown keys (with the nearest allowed one) and missing required ones. */
  fields(allowed: readonly string[], required: readonly string[] = []): Fields | undefined {
    const node = this.resolved();
    if (!isMap(node)) return this.error(`expected a mapping with ${list(allowed)}, got ${describe(node)}`);
    const byKey = new Map<string, { key: Node; value: Node | null }>();
    for (const pair of node.items) {
      if (!isPair(pair)) continue;
      const keyNode = pair.key as Node;
      const key = isScalar(keyNode) ? String(keyNode.value) : undefined;
      const at = keyNode?.range?.[0] ?? this.offset;
      if (key === undefined) {
        this.error('keys must be plain strings', at);
        continue;
      }
      if (!allowed.includes(key)) {
        const near = nearName(key, allowed);
        const hint = near ? `; did you mean \`${near}\`?` : '';
        this.ctx.report(
          'error',
          at,
          `unknown field \`${key}\`${hint} (allowed: ${list(allowed)})`,
          join(this.path, key),
        );
        continue;
      }
      byKey.set(key, { key: keyNode, value: pair.value as Node | null });
    }
    for (const key of required) {
      const entry = byKey.get(key);
      const value = entry
        ? new Cursor(this.ctx, this.doc, entry.value, join(this.path, key), entry.key.range?.[0])
        : undefined;
      if (!value?.present)
        this.error(`missing required field \`${key}\``, entry?.key.range?.[0] ?? this.offset);
    }
    return new Fields(
      this,
      byKey,
      (key, entry) =>
        new Cursor(
          this.ctx,
          this.doc,
          entry?.value,
          join(this.path, key),
          entry?.key.range?.[0] ?? this.offset,
        ),
    );
  }

  string(options: { allowNumbers?: boolean } = {}): string | undefined {
    const node = this.resolved();
    if (!this.present) return undefined;
    if (isScalar(node) && typeof node.value === 'string') return node.value;
    if (
      isScalar(node) &&
      options.allowNumbers &&
      (typeof node.value === 'number' || typeof node.value === 'boolean')
    ) {
      return String(node.source ?? node.value);
    }
    return this.error(`expected a string, got ${describe(node)}`);
  }

  number(): number | undefined {
    const node = this.resolved();
    if (!this.present) return undefined;
    if (isScalar(node) && typeof node.value === 'number' && Number.isFinite(node.value)) return node.value;
    if (isScalar(node) && typeof node.value === 'string' && /^-?\d+(\.\d+)?$/.test(node.value.trim())) {
      return Number(node.value);
    }
    return this.error(`expected a number, got ${describe(node)}`);
  }

  boolean(): boolean | undefined {
    const node = this.resolved();
    if (!this.present) return undefined;
    if (isScalar(node) && typeof node.value === 'boolean') return node.value;
    return this.error(`expected true or false, got ${describe(node)}`);
  }

  get isList(): boolean {
    return isSeq(this.resolved());
  }

  get isBoolean(): boolean {
    const node = this.resolved();
    return isScalar(node) && typeof node.value === 'boolean';
  }

  list(): Cursor[] | undefined {
    const node = this.resolved();
    if (!this.present) return undefined;
    if (!isSeq(node)) return this.error(`expected a list, got ${describe(node)}`);
    return node.items.map(
      (item, i) => new Cursor(this.ctx, this.doc, item as Node, `${this.path}[${i}]`, this.offset),
    );
  }

  /** A map of string keys to string values (labels, annotations); numbers and booleans are read as text. */
  stringMap(): Record<string, string> | undefined {
    const node = this.resolved();
    if (!this.present) return undefined;
    if (!isMap(node)) return this.error(`expected a mapping of names to strings, got ${describe(node)}`);
    const out: Record<string, string> = {};
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : undefined;
      const value = new Cursor(
        this.ctx,
        this.doc,
        pair.value as Node,
        join(this.path, key ?? '?'),
        this.offset,
      );
      const text = value.string({ allowNumbers: true });
      if (key !== undefined && text !== undefined) out[key] = text;
    }
    return out;
  }

  /** A cursor for each key of a mapping (for maps with free-form keys). */
  entries(): [string, Cursor, number][] | undefined {
    const node = this.resolved();
    if (!this.present) return undefined;
    if (!isMap(node)) return this.error(`expected a mapping, got ${describe(node)}`);
    return node.items.map((pair) => {
      const key = isScalar(pair.key) ? String(pair.key.value) : '?';
      const at = (pair.key as Node | null)?.range?.[0] ?? this.offset;
      return [key, new Cursor(this.ctx, this.doc, pair.value as Node, join(this.path, key), at), at];
    });
  }

  /** File offset of character `index` of this scalar's value (for errors inside queries). */
  offsetInValue(index: number): number {
    const node = this.resolved();
    return node instanceof Scalar ? scalarOffset(this.ctx.text, node, index) : this.offset;
  }

  private resolved(): Node | null | undefined {
    return isAlias(this.node) ? this.node.resolve(this.doc) : this.node;
  }
}

export class Fields {
  constructor(
    readonly owner: Cursor,
    private readonly byKey: Map<string, { key: Node; value: Node | null }>,
    private readonly make: (key: string, entry: { key: Node; value: Node | null } | undefined) => Cursor,
  ) {}

  get(key: string): Cursor {
    return this.make(key, this.byKey.get(key));
  }

  has(key: string): boolean {
    return this.get(key).present;
  }

  /** Reports when more than one, or (if required) none, of the keys is present; returns the one present. */
  oneOf(keys: readonly string[], required = true): string | undefined {
    const present = keys.filter((k) => this.has(k));
    if (present.length > 1) {
      this.owner.error(
        `only one of ${list(keys)} may be set, found ${list(present)}`,
        this.get(present[1]!).offset,
      );
      return undefined;
    }
    if (present.length === 0 && required) return this.owner.error(`one of ${list(keys)} is required`);
    return present[0];
  }
}

const join = (path: string, key: string): string => (path ? `${path}.${key}` : key);
const list = (keys: readonly string[]): string => keys.map((k) => `\`${k}\``).join(', ');

function describe(node: Node | null | undefined): string {
  if (node === null || node === undefined || (isScalar(node) && node.value === null)) return 'nothing';
  if (isMap(node)) return 'a mapping';
  if (isSeq(node)) return 'a list';
  if (isScalar(node)) return `${typeof node.value} \`${String(node.source ?? node.value).slice(0, 40)}\``;
  return 'something else';
}
