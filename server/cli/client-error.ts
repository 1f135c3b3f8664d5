/** The server said no, or could not be reached (`status` 0, `code` `NETWORK`). */
export class ClientError extends Error {
  readonly status: number;
  readonly code: string;
  readonly requestId: string | undefined;
  /** From a `Retry-After` header in seconds, when the server sent one (429, 503). */
  readonly retryAfterSeconds: number | undefined;
  /** v2 400s: each bad field as the request named it (`allowed_origins[0]`), with what is wrong. */
  readonly fieldErrors: Readonly<Record<string, string>>;

  constructor(
    status: number,
    code: string,
    message: string,
    details: {
      requestId?: string | undefined;
      retryAfterSeconds?: number | undefined;
      fieldErrors?: Record<string, string> | undefined;
    } = {},
  ) {
    super(message);
    this.name = 'ClientError';
    this.status = status;
    this.code = code;
    this.requestId = details.requestId;
    this.retryAfterSeconds = details.retryAfterSeconds;
    this.fieldErrors = details.fieldErrors ?? {};
  }
}
