export type PublishErrorCode = 'GRAFANA_NOT_CONFIGURED' | 'RULER_NOT_CONFIGURED' | 'INVALID_CATALOG';

/** A publish that cannot start; the controller maps the code to an HTTP status. */
export class PublishError extends Error {
  constructor(
    readonly code: PublishErrorCode,
    message: string,
  ) {
    super(message);
  }
}
