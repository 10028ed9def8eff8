export {
  GrafanaPublisher,
  GrafanaPublishError,
  MANAGED_TAG,
  PUBLISH_MESSAGE_PREFIX,
  type PublishOptions,
  type PublishResult,
  type RemovedDashboard,
} from './grafana/grafana-publisher.js';
export {
  PrometheusReloader,
  RulerClient,
  RulesPublishError,
  type RulerClientOptions,
} from './ruler/ruler-client.js';
export { publishRules, type RulerTargets, type RulesPublishSummary } from './ruler/publish-rules.js';
