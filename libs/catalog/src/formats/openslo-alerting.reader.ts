import type { SourceRef } from '../model/catalog.model.js';
import type { Cursor } from '../load/cursor.js';
import type { ConditionUse, OpenSloCondition, OpenSloPolicy, PolicyUse } from './openslo-alerting.util.js';

const METADATA = ['name', 'displayName', 'labels', 'annotations'] as const;
const POLICY_FIELDS = [
  'description',
  'alertWhenNoData',
  'alertWhenResolved',
  'alertWhenBreaching',
  'conditions',
  'notificationTargets',
] as const;

const sourceOf = (c: Cursor): SourceRef => ({ file: c.ctx.file, ...c.ctx.position(c.offset) });

/** The `spec` of an `AlertCondition` (a document, or inlined in a policy). */
export function readConditionSpec(
  spec: Cursor,
  name: string,
  source: SourceRef,
): OpenSloCondition | undefined {
  const f = spec.fields(['description', 'severity', 'condition'], ['severity', 'condition']);
  const c = f?.get('condition').fields(['kind', 'op', 'threshold', 'lookbackWindow', 'alertAfter']);
  if (!f || !c) return undefined;
  return {
    name,
    severity: f.get('severity').string({ allowNumbers: true }),
    // The spec makes `burnrate` the default kind.
    kind: c.get('kind').string() ?? 'burnrate',
    op: c.get('op').string(),
    threshold: c.get('threshold').number(),
    lookbackWindow: c.get('lookbackWindow').string({ allowNumbers: true }),
    alertAfter: c.get('alertAfter').string({ allowNumbers: true }),
    source,
  };
}

/** The `spec` of an `AlertPolicy` (a document, or inlined in an SLO). */
export function readPolicySpec(spec: Cursor, name: string, source: SourceRef): OpenSloPolicy | undefined {
  const f = spec.fields(POLICY_FIELDS, ['conditions']);
  if (!f) return undefined;
  const conditions: ConditionUse[] = [];
  for (const item of f.get('conditions').list() ?? []) {
    const use = readInlineOrRef(item, 'conditionRef', 'AlertCondition');
    if (!use) continue;
    if ('ref' in use) conditions.push(use);
    else {
      const condition = readConditionSpec(use.spec, use.name, use.source);
      if (condition) conditions.push({ condition });
    }
  }
  return {
    name,
    conditions,
    alertWhenBreaching: f.get('alertWhenBreaching').boolean() ?? true,
    alertWhenNoData: f.get('alertWhenNoData').boolean() ?? false,
    alertWhenResolved: f.get('alertWhenResolved').boolean(),
    targets: (f.get('notificationTargets').list() ?? []).map(targetName),
    source,
  };
}

/** An SLO's `alertPolicies`: `alertPolicyRef` entries or inlined policies. */
export function readPolicyUses(c: Cursor): PolicyUse[] | undefined {
  if (!c.present) return undefined;
  const uses: PolicyUse[] = [];
  for (const item of c.list() ?? []) {
    const use = readInlineOrRef(item, 'alertPolicyRef', 'AlertPolicy');
    if (!use) continue;
    if ('ref' in use) uses.push(use);
    else {
      const policy = readPolicySpec(use.spec, use.name, use.source);
      if (policy) uses.push({ policy });
    }
  }
  return uses;
}

type InlineOrRef = { ref: string; source: SourceRef } | { name: string; spec: Cursor; source: SourceRef };

function readInlineOrRef(item: Cursor, refKey: string, kind: string): InlineOrRef | undefined {
  const keys = new Set((item.entries() ?? []).map(([k]) => k));
  if (keys.has(refKey)) {
    const f = item.fields([refKey], [refKey]);
    const ref = f?.get(refKey).string();
    return f && ref !== undefined ? { ref, source: sourceOf(f.get(refKey)) } : undefined;
  }
  const f = item.fields(['apiVersion', 'kind', 'metadata', 'spec'], ['metadata', 'spec']);
  if (!f) return undefined;
  const written = f.get('kind').string();
  if (written !== undefined && written !== kind)
    return f.get('kind').error(`expected \`kind: ${kind}\` or \`${refKey}\`, got kind \`${written}\``);
  const name = f.get('metadata').fields(METADATA, ['name'])?.get('name');
  const text = name?.string();
  return name && text !== undefined ? { name: text, spec: f.get('spec'), source: sourceOf(name) } : undefined;
}

/** `targetRef`, an inlined target's name, or its `target`: only named in warnings. */
function targetName(item: Cursor): string {
  const entries = new Map((item.entries() ?? []).map(([k, c]) => [k, c]));
  const metadata = entries.get('metadata');
  const inlined = metadata && new Map((metadata.entries() ?? []).map(([k, c]) => [k, c])).get('name');
  return (
    entries.get('targetRef')?.string() ?? inlined?.string() ?? entries.get('target')?.string() ?? '(unnamed)'
  );
}
