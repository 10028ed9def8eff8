/**
 * The one slice of `fetch` every outbound adapter takes (Grafana, rulers, Prometheus, chat), so
 * that tests, the CLI and the server inject their own and no library calls the global.
 */
export type FetchLike = (
  url: string,
  init: { method: string; headers: Record<string, string>; body?: string; signal?: AbortSignal },
) => Promise<{ ok: boolean; status: number; text(): Promise<string> }>;

/** `fetch failed` says nothing; its cause (connect ECONNREFUSED, ENOTFOUND, a timeout) does. */
export function fetchFailureReason(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  if (error.name === 'TimeoutError') return 'no answer in time';
  const cause = (error as { cause?: unknown }).cause;
  return cause instanceof Error ? cause.message : error.message;
}
