export {
  DEFAULT_PIPELINE_OPTIONS,
  dashboardsOptionsOf,
  generateArtifacts,
  rulesOptionsOf,
  type PipelineOptions,
} from './generate-artifacts.js';
