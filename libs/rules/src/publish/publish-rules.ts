import type { Catalog } from '@burnrate/catalog';
import { rulerNamespace } from '../forms/rule-forms.js';
import { lokiRuleSets } from '../loki/loki-rules.js';
import { prometheusRuleSets } from '../prometheus/prometheus-rules.js';
import { resolveRulesOptions, type RulesOptions } from '../rules-options.js';
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
}

/** Pushes every service's rule groups to the rulers given, one namespace per service. */
export async function publishRules(catalog: Catalog, options: RulesOptions, targets: RulerTargets): Promise<RulesPublishSummary> {
  const resolved = resolveRulesOptions({ ...options, promtoolTests: false });
  const summary: RulesPublishSummary = { prometheusNamespaces: 0, lokiNamespaces: 0, groups: 0 };
  if (targets.prometheus) {
    for (const set of prometheusRuleSets(catalog, resolved)) {
      await targets.prometheus.pushNamespace(rulerNamespace(set.service), set.groups);
      summary.prometheusNamespaces++;
      summary.groups += set.groups.length;
    }
  }
  if (targets.loki) {
    for (const set of lokiRuleSets(catalog, resolved)) {
      await targets.loki.pushNamespace(rulerNamespace(set.service), set.groups);
      summary.lokiNamespaces++;
      summary.groups += set.groups.length;
    }
  }
  return summary;
}
