import type { Service } from '@burnrate/catalog';
import type { ResolvedRulesOptions, RuleForm } from '../rules-options.js';
import type { RuleGroup } from '../rule.model.js';

/** Ruler namespace of a service: one per service, so a sync never touches another team's rules. */
export const rulerNamespace = (service: Pick<Service, 'team' | 'name'>): string =>
  `${service.team}.${service.name}`;

/**
 * The document a rule file holds in each form: plain `groups` (promtool, Prometheus, Thanos,
 * Loki local storage), a Kubernetes PrometheusRule, or a mimirtool/lokitool namespace file.
 */
export function ruleDocument(
  form: RuleForm,
  service: Service,
  groups: RuleGroup[],
  options: ResolvedRulesOptions,
): unknown {
  switch (form) {
    case 'plain':
      return { groups };
    case 'ruler':
      return { namespace: rulerNamespace(service), groups };
    case 'prometheus-rule':
      return {
        apiVersion: 'monitoring.coreos.com/v1',
        kind: 'PrometheusRule',
        metadata: {
          name: `burnrate-${service.name}`,
          ...(options.kubernetes.namespace ? { namespace: options.kubernetes.namespace } : {}),
          labels: {
            'app.kubernetes.io/managed-by': 'burnrate',
            'burnrate.dev/team': service.team,
            'burnrate.dev/service': service.name,
            ...options.kubernetes.labels,
          },
        },
        spec: { groups },
      };
  }
}
