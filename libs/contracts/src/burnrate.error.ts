/**
 * What kind of failure an error is, which decides how the edges answer it: the server's exception
 * filter maps a kind to an HTTP status, the CLI to a message and an exit code.
 */
export type ErrorKind =
  /** The caller's input is wrong (a catalog that does not validate, a bad parameter): 4xx, exit 1. */
  | 'invalid'
  | 'not-found'
  | 'conflict'
  | 'unauthorized'
  /** An upstream (Grafana, a ruler, Prometheus) is unreachable or refused: 502, exit 1. */
  | 'upstream'
  /** A feature that is switched off by configuration: 503, exit 1. */
  | 'disabled';

/** The base of every error a Burnrate library throws on purpose: a stable code and a kind. */
export abstract class BurnrateError extends Error {
  abstract readonly kind: ErrorKind;

  constructor(
    /** Stable, kebab-case, documented: `grafana-refused`, `ruler-not-configured`. */
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export const isBurnrateError = (error: unknown): error is BurnrateError => error instanceof BurnrateError;

/** An upstream could not be reached or refused a request; the message names it. */
export class UpstreamError extends BurnrateError {
  readonly kind = 'upstream';

  constructor(
    code: string,
    message: string,
    /** The upstream's name as the operator configured it (`Grafana at http://grafana:3000`). */
    readonly upstream: string,
    /** The upstream's HTTP status, when it answered at all. */
    readonly status?: number,
  ) {
    super(code, message);
  }
}

/** A feature that cannot run because its configuration is missing. */
export class FeatureDisabledError extends BurnrateError {
  readonly kind = 'disabled';
}

/** The caller's input is wrong. */
export class InvalidInputError extends BurnrateError {
  readonly kind = 'invalid';
}

/**
 * The request itself is malformed (a bad parameter, a body that is not what the endpoint takes):
 * 400, where a document that does not validate (a catalog) is 422.
 */
export class MalformedRequestError extends InvalidInputError {}

/** A query or path parameter is wrong; `parameter` names it for the answer. */
export class InvalidParameterError extends MalformedRequestError {
  constructor(
    readonly parameter: string,
    reason: string,
  ) {
    super('invalid-parameter', `${parameter}: ${reason}`);
  }
}

/** The thing asked for does not exist; the message names it. */
export class NotFoundError extends BurnrateError {
  readonly kind = 'not-found';
}
