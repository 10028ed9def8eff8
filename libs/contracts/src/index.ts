export {
  BurnrateError,
  FeatureDisabledError,
  InvalidInputError,
  InvalidParameterError,
  NotFoundError,
  isBurnrateError,
  UpstreamError,
  type ErrorKind,
} from './burnrate.error.js';
export { fetchFailureReason, type FetchLike } from './fetch-like.js';
