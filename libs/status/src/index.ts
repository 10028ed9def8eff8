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
