import { fetchFailureReason as reason, UpstreamError, type FetchLike } from '@burnrate/contracts';

/** The slice of `fetch` the client uses: the one seam every outbound adapter takes. */
export type PrometheusFetch = FetchLike;

export type PrometheusErrorCode = 'prometheus-unreachable' | 'prometheus-error' | 'prometheus-bad-response';

/** A failed call to Prometheus, with a code the edges map to exit codes or HTTP answers. */
export class PrometheusClientError extends UpstreamError {
  declare readonly code: PrometheusErrorCode;

  constructor(code: PrometheusErrorCode, message: string, status?: number) {
    super(code, message, 'Prometheus', status);
  }
}

export interface PrometheusClientOptions {
  /** `http://prometheus:9090`, or a Mimir/Thanos query path such as `http://mimir/prometheus`. */
  baseUrl: string;
  /** Sent on every request: `X-Scope-OrgID` for multi-tenant backends, `Authorization`. */
  headers?: Record<string, string>;
  fetch: PrometheusFetch;
  timeoutMs?: number;
}

/** One element of an instant vector. */
export interface VectorSample {
  metric: Record<string, string>;
  value: [number, string];
}

interface ApiAnswer {
  status?: string;
  errorType?: string;
  error?: string;
  data?: { resultType?: string; result?: unknown };
}

/** The Prometheus HTTP API (`/api/v1/...`): owns the IO, answers plain data or a typed error. */
export class PrometheusClient {
  private readonly baseUrl: string;

  private readonly timeoutMs: number;

  constructor(private readonly options: PrometheusClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.timeoutMs = options.timeoutMs ?? 30_000;
  }

  /**
   * An instant query, at `time` or the server's now; POSTed, so long batched expressions fit.
   * The signal abandons it (shutdown), on top of the client's own timeout.
   */
  async query(expr: string, time?: Date, signal?: AbortSignal): Promise<VectorSample[]> {
    const form = new URLSearchParams({ query: expr });
    if (time) form.set('time', (time.getTime() / 1000).toFixed(3));
    const data = await this.post('/api/v1/query', form, signal);
    if (data.resultType !== 'vector' || !Array.isArray(data.result)) {
      throw new PrometheusClientError(
        'prometheus-bad-response',
        `${this.baseUrl}: expected a vector, got ${data.resultType ?? 'nothing'}`,
      );
    }
    return data.result as VectorSample[];
  }

  private async post(
    path: string,
    form: URLSearchParams,
    signal?: AbortSignal,
  ): Promise<NonNullable<ApiAnswer['data']>> {
    const url = `${this.baseUrl}${path}`;
    let response: Awaited<ReturnType<PrometheusFetch>>;
    let text: string;
    try {
      response = await this.options.fetch(url, {
        method: 'POST',
        headers: { ...this.options.headers, 'Content-Type': 'application/x-www-form-urlencoded' },
        body: form.toString(),
        signal: signal
          ? AbortSignal.any([signal, AbortSignal.timeout(this.timeoutMs)])
          : AbortSignal.timeout(this.timeoutMs),
      });
      text = await response.text();
    } catch (error) {
      const timedOut = error instanceof Error && error.name === 'TimeoutError';
      throw new PrometheusClientError(
        'prometheus-unreachable',
        timedOut
          ? `Prometheus at ${this.baseUrl} gave no answer within ${this.timeoutMs} ms`
          : `cannot reach Prometheus at ${this.baseUrl}: ${reason(error)}`,
      );
    }
    let answer: ApiAnswer;
    try {
      answer = JSON.parse(text) as ApiAnswer;
    } catch {
      throw new PrometheusClientError(
        'prometheus-bad-response',
        `${url} answered ${response.status} with no Prometheus API answer: ${text.slice(0, 200).trim() || '(empty)'}`,
        response.status,
      );
    }
    if (!response.ok || answer.status !== 'success' || !answer.data) {
      const detail = answer.error
        ? `${answer.errorType ? `${answer.errorType}: ` : ''}${answer.error}`
        : text.slice(0, 200);
      throw new PrometheusClientError(
        'prometheus-error',
        `${url} answered ${response.status}: ${detail}`,
        response.status,
      );
    }
    return answer.data;
  }
}
