export { FocusFileError, readFocusFile, REQUIRED_COLUMNS, type FocusCharge } from './focus/focus-reader.js';
export {
  importFocusFiles,
  trimDecimal,
  type ImportOptions,
  type ImportSummary,
} from './focus/focus-import.js';
export {
  allocate,
  allocationFingerprint,
  applyAllocation,
  reallocateIfChanged,
  rollup,
  type CostCatalog,
  type DayRange,
} from './allocation/allocate.js';
export {
  addDays,
  decimalAmount,
  ProviderResponseError,
  writePull,
  type DailyCostLine,
  type PullProgress,
  type PullSummary,
  type PullWindow,
} from './ingest/cost-lines.js';
export {
  AWS_BILLING_ACCOUNT,
  costExplorerClient,
  fetchAwsCosts,
  type AwsPullOptions,
  type AwsPullResult,
} from './providers/aws-cost-explorer.js';
export {
  AZURE_ENDPOINT,
  costManagementClient,
  fetchAzureCosts,
  type AzureClientOptions,
  type AzurePullOptions,
  type AzurePullResult,
} from './providers/azure-cost-management.js';
export { pullCosts, PullConfigError, type Provider, type PullRequest, type PullResult } from './pull.js';
export { isoWeekOf, parseIsoWeek, previousWeek, type IsoWeek } from './report/iso-week.js';
export {
  buildCostReport,
  DEFAULT_ANOMALY_RULES,
  weekContext,
  type AnomalyRules,
  type CostReport,
  type ReportTeam,
  type WeekContext,
} from './report/cost-report.js';
export {
  renderReport,
  renderReportMessage,
  reportView,
  type ReportFormat,
  type ReportView,
} from './report/report-renderer.js';
export {
  allocationTagKeys,
  buildWeeklyReports,
  queueCostReports,
  type WeeklyReportOptions,
} from './report/weekly-reports.js';
export { anomalyRulesFromEnv, ReportConfigError } from './report/anomaly-config.js';
