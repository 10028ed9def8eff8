/** Grafana refused a request the publisher cannot work around (authentication, permissions, 5xx). */
export class GrafanaPublishError extends Error {
  readonly code = 'GRAFANA_REFUSED';

  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = 'GrafanaPublishError';
  }
}
