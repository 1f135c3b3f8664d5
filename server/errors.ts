/**
 * The one list of error codes the API answers with, and the status each maps to.
 * Every non-2xx body is `{ error: { code, message, requestId } }`; clients branch on `code`.
 */
export const errorStatus = {
  // 400: the request itself is wrong; the message names the field.
  INVALID_ARGUMENT: 400,
  INVALID_JSON: 400,
  INVALID_ENCODING: 400,
  INVALID_FILTER: 400,
  CUSTOMER_ID_MISSING: 400,
  // 401: we do not know who is asking.
  API_KEY_MISSING: 401,
  API_KEY_UNKNOWN: 401,
  ADMIN_TOKEN_MISSING: 401,
  ADMIN_TOKEN_INVALID: 401,
  // 403: we know who is asking, and the answer is no.
  KEY_DISABLED: 403,
  KEY_EXPIRED: 403,
  WRONG_ACCOUNT: 403,
  CORPUS_NOT_ALLOWED: 403,
  SCOPE_NOT_ALLOWED: 403,
  ADMIN_ONLY: 403,
  ORIGIN_NOT_ALLOWED: 403,
  INDEX_KEY_IN_BROWSER: 403,
  // 404, 405, 413, 415
  NOT_FOUND: 404,
  CORPUS_NOT_FOUND: 404,
  DOCUMENT_NOT_FOUND: 404,
  KEY_NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  // 429: spending control.
  RATE_LIMITED: 429,
  QUOTA_EXCEEDED: 429,
  // 5xx: never with internals in the body.
  INTERNAL: 500,
  STORAGE_UNAVAILABLE: 503,
  KEY_STORE_UNAVAILABLE: 503,
} as const satisfies Record<string, number>;

export type ErrorCode = keyof typeof errorStatus;

export const isErrorCode = (value: string): value is ErrorCode => Object.hasOwn(errorStatus, value);

/** An error meant for the client: its code and message are safe to show. */
export class ApiError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly headers: Record<string, string>;

  constructor(code: ErrorCode, message: string, headers: Record<string, string> = {}) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.status = errorStatus[code];
    this.headers = headers;
  }
}

/** Thrown by infrastructure (key store, rate-limit store) when it cannot answer: we fail closed. */
export class KeyStoreUnavailableError extends Error {
  constructor(cause?: unknown) {
    super('The key store is unreachable', { cause });
    this.name = 'KeyStoreUnavailableError';
  }
}

export const errorBody = (code: ErrorCode, message: string, requestId: string) => ({
  error: { code, message, requestId },
});
