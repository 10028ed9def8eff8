import { isMap, isScalar, isSeq, LineCounter, parseAllDocuments, type Document } from 'yaml';
import { loadBackstage } from '../formats/backstage.loader.js';
import { loadNative, NATIVE_API_VERSION, NATIVE_KINDS } from '../formats/native.loader.js';
import { loadOpenSlo, OPENSLO_KINDS } from '../formats/openslo.loader.js';
import { loadOpenSloV1Alpha, OPENSLO_V1ALPHA_KINDS } from '../formats/openslo-v1alpha.loader.js';
import { loadSloth, loadSlothKubernetes } from '../formats/sloth.loader.js';
import type { Problem } from '../problems/problem.js';
import { Cursor } from './cursor.js';
import { DocContext } from './doc-context.js';
import type { Contributions } from './drafts.js';

const ALLOWED = [
  `apiVersion: ${NATIVE_API_VERSION} (kinds ${NATIVE_KINDS.join(', ')})`,
  'version: prometheus/v1 (Sloth)',
  'apiVersion: sloth.slok.dev/v1 (kind PrometheusServiceLevel)',
  `apiVersion: openslo/v1 (kinds ${OPENSLO_KINDS.join(', ')})`,
  `apiVersion: openslo/v1alpha (kinds ${OPENSLO_V1ALPHA_KINDS.join(', ')})`,
  'apiVersion: backstage.io/v1alpha1 (kind Component)',
].join('; ');

/** Aliases may expand at most this much: a billion-laughs document is refused, not expanded. */
const MAX_ALIAS_EXPANSION = 1000;

/** Parses one file's YAML documents and hands each to the loader of its format. */
export function loadFileText(
  file: string,
  text: string,
  out: Contributions,
  problems: Problem[],
  resolvePath: (file: string, relative: string) => string,
): void {
  const lines = new LineCounter();
  const ctx = new DocContext(file, text, lines, problems);
  const docs = parseAllDocuments(text, {
    lineCounter: lines,
    prettyErrors: false,
    uniqueKeys: true,
    strict: true,
  });
  const list = Array.isArray(docs) ? docs : [];
  let seen = 0;
  for (const doc of list) {
    if (doc.errors.length > 0) {
      for (const error of doc.errors)
        ctx.report('error', error.pos[0], `YAML syntax: ${firstLine(error.message)}`);
      continue;
    }
    if (doc.contents === null) continue;
    seen++;
    if (!expansionWithinBudget(doc)) {
      ctx.report(
        'error',
        doc.contents.range?.[0] ?? 0,
        `YAML aliases expand beyond ${MAX_ALIAS_EXPANSION} nodes (a "billion laughs" document?): refused`,
      );
      continue;
    }
    const resolve = (relative: string) => resolvePath(file, relative);
    // A list of objects in one document is how the OpenSLO go-sdk, oslo and sloctl write them.
    const items =
      isSeq(doc.contents) && doc.contents.items.every((i) => isMap(i)) ? doc.contents.items : undefined;
    if (items && items.length > 0) {
      const list = new Cursor(ctx, doc, doc.contents, '').list() ?? [];
      for (const item of list) loadDocument(item, out, resolve);
    } else loadDocument(new Cursor(ctx, doc, doc.contents, ''), out, resolve);
  }
  if (seen === 0 && list.every((d) => d.errors.length === 0)) {
    ctx.report(
      'error',
      0,
      'the file holds no YAML document: remove it or declare a Team, Service, Sloth spec, OpenSLO or Backstage entity',
    );
  }
}

function loadDocument(root: Cursor, out: Contributions, resolvePath: (relative: string) => string): void {
  const node = root.node;
  if (!isMap(node))
    return void root.error(
      `expected a catalog document (a mapping), got ${isScalar(node) ? 'a plain value' : 'a list'}; allowed: ${ALLOWED}`,
    );
  const get = (key: string) => {
    const value = node.get(key, true);
    return isScalar(value) && typeof value.value === 'string' ? value.value : undefined;
  };
  const at = (key: string) =>
    (node.get(key, true) as { range?: [number] } | undefined)?.range?.[0] ?? root.offset;
  const apiVersion = get('apiVersion');
  const kind = get('kind') ?? '';
  if (get('version') === 'prometheus/v1' && apiVersion === undefined) return loadSloth(root, out);
  if (get('version') !== undefined && apiVersion === undefined) {
    return void root.error(
      `unknown Sloth spec version \`${get('version')}\`: allowed is prometheus/v1`,
      at('version'),
    );
  }
  if (apiVersion === undefined) return void root.error(`missing \`apiVersion\`: allowed are ${ALLOWED}`);
  const unknownKind = (kinds: readonly string[]) =>
    root.error(`unknown kind \`${kind}\` for ${apiVersion}: allowed are ${kinds.join(', ')}`, at('kind'));
  switch (apiVersion) {
    case NATIVE_API_VERSION:
      return void ((NATIVE_KINDS as readonly string[]).includes(kind)
        ? loadNative(root, kind, out, resolvePath)
        : unknownKind(NATIVE_KINDS));
    case 'sloth.slok.dev/v1':
      return void (kind === 'PrometheusServiceLevel'
        ? loadSlothKubernetes(root, out)
        : unknownKind(['PrometheusServiceLevel']));
    case 'openslo/v1':
      return void ((OPENSLO_KINDS as readonly string[]).includes(kind)
        ? loadOpenSlo(root, kind, out)
        : unknownKind(OPENSLO_KINDS));
    case 'openslo/v1alpha':
      return void ((OPENSLO_V1ALPHA_KINDS as readonly string[]).includes(kind)
        ? loadOpenSloV1Alpha(root, kind, out)
        : unknownKind(OPENSLO_V1ALPHA_KINDS));
    case 'backstage.io/v1alpha1':
    case 'backstage.io/v1beta1':
      return loadBackstage(root, kind, out, resolvePath);
    default:
      // Other Backstage entities (scaffolder.backstage.io templates...) sit in the same catalogs.
      if (/^([a-z0-9-]+\.)*backstage\.io\/v[0-9a-z]+$/.test(apiVersion)) return;
      return void root.error(
        `unknown apiVersion \`${apiVersion}\`: allowed are ${ALLOWED}`,
        at('apiVersion'),
      );
  }
}

/** Counts nodes reachable through aliases without materialising them. */
function expansionWithinBudget(doc: Document): boolean {
  const sizes = new Map<unknown, number>();
  let aliases = 0;
  const size = (node: unknown, depth: number): number => {
    if (depth > 100) return Infinity;
    if (sizes.has(node)) return sizes.get(node)!;
    let total = 1;
    const n = node as {
      items?: unknown[];
      key?: unknown;
      value?: unknown;
      source?: string;
      resolve?: (d: Document) => unknown;
    };
    if (n && typeof n.resolve === 'function' && 'source' in n) {
      aliases++;
      total = size(n.resolve(doc), depth + 1);
    } else if (n && Array.isArray(n.items)) {
      for (const item of n.items) total += size(item, depth + 1);
    } else if (n && ('key' in n || 'value' in n) && !isScalar(n)) {
      total = size(n.key, depth + 1) + size(n.value, depth + 1);
    }
    sizes.set(node, total);
    return total;
  };
  const total = size(doc.contents, 0);
  return aliases === 0 || total <= MAX_ALIAS_EXPANSION * 10;
}

const firstLine = (message: string): string => message.split('\n')[0] ?? message;
