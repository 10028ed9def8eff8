import type { Catalog, GeneratedFile } from '@burnrate/catalog';
import { generateDashboards, type DashboardsOptions, type DatasourceUids } from '@burnrate/dashboards';
import {
  DEFAULT_BURNRATE_URL,
  DEFAULT_GRAFANA_URL,
  DEFAULT_WEBHOOK_TOKEN_FILE,
  generateAlertmanagerConfig,
  generateRules,
  type AlertmanagerOptions,
  type RuleForm,
  type RulesOptions,
} from '@burnrate/rules';

/** The one set of generation options, shared by `burnrate generate` and the server's publishing. */
export interface PipelineOptions {
  /** Grafana as readers reach it: the base of every link in alerts and dashboards. */
  grafanaUrl: string;
  /** Write promtool unit tests next to the rule files (plain form only). */
  promtoolTests: boolean;
  rulesForm: RuleForm;
  /** Grafana data source uids; unset kinds keep their defaults. */
  datasources: Partial<DatasourceUids>;
  /** The Burnrate server as Alertmanager reaches it: the webhook receiver's base URL. */
  burnrateUrl: string;
  /** The webhook bearer token's file, as Alertmanager sees it. */
  webhookTokenFile: string;
}

export const DEFAULT_PIPELINE_OPTIONS: PipelineOptions = Object.freeze({
  grafanaUrl: DEFAULT_GRAFANA_URL,
  promtoolTests: true,
  rulesForm: 'plain',
  datasources: {},
  burnrateUrl: DEFAULT_BURNRATE_URL,
  webhookTokenFile: DEFAULT_WEBHOOK_TOKEN_FILE,
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

/** The Alertmanager configuration's options out of the pipeline's. */
export const alertmanagerOptionsOf = (options: PipelineOptions): AlertmanagerOptions => ({
  burnrateUrl: options.burnrateUrl,
  webhookTokenFile: options.webhookTokenFile,
});

/**
 * The generation pipeline: a validated catalog in, every artifact out (rules, promtool tests,
 * dashboards, provisioning, the Alertmanager configuration), sorted by path so the same catalog always gives the same bytes.
 */
export function generateArtifacts(catalog: Catalog, options: PipelineOptions): GeneratedFile[] {
  const files = [
    ...generateRules(catalog, rulesOptionsOf(options)),
    ...generateDashboards(catalog, dashboardsOptionsOf(options)),
    generateAlertmanagerConfig(catalog, alertmanagerOptionsOf(options)),
  ];
  return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
