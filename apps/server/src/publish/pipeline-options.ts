import { DEFAULT_PIPELINE_OPTIONS, type PipelineOptions } from '@burnrate/pipeline';

import type { ServerConfig } from '../config/server-config.js';

/** The server generates with the CLI's options, links pointing where readers reach Grafana. */
export const pipelineOptionsOf = (config: ServerConfig): PipelineOptions => ({
  ...DEFAULT_PIPELINE_OPTIONS,
  grafanaUrl: config.grafana.publicUrl.href,
  promtoolTests: false,
});
