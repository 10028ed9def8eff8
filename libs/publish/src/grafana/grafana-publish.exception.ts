import { UpstreamError } from '@burnrate/contracts';

/** Grafana could not be reached or refused a request the publisher cannot work around. */
export class GrafanaPublishError extends UpstreamError {}
