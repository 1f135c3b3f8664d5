/** A failed search; `code` is the server's error code, or NETWORK / HTTP_<status> when it sent none. */
export class SearchError extends Error {
  readonly code: string;
  readonly status: number;
  /** Seconds from `Retry-After`, 0 when absent. */
  readonly retryAfter: number;

  constructor(code: string, status: number, retryAfter = 0) {
    super(code);
    this.code = code;
    this.status = status;
    this.retryAfter = retryAfter;
  }
}

/**
 * The error an unsuccessful answer stands for. v1 bodies carry `error.code`, v2 bodies `code`
 * (Searchgate's addition; Vectara's own v2 errors have only `messages`).
 */
export const errorFromResponse = (response: Response, body: unknown): SearchError => {
  const answer = body as { code?: unknown; error?: { code?: unknown } } | undefined;
  const code = answer?.code ?? answer?.error?.code;
  const retryAfter = Number(response.headers.get('retry-after'));
  return new SearchError(
    typeof code === 'string' ? code : `HTTP_${response.status}`,
    response.status,
    Math.max(retryAfter || 0, 0),
  );
};
