import type { Catalog, GeneratedFile } from '@burnrate/catalog';
import { ruleDocument } from './forms/rule-forms.js';
import { lokiRuleSets } from './loki/loki-rules.js';
import { GENERATED_HEADER, prometheusRuleSets } from './prometheus/prometheus-rules.js';
import { promtoolTestPath, promtoolTests } from './promtool/promtool-tests.js';
import { resolveRulesOptions, type RulesOptions } from './rules-options.js';
import { toYaml } from './yaml.util.js';

export type { RulesOptions, RuleForm, ResolvedRulesOptions } from './rules-options.js';
export { resolveRulesOptions, DEFAULT_FAST_INTERVAL, DEFAULT_GRAFANA_URL } from './rules-options.js';
export type { AlertingRule, RecordingRule, Rule, RuleGroup } from './rule.model.js';
export { isAlertingRule } from './rule.model.js';
export { toYaml } from './yaml.util.js';
export { GENERATED_HEADER } from './prometheus/prometheus-rules.js';
export { tempoExploreUrl, dashboardUrl, errorTracesQuery } from './prometheus/links.util.js';
export { prometheusRuleSets, prometheusRulesPath, type ServiceRules } from './prometheus/prometheus-rules.js';
export { lokiRuleSets, lokiRulesPath, type LokiRuleSet } from './loki/loki-rules.js';
export {
  requiredSeries,
  mustExist,
  type RequiredSeries,
  type SeriesRole,
} from './prometheus/required-series.util.js';
export { eventsOverSeries } from './prometheus/window-rules.util.js';
export { rulerNamespace } from './forms/rule-forms.js';
export {
  ALERTMANAGER_CONFIG_PATH,
  BURNRATE_RECEIVER,
  alertmanagerConfig,
  generateAlertmanagerConfig,
} from './alertmanager/alertmanager-config.js';
export {
  DEFAULT_BURNRATE_URL,
  DEFAULT_MAX_ALERTS,
  DEFAULT_WEBHOOK_TOKEN_FILE,
  PAGE_TIMING,
  TICKET_TIMING,
  resolveAlertmanagerOptions,
  type AlertmanagerOptions,
  type ResolvedAlertmanagerOptions,
  type RouteTiming,
} from './alertmanager/alertmanager-options.js';
export {
  severityLabelsOf,
  type Inhibition,
  type SeverityLabels,
} from './alertmanager/severity-labels.util.js';

const basename = (path: string): string => path.slice(path.lastIndexOf('/') + 1);

/**
 * Every Prometheus and Loki rule file for the catalog, one per service, paths under `rules/`:
 * `rules/prometheus/<team>/<service>.yaml` (+ `.test.yaml`, promtool unit tests) and
 * `rules/loki/<team>/<service>.yaml`. Deterministic: same catalog, same bytes.
 */
export function generateRules(catalog: Catalog, options: RulesOptions): GeneratedFile[] {
  const resolved = resolveRulesOptions(options);
  const files: GeneratedFile[] = [];
  for (const set of prometheusRuleSets(catalog, resolved)) {
    files.push({
      path: set.path,
      content: toYaml(ruleDocument(resolved.form, set.service, set.groups, resolved), GENERATED_HEADER),
    });
    if (!resolved.promtoolTests || resolved.form !== 'plain') continue;
    const tests = promtoolTests(set.service, basename(set.path), catalog.defaults.tiers, resolved);
    if (tests) files.push({ path: promtoolTestPath(set.path), content: toYaml(tests, GENERATED_HEADER) });
  }
  for (const set of lokiRuleSets(catalog, resolved)) {
    files.push({
      path: set.path,
      content: toYaml(ruleDocument(resolved.form, set.service, set.groups, resolved), GENERATED_HEADER),
    });
  }
  return files;
}
