import type { DocumentInput } from '../search/search-types.ts';
import type {
  ApiKeyRole,
  CreateApiKeyRequest,
  ListApiKeysResponse,
  UpdateApiKeyRequest,
  V2ApiKey,
  V2AuditEntry,
} from '../wire/v2-api-keys.ts';
import type { CreateCorpusRequest, ListCorporaResponse, V2Corpus } from '../wire/v2-corpora.ts';
import { ClientError } from './client-error.ts';

/**
 * The one client for a running Searchgate server: what every CLI command and the key console
 * call. It speaks Vectara's REST API v2 owner routes (the admin token is the personal key),
 * except for indexing, which stays on v1 `/v1/index`: it replaces a changed document in one step
 * and reports an unchanged one, where v2 creates a document once. Plain `fetch`, so it runs in
 * Node and in the browser alike.
 */

/** A key as `POST /v2/api_keys` or `…/rotate` answers it: the secret is in it, once. */
export type IssuedKey = V2ApiKey & { secret_key: string };

/** Whether the server stands in front of a Vectara account, as `/healthz` says. */
export type UpstreamState = 'ok' | 'failing' | 'off' | 'unknown';

export interface OwnerApiOptions {
  /** Server root, e.g. `http://127.0.0.1:8080`. */
  url: string;
  /** Account id: checked by v2 when sent, needed by v1 indexing. */
  customerId?: number | string | undefined;
  /** Admin token, sent as `Authorization: Bearer …`. */
  token?: string | undefined;
  /** API key (an indexing key), sent as `x-api-key`. */
  apiKey?: string | undefined;
  /** Which tool is calling (`cli`, `console`), recorded in the audit log. */
  client?: string | undefined;
}

/** What indexing one document did. */
export type IndexResult = 'indexed' | 'unchanged';

/** v2 lists hold at most 100 per page; a server that pages on and on is stopped here. */
const PAGE_SIZE = 100;
const MAX_PAGES = 1_000;

const asString = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value : undefined;

interface ErrorFields {
  code?: string;
  message?: string;
  requestId?: string;
  fieldErrors?: Record<string, string>;
}

/** v2 errors are `{messages, request_id, field_errors?, code}`, v1 ones `{error: {code, message, requestId}}`. */
function errorFields(body: unknown): ErrorFields {
  if (body === null || typeof body !== 'object') return {};
  const { error, code, messages, request_id, field_errors } = body as Record<string, unknown>;
  const v1 = error !== null && typeof error === 'object' ? (error as Record<string, unknown>) : {};
  const firstMessage = Array.isArray(messages) ? asString(messages[0]) : undefined;
  const fieldErrors =
    field_errors !== null && typeof field_errors === 'object'
      ? Object.fromEntries(
          Object.entries(field_errors).filter(
            (entry): entry is [string, string] => typeof entry[1] === 'string',
          ),
        )
      : undefined;
  const fields: ErrorFields = {};
  const found = {
    code: asString(code) ?? asString(v1.code),
    message: firstMessage ?? asString(v1.message),
    requestId: asString(request_id) ?? asString(v1.requestId),
  };
  for (const [name, value] of Object.entries(found)) {
    if (value !== undefined) fields[name as 'code' | 'message' | 'requestId'] = value;
  }
  if (fieldErrors) fields.fieldErrors = fieldErrors;
  return fields;
}

function retryAfter(response: Response): number | undefined {
  const header = response.headers.get('retry-after');
  if (header === null || !/^\d+$/.test(header.trim())) return undefined;
  return Number(header.trim());
}

/** The Vectara v1 `POST /v1/index` body for one document. */
function v1IndexBody(customerId: number, corpusId: number, document: DocumentInput) {
  const metadataJson = (metadata: DocumentInput['metadata']) =>
    Object.keys(metadata).length === 0 ? {} : { metadataJson: JSON.stringify(metadata) };
  return {
    customerId,
    corpusId,
    document: {
      documentId: document.documentId,
      ...(document.title === undefined ? {} : { title: document.title }),
      ...(document.description === undefined ? {} : { description: document.description }),
      ...metadataJson(document.metadata),
      section: document.sections.map((section) => ({
        ...(section.title === undefined ? {} : { title: section.title }),
        text: section.text,
        ...metadataJson(section.metadata),
      })),
    },
  };
}

