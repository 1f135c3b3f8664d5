/**
 * The one registry of error codes: each code's HTTP status, and the message a client gets when
 * the thrower has nothing more specific to say. v1 answers `{ error: { code, message, requestId } }`,
 * v2 answers `{ messages, request_id, field_errors?, code }`; clients branch on `code`.
 * The README's error table is checked against this list by a test.
 */
export const errorRegistry = {
  // 400: the request itself is wrong; the message names the field.
  INVALID_ARGUMENT: { status: 400, message: 'A field of the request is not valid.' },
  INVALID_JSON: { status: 400, message: 'The request body must be a JSON object.' },
  INVALID_ENCODING: {
    status: 400,
    message: 'The request body could not be decompressed: it does not match its Content-Encoding.',
  },
  INVALID_FILTER: { status: 400, message: 'The metadata filter does not parse.' },
  CUSTOMER_ID_MISSING: { status: 400, message: 'The customer-id header is required.' },
  MIXED_CORPORA: {
    status: 400,
    message:
      'One query cannot mix corpora linked to Vectara with corpora indexed here: query them apart.',
  },
  CORPUS_IS_LINKED: {
    status: 400,
    message: 'This corpus is linked to a Vectara corpus: index its documents on Vectara, not here.',
  },
  // 401: we do not know who is asking.
  API_KEY_MISSING: { status: 401, message: 'Send an API key in the x-api-key header.' },
  API_KEY_UNKNOWN: {
    status: 401,
    message: 'The API key does not exist: it was deleted, replaced by rotation, or mistyped.',
  },
  ADMIN_TOKEN_MISSING: {
    status: 401,
    message: 'Send the admin token as "Authorization: Bearer <token>" (or in x-api-key on v2).',
  },
  ADMIN_TOKEN_INVALID: { status: 401, message: 'The admin token is not valid.' },
  // 403: we know who is asking, and the answer is no.
  KEY_DISABLED: { status: 403, message: 'The API key is disabled.' },
  KEY_EXPIRED: { status: 403, message: 'The API key has expired.' },
  WRONG_ACCOUNT: {
    status: 403,
    message: 'The key or token belongs to another account than the one named in the request.',
  },
  CORPUS_NOT_ALLOWED: { status: 403, message: 'The API key may not use this corpus.' },
  SCOPE_NOT_ALLOWED: {
    status: 403,
    message: 'This API key may only query; indexing needs an indexing key.',
  },
  ADMIN_ONLY: {
    status: 403,
    message: 'This operation needs the admin token; API keys cannot use it.',
  },
  ORIGIN_NOT_ALLOWED: {
    status: 403,
    message: 'The API key may not be used from this origin.',
  },
  INDEX_KEY_IN_BROWSER: {
    status: 403,
    message:
      'Indexing keys are secrets and must not be used from a web page: use a query-only key there.',
  },
  ADMIN_TOKEN_IN_BROWSER: {
    status: 403,
    message:
      "The admin token is a secret: it is accepted from this server's own pages only, never from another site.",
  },
  // 404, 405, 409, 413, 415
  NOT_FOUND: { status: 404, message: 'There is no such route.' },
  CORPUS_NOT_FOUND: { status: 404, message: 'The corpus does not exist.' },
  DOCUMENT_NOT_FOUND: { status: 404, message: 'The document does not exist.' },
  KEY_NOT_FOUND: { status: 404, message: 'No such API key in this account.' },
  METHOD_NOT_ALLOWED: { status: 405, message: 'This route does not answer that method.' },
  ALREADY_EXISTS: { status: 409, message: 'Something with that key or id already exists.' },
  PAYLOAD_TOO_LARGE: { status: 413, message: 'The request body is larger than allowed.' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, message: 'Send the request body as application/json.' },
  // 429: spending control.
  RATE_LIMITED: { status: 429, message: 'Too many requests: try again shortly.' },
  QUOTA_EXCEEDED: { status: 429, message: 'The API key has used its daily quota.' },
  UPSTREAM_RATE_LIMITED: {
    status: 429,
    message: 'Vectara is rate-limiting this account: try again shortly.',
  },
  // 5xx: never with internals in the body.
  INTERNAL: {
    status: 500,
    message: 'Something went wrong on our side. The request id helps us find it.',
  },
  UPSTREAM_UNAVAILABLE: {
    status: 502,
    message: 'Vectara could not be reached or failed: try again shortly.',
  },
  UPSTREAM_AUTH_FAILED: {
    status: 502,
    message: "This server's Vectara key was refused by Vectara: the operator must replace it.",
  },
  UPSTREAM_BAD_RESPONSE: {
    status: 502,
    message: 'Vectara answered with something this server could not read.',
  },
  UPSTREAM_CORPUS_MISSING: {
    status: 502,
    message:
      'The Vectara corpus this corpus is linked to does not exist on Vectara (or the key cannot see it).',
  },
  STORAGE_UNAVAILABLE: { status: 503, message: 'The index cannot be used right now.' },
  KEY_STORE_UNAVAILABLE: {
    status: 503,
    message: 'Keys cannot be checked right now, so the request was refused. Try again shortly.',
  },
  UPSTREAM_TIMEOUT: { status: 504, message: 'Vectara did not answer in time.' },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof errorRegistry;

export const errorStatus = (code: ErrorCode): number => errorRegistry[code].status;

export const isErrorCode = (value: string): value is ErrorCode =>
  Object.hasOwn(errorRegistry, value);

/** An error meant for the client: its code and message are safe to show. */
export class ApiError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly headers: Record<string, string>;
  /** v2 `field_errors`: each bad field as the client wrote it, with what is wrong. */
  readonly fieldErrors: Record<string, string> | undefined;

  /** `message` replaces the registry's default when the thrower knows more (a field, an id). */
  constructor(
    code: ErrorCode,
    message?: string,
    options: { headers?: Record<string, string>; fieldErrors?: Record<string, string> } = {},
  ) {
    super(message ?? errorRegistry[code].message);
    this.name = 'ApiError';
    this.code = code;
    this.status = errorRegistry[code].status;
    this.headers = options.headers ?? {};
    this.fieldErrors = options.fieldErrors;
  }
}

/** The visitor went away before the answer: nothing to answer, nothing to log. */
export class ClientGoneError extends Error {
  constructor() {
    super('The client closed the connection');
    this.name = 'ClientGoneError';
  }
}

/** Thrown by infrastructure (key store, rate-limit store) when it cannot answer: we fail closed. */
export class KeyStoreUnavailableError extends Error {
  constructor(cause?: unknown) {
    super('The key store is unreachable', { cause });
    this.name = 'KeyStoreUnavailableError';
  }
}
