/** One HTTP request to a chat service, as the worker prepared it. */
export interface ChatRequest {
  url: string;
  body: unknown;
  /** The delivery's key: a receiver that keeps it can drop the one duplicate a crash can cause. */
  idempotencyKey: string;
  headers?: Record<string, string>;
}

/** What the service answered; `status` 0 with `error` when no answer came. */
export interface ChatAnswer {
  status: number;
  retryAfter: string | null;
  error?: string;
}

/** The one adapter that talks HTTP to chat services. */
export class ChatTransport {
  constructor(
    private readonly timeoutMs: number,
    private readonly fetchFn: typeof fetch = (input, init) => fetch(input, init),
  ) {}

  async post(request: ChatRequest): Promise<ChatAnswer> {
    try {
      const response = await this.fetchFn(request.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json; charset=utf-8',
          'idempotency-key': request.idempotencyKey,
          'user-agent': 'burnrate',
          ...request.headers,
        },
        body: JSON.stringify(request.body),
        signal: AbortSignal.timeout(this.timeoutMs),
        redirect: 'error',
      });
      const text = await response.text();
      return {
        status: response.status,
        retryAfter: response.headers.get('retry-after'),
        ...(response.ok ? {} : { error: text.slice(0, 300) }),
      };
    } catch (error) {
      return { status: 0, retryAfter: null, error: error instanceof Error ? error.message : String(error) };
    }
  }
}
