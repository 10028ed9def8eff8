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
