import type { Catalog, GeneratedFile } from '@burnrate/catalog';

export interface RulesOptions {
  /** Base URL of Grafana, for dashboard links in annotations. */
  grafanaUrl: string;
  /** Also write promtool unit tests next to the rules. */
  promtoolTests: boolean;
}

/** Every Prometheus and Loki rule file for the catalog, paths under `rules/`. */
export function generateRules(_catalog: Catalog, _options: RulesOptions): GeneratedFile[] {
  return [];
}
