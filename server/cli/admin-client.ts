/** A small typed client for a running Searchgate server (or any Vectara-v1-compatible one). */

export interface AdminClientOptions {
  /** Server root, e.g. `http://127.0.0.1:8080`. */
  url: string;
  /** Admin token, sent as `Authorization: Bearer …`. */
  token?: string;
  /** API key (e.g. an indexing key), sent as `x-api-key`. */
  apiKey?: string;
  customerId: number | string;
  /** Which tool is calling (`cli`, `console`), recorded in the audit log. */
  client?: string;
}

/** The server said no, or could not be reached (`status` 0, `code` `NETWORK`). */
export class ClientError extends Error {
  readonly status: number;
  readonly code: string;
  readonly requestId: string | undefined;
  /** From a `Retry-After` header in seconds, when the server sent one (429, 503). */
  readonly retryAfterSeconds: number | undefined;

  constructor(
    status: number,
    code: string,
    message: string,
    details: { requestId?: string | undefined; retryAfterSeconds?: number | undefined } = {},
  ) {
    super(message);
    this.name = 'ClientError';
    this.status = status;
    this.code = code;
    this.requestId = details.requestId;
    this.retryAfterSeconds = details.retryAfterSeconds;
  }
}

interface ErrorBody {
  error?: { code?: unknown; message?: unknown; requestId?: unknown };
}

const asString = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value : undefined;

function retryAfter(response: Response): number | undefined {
  const header = response.headers.get('retry-after');
  if (header === null || !/^\d+$/.test(header.trim())) return undefined;
  return Number(header.trim());
}

export class AdminClient {
  readonly #base: URL;
  readonly #headers: Record<string, string>;

  constructor(options: AdminClientOptions) {
    this.#base = new URL(options.url.endsWith('/') ? options.url : `${options.url}/`);
    this.#headers = {
      'content-type': 'application/json',
      accept: 'application/json',
      'customer-id': String(options.customerId),
    };
    if (options.token !== undefined) this.#headers.authorization = `Bearer ${options.token}`;
    if (options.apiKey !== undefined) this.#headers['x-api-key'] = options.apiKey;
    if (options.client !== undefined) this.#headers['x-searchgate-client'] = options.client;
  }

  /** POSTs JSON and returns the parsed answer; any non-2xx answer throws a `ClientError`. */
  async post<T = unknown>(path: string, body: unknown, signal?: AbortSignal): Promise<T> {
    const url = new URL(path.replace(/^\//, ''), this.#base);
    let response: Response;
    try {
      response = await fetch(url, {
        method: 'POST',
        headers: this.#headers,
        body: JSON.stringify(body),
        ...(signal ? { signal } : {}),
      });
    } catch (error) {
      const cause = (error as { cause?: { code?: unknown; message?: unknown } }).cause;
      const reason = asString(cause?.code) ?? asString(cause?.message) ?? String(error);
      throw new ClientError(0, 'NETWORK', `cannot reach ${this.#base.origin}: ${reason}`);
    }
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = text === '' ? undefined : JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    if (!response.ok) {
      const error = (parsed as ErrorBody | undefined)?.error;
      throw new ClientError(
        response.status,
        asString(error?.code) ?? `HTTP_${response.status}`,
        asString(error?.message) ?? (response.statusText || `HTTP ${response.status}`),
        { requestId: asString(error?.requestId), retryAfterSeconds: retryAfter(response) },
      );
    }
    if (parsed === undefined && text !== '') {
      throw new ClientError(response.status, 'INVALID_RESPONSE', 'the server answered non-JSON');
    }
    return parsed as T;
  }
}
