import type { Catalog, GeneratedFile } from '@burnrate/catalog';
import { generateDashboards, type DashboardsOptions, type DatasourceUids } from '@burnrate/dashboards';
import { DEFAULT_GRAFANA_URL, generateRules, type RuleForm, type RulesOptions } from '@burnrate/rules';

/** The one set of generation options, shared by `burnrate generate` and the server's publishing. */
export interface PipelineOptions {
  /** Grafana as readers reach it: the base of every link in alerts and dashboards. */
  grafanaUrl: string;
  /** Write promtool unit tests next to the rule files (plain form only). */
  promtoolTests: boolean;
  rulesForm: RuleForm;
  /** Grafana data source uids; unset kinds keep their defaults. */
  datasources: Partial<DatasourceUids>;
}

export const DEFAULT_PIPELINE_OPTIONS: PipelineOptions = Object.freeze({
  grafanaUrl: DEFAULT_GRAFANA_URL,
  promtoolTests: true,
  rulesForm: 'plain',
  datasources: {},
});

export function rulesOptionsOf(options: PipelineOptions): RulesOptions {
  const { tempo } = options.datasources;
  return {
    grafanaUrl: options.grafanaUrl,
    promtoolTests: options.promtoolTests,
    form: options.rulesForm,
    ...(tempo ? { tempoDatasourceUid: tempo } : {}),
  };
}

export const dashboardsOptionsOf = (options: PipelineOptions): DashboardsOptions => ({
  grafanaUrl: options.grafanaUrl,
  datasources: options.datasources,
});

/**
 * The generation pipeline: a validated catalog in, every artifact out (rules, promtool tests,
 * dashboards, provisioning), sorted by path so the same catalog always gives the same bytes.
 */
export function generateArtifacts(catalog: Catalog, options: PipelineOptions): GeneratedFile[] {
  const files = [
    ...generateRules(catalog, rulesOptionsOf(options)),
    ...generateDashboards(catalog, dashboardsOptionsOf(options)),
  ];
  return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