type Query = Record<string, string | number | undefined>;

interface RequestOptions {
  query?: Query;
  body?: unknown;
  /** Answer with the body whatever the status (`/healthz` says 503 with a body worth reading). */
  anyStatus?: boolean;
}

const keyPath = (id: string) => `/v2/api_keys/${encodeURIComponent(id)}`;
const corpusPath = (key: string) => `/v2/corpora/${encodeURIComponent(key)}`;

export class OwnerApi {
  readonly #base: URL;
  readonly #customerId: number | undefined;
  readonly #headers: Record<string, string>;

  constructor(options: OwnerApiOptions) {
    this.#base = new URL(options.url.endsWith('/') ? options.url : `${options.url}/`);
    const customer = options.customerId;
    this.#customerId = customer === undefined || customer === '' ? undefined : Number(customer);
    this.#headers = { accept: 'application/json' };
    if (this.#customerId !== undefined) this.#headers['customer-id'] = String(this.#customerId);
    if (options.token !== undefined) this.#headers.authorization = `Bearer ${options.token}`;
    if (options.apiKey !== undefined) this.#headers['x-api-key'] = options.apiKey;
    if (options.client !== undefined) this.#headers['x-searchgate-client'] = options.client;
  }

  /** The server's origin: what pages load the widget from and send their queries to. */
  get origin(): string {
    return this.#base.origin;
  }

  /** Every key of the account (with today's usage), optionally only those of a corpus or role. */
  listKeys(filter: { corpusKey?: string; role?: ApiKeyRole } = {}): Promise<V2ApiKey[]> {
    return this.#all<ListApiKeysResponse, V2ApiKey>('/v2/api_keys', 'api_keys', {
      corpus_key: filter.corpusKey,
      api_key_role: filter.role,
    });
  }

  /** One key with today's usage; `KEY_NOT_FOUND` when the account has none with that id. */
  getKey(id: string): Promise<V2ApiKey> {
    return this.#request<V2ApiKey>('GET', keyPath(id));
  }

  async createKey(request: CreateApiKeyRequest): Promise<IssuedKey> {
    return this.#issued(await this.#request<V2ApiKey>('POST', '/v2/api_keys', { body: request }));
  }

  /** `{ enabled }` alone is the kill switch (audited as disable or enable). */
  updateKey(id: string, change: UpdateApiKeyRequest): Promise<V2ApiKey> {
    return this.#request<V2ApiKey>('PATCH', keyPath(id), { body: change });
  }

  setEnabled(id: string, enabled: boolean): Promise<V2ApiKey> {
    return this.updateKey(id, { enabled });
  }

  async deleteKey(id: string): Promise<void> {
    await this.#request('DELETE', keyPath(id));
  }

  /** A new secret; the old one keeps working for `graceSeconds` (`rotation_grace_until`). */
  async rotateKey(id: string, graceSeconds: number): Promise<IssuedKey> {
    const body = { grace_seconds: graceSeconds };
    return this.#issued(await this.#request<V2ApiKey>('POST', `${keyPath(id)}/rotate`, { body }));
  }

  listCorpora(filter?: string): Promise<V2Corpus[]> {
    return this.#all<ListCorporaResponse, V2Corpus>('/v2/corpora', 'corpora', { filter });
  }

  /** Any owner call proves a token; this is the cheapest one. */
  async checkToken(): Promise<void> {
    await this.#request('GET', '/v2/corpora', { query: { limit: 1 } });
  }

  createCorpus(request: CreateCorpusRequest): Promise<V2Corpus> {
    return this.#request<V2Corpus>('POST', '/v2/corpora', { body: request });
  }

  async deleteCorpus(key: string): Promise<void> {
    await this.#request('DELETE', corpusPath(key));
  }

  async listAudit(limit = 100): Promise<V2AuditEntry[]> {
    const body = await this.#request<{ entries?: V2AuditEntry[] }>('GET', '/v2/audit_log', {
      query: { limit },
    });
    return body.entries ?? [];
  }

  /**
   * Whether corpora may be linked to Vectara here: `/healthz` names the upstream's state on
   * servers that have one; `unknown` when the server does not say (then only a create tells).
   */
  async upstreamState(): Promise<UpstreamState> {
    const body = await this.#request<{ upstream?: unknown } | undefined>('GET', '/healthz', {
      anyStatus: true,
    });
    const state = body?.upstream;
    return state === 'ok' || state === 'failing' || state === 'off' ? state : 'unknown';
  }

  /** Adds or replaces one document (v1); a refusal (even inside a 200 answer) is a `ClientError`. */
  async indexDocument(corpusId: number, document: DocumentInput): Promise<IndexResult> {
    if (this.#customerId === undefined) {
      throw new ClientError(0, 'CUSTOMER_ID_MISSING', 'indexing needs the account id');
    }
    const response = await this.#request<
      { status?: { code?: string; statusDetail?: string } } | undefined
    >('POST', '/v1/index', { body: v1IndexBody(this.#customerId, corpusId, document) });
    const code = response?.status?.code ?? 'OK';
    const detail = response?.status?.statusDetail ?? '';
    // Searchgate answers OK + "unchanged" when the stored document is identical; Vectara
    // answers ALREADY_EXISTS for an existing id.
    if (code === 'ALREADY_EXISTS') return 'unchanged';
    if (code !== 'OK') throw new ClientError(200, code, detail || `status ${code}`);
    return /\bunchanged\b/i.test(detail) ? 'unchanged' : 'indexed';
  }

  #issued(key: V2ApiKey): IssuedKey {
    if (typeof key.secret_key !== 'string' || key.secret_key === '') {
      throw new ClientError(200, 'INVALID_RESPONSE', 'the server sent no secret');
    }
    return { ...key, secret_key: key.secret_key };
  }

  /** Follows `metadata.page_key` until the last page. */
  async #all<R extends { metadata?: { page_key?: string } }, T>(
    path: string,
    field: keyof R,
    query: Query,
  ): Promise<T[]> {
    const items: T[] = [];
    let pageKey: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const body = await this.#request<R>('GET', path, {
        query: { ...query, limit: PAGE_SIZE, page_key: pageKey },
      });
      items.push(...((body[field] as T[] | undefined) ?? []));
      pageKey = body.metadata?.page_key;
      if (!pageKey) return items;
    }
    throw new ClientError(200, 'INVALID_RESPONSE', `${path} never reached its last page`);
  }

  /** Sends one request and returns the parsed answer; a non-2xx answer throws a `ClientError`. */
  async #request<T = unknown>(
    method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
    path: string,
    options: RequestOptions = {},
  ): Promise<T> {
    const url = new URL(path.replace(/^\//, ''), this.#base);
    for (const [name, value] of Object.entries(options.query ?? {})) {
      if (value !== undefined) url.searchParams.set(name, String(value));
    }
    const hasBody = options.body !== undefined;
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        headers: hasBody ? { ...this.#headers, 'content-type': 'application/json' } : this.#headers,
        ...(hasBody ? { body: JSON.stringify(options.body) } : {}),
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
    if (!response.ok && !options.anyStatus) {
      const fields = errorFields(parsed);
      throw new ClientError(
        response.status,
        fields.code ?? `HTTP_${response.status}`,
        fields.message ?? (response.statusText || `HTTP ${response.status}`),
        {
          requestId: fields.requestId,
          retryAfterSeconds: retryAfter(response),
          fieldErrors: fields.fieldErrors,
        },
      );
    }
    if (parsed === undefined && text !== '') {
      throw new ClientError(response.status, 'INVALID_RESPONSE', 'the server answered non-JSON');
    }
    return parsed as T;
  }
}
