export {
  BurnrateError,
  FeatureDisabledError,
  InvalidInputError,
  InvalidParameterError,
  MalformedRequestError,
  NotFoundError,
  isBurnrateError,
  UpstreamError,
  type ErrorKind,
} from './burnrate.error.js';
export { fetchFailureReason, type FetchLike } from './fetch-like.js';
