export {
  PrometheusClient,
  PrometheusClientError,
  type PrometheusClientOptions,
  type PrometheusErrorCode,
  type PrometheusFetch,
  type VectorSample,
} from './prometheus-client.js';
export {
  verifySeries,
  type SeriesStatus,
  type SloOutcome,
  type SloVerification,
  type VerifyOptions,
} from './verify/verify-series.js';
export {
  batchQuery,
  readBatch,
  QUESTION_LABEL,
  type SeriesAnswer,
  type SeriesQuestion,
} from './verify/series-query.util.js';
export {
  readObservations,
  statusQueries,
  trackedSlos,
  type StatusQuery,
  type TrackedSlo,
} from './refresh/status-queries.js';
export { refreshStatus, type EvaluatedSlo, type StatusCycle } from './refresh/status-refresh.js';
export {
  StatusStore,
  type CatalogRows,
  type CycleWrite,
  type HistoryPoint,
  type SloEvent,
  type SloFilter,
  type SloItem,
} from './store/status.store.js';
