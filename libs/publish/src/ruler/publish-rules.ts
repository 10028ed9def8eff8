import type { Catalog } from '@burnrate/catalog';
import {
  lokiRuleSets,
  prometheusRuleSets,
  resolveRulesOptions,
  rulerNamespace,
  type RulesOptions,
} from '@burnrate/rules';
import type { RulerClient } from './ruler-client.js';

export interface RulerTargets {
  /** Mimir or Cortex ruler for the Prometheus rules. */
  prometheus?: RulerClient;
  /** Loki ruler for the Loki rules. */
  loki?: RulerClient;
}

export interface RulesPublishSummary {
  prometheusNamespaces: number;
  lokiNamespaces: number;
  groups: number;
  /** Namespaces of services that left the catalog, deleted from the rulers. */
  deleted: string[];
}

/** Every group Burnrate generates is named `burnrate-<service>-...`: how it knows its own. */
const OWN_GROUP = /^burnrate-/;

/**
 * Reconciles the rulers with the catalog: pushes every service's rule groups, one namespace per
 * service, then deletes the namespaces of services that left it. A namespace is deleted only when
 * every group in it is Burnrate's, so rules written by hand or by another tool are never touched.
 */
export async function publishRules(
  catalog: Catalog,
  options: RulesOptions,
  targets: RulerTargets,
): Promise<RulesPublishSummary> {
  const resolved = resolveRulesOptions({ ...options, promtoolTests: false });
  const summary: RulesPublishSummary = { prometheusNamespaces: 0, lokiNamespaces: 0, groups: 0, deleted: [] };
  const sets = [
    {
      ruler: targets.prometheus,
      sets: prometheusRuleSets(catalog, resolved),
      count: 'prometheusNamespaces' as const,
    },
    { ruler: targets.loki, sets: lokiRuleSets(catalog, resolved), count: 'lokiNamespaces' as const },
  ];
  for (const { ruler, sets: ruleSets, count } of sets) {
    if (!ruler) continue;
    const wanted = new Set<string>();
    for (const set of ruleSets) {
      const namespace = rulerNamespace(set.service);
      wanted.add(namespace);
      await ruler.pushNamespace(namespace, set.groups);
      summary[count]++;
      summary.groups += set.groups.length;
    }
    for (const [namespace, groups] of await ruler.listNamespaces()) {
      if (wanted.has(namespace) || groups.length === 0 || !groups.every((g) => OWN_GROUP.test(g))) continue;
      await ruler.deleteNamespace(namespace);
      summary.deleted.push(`${ruler.name}: ${namespace}`);
    }
  }
  return summary;
}
