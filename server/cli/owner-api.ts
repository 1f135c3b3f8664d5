import type { DocumentInput } from '../search/search-types.ts';

/**
 * The one client for a running Searchgate server (or any Vectara-v1-compatible one): what every
 * CLI command and the key console call. Commands see typed operations only; which routes and
 * bodies carry them (Vectara v1 today) is decided here alone, so the wire can move to v2 without
 * touching a command. Plain `fetch`, so it runs in Node and in the browser alike.
 */

export type WireKeyType = 'API_KEY_TYPE__SERVING' | 'API_KEY_TYPE__SERVING_INDEXING';

export interface WireKeyLimits {
  perMinute: number;
  perIpPerMinute: number;
  dailyQuota: number | null;
}

export interface KeyData {
  apiKey: {
    id: string;
    description: string;
    keyType: WireKeyType;
    enabled: boolean;
    status: 'ENABLED' | 'DISABLED';
    tsStart: string;
    tsEnd: string;
  };
  corpus: Array<{ id: number; name: string }>;
  settings: {
    allowedOrigins: string[];
    expiresAt: string | null;
    limits: WireKeyLimits;
    createdAt: string | null;
    rotationGraceUntil: string | null;
  };
  usage: {
    requestsToday: number;
    refusalsToday: Record<string, number>;
    lastUsedAt: string | null;
  };
}

export interface CorpusInfo {
  id: number;
  name: string;
  description: string;
  dtProvision: string;
  enabled: boolean;
  documentCount: number;
}

export interface AuditLogEntry {
  at: string;
  customerId: number;
  actor: string;
  action: 'create' | 'disable' | 'enable' | 'rotate' | 'delete' | 'update';
  keyId: string;
  details: Record<string, unknown>;
}

/** Settings a key is created with or changed to; omitted fields stay as they are. */
export interface KeySettingsInput {
  description?: string;
  corpusId?: number[];
  allowedOrigins?: string[];
  /** ISO 8601 with offset, epoch ms, or null for never. */
  expiresAt?: string | number | null;
  limits?: Partial<WireKeyLimits>;
}

export interface NewKeyInput extends KeySettingsInput {
  apiKeyType: WireKeyType;
  corpusId: number[];
}

/** A secret as the server hands it out: once, at creation or rotation. */
export interface IssuedKey {
  keyId: string;
  apiKey: string;
}

/** Enabled, disabled, or past its expiry (which the server reports as enabled). */
export type KeyStatus = 'enabled' | 'disabled' | 'expired';

export function keyStatus(key: KeyData, now = Date.now()): KeyStatus {
  if (!key.apiKey.enabled) return 'disabled';
  const expires = key.settings.expiresAt === null ? null : Date.parse(key.settings.expiresAt);
  return expires !== null && expires <= now ? 'expired' : 'enabled';
}

export const keyTypeLabel = (type: WireKeyType): string =>
  type === 'API_KEY_TYPE__SERVING_INDEXING' ? 'query + index' : 'query only';

/** The two lines an owner pastes into a page: the widget module and the element. */
export function embedSnippet(options: {
  origin: string;
  apiKey: string;
  customerId: number | string;
  corpusIds: number[];
}): string {
  const origin = options.origin.replace(/\/+$/, '');
  return (
    `<script type="module" src="${origin}/search-gate.js"></script>\n` +
    `<search-gate endpoint="${origin}" api-key="${options.apiKey}" customer-id="${options.customerId}" corpus-id="${options.corpusIds.join(',')}"></search-gate>`
  );
}

export interface OwnerApiOptions {
  /** Server root, e.g. `http://127.0.0.1:8080`. */
  url: string;
  customerId: number | string;
  /** Admin token, sent as `Authorization: Bearer …`. */
  token?: string | undefined;
  /** API key (an indexing key), sent as `x-api-key`. */
  apiKey?: string | undefined;
  /** Which tool is calling (`cli`, `console`), recorded in the audit log. */
  client?: string | undefined;
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

/** What indexing one document did. */
export type IndexResult = 'indexed' | 'unchanged';

const asString = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value : undefined;

/** v1 errors are `{error: {code, message, requestId}}`, v2 ones `{code, messages, request_id}`. */
function errorFields(body: unknown): { code?: string; message?: string; requestId?: string } {
  if (body === null || typeof body !== 'object') return {};
  const { error, code, messages, request_id } = body as Record<string, unknown>;
  const v1 = error !== null && typeof error === 'object' ? (error as Record<string, unknown>) : {};
  const firstMessage = Array.isArray(messages) ? asString(messages[0]) : undefined;
  const fields = {
    code: asString(v1.code) ?? asString(code),
    message: asString(v1.message) ?? firstMessage,
    requestId: asString(v1.requestId) ?? asString(request_id),
  };
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined));
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

export class OwnerApi {
  readonly #base: URL;
  readonly #customerId: number;
  readonly #headers: Record<string, string>;

  constructor(options: OwnerApiOptions) {
    this.#base = new URL(options.url.endsWith('/') ? options.url : `${options.url}/`);
    this.#customerId = Number(options.customerId);
    this.#headers = {
      'content-type': 'application/json',
      accept: 'application/json',
      'customer-id': String(options.customerId),
    };
    if (options.token !== undefined) this.#headers.authorization = `Bearer ${options.token}`;
    if (options.apiKey !== undefined) this.#headers['x-api-key'] = options.apiKey;
    if (options.client !== undefined) this.#headers['x-searchgate-client'] = options.client;
  }

  /** The server's origin: what pages load the widget from and send their queries to. */
  get origin(): string {
    return this.#base.origin;
  }

  async listKeys(): Promise<KeyData[]> {
    const body = await this.#post<{ keyData?: KeyData[] }>('/v1/list-api-keys', {
      numResults: 1000,
    });
    return body.keyData ?? [];
  }

  async findKey(keyId: string): Promise<KeyData | undefined> {
    return (await this.listKeys()).find((key) => key.apiKey.id === keyId);
  }

  async createKey(input: NewKeyInput): Promise<IssuedKey> {
    const body = await this.#post<{ response?: IssuedKey[] }>('/v1/create-api-key', {
      apiKeyData: [input],
    });
    const issued = body.response?.[0];
    if (!issued) throw new ClientError(200, 'INVALID_RESPONSE', 'the server created no key');
    return { keyId: issued.keyId, apiKey: issued.apiKey };
  }

  async setEnabled(keyIds: string[], enable: boolean): Promise<void> {
    await this.#post('/v1/enable-api-key', {
      keyEnablement: keyIds.map((keyId) => ({ keyId, enable })),
    });
  }

  async deleteKeys(keyIds: string[]): Promise<void> {
    await this.#post('/v1/delete-api-key', { keyId: keyIds });
  }

  async updateKey(keyId: string, settings: KeySettingsInput): Promise<KeyData> {
    const body = await this.#post<{ keyData: KeyData }>('/v1/update-api-key', {
      keyId,
      ...settings,
    });
    return body.keyData;
  }

  async rotateKey(keyId: string, graceSeconds: number): Promise<IssuedKey> {
    const body = await this.#post<IssuedKey>('/v1/rotate-api-key', { keyId, graceSeconds });
    return { keyId: body.keyId, apiKey: body.apiKey };
  }

  async listCorpora(): Promise<CorpusInfo[]> {
    const body = await this.#post<{ corpus?: CorpusInfo[] }>('/v1/list-corpora', {
      numResults: 1000,
    });
    return body.corpus ?? [];
  }

  async createCorpus(name: string, description = ''): Promise<number> {
    const body = await this.#post<{ corpusId: number }>('/v1/create-corpus', {
      corpus: { name, description },
    });
    return body.corpusId;
  }

  async deleteCorpus(corpusId: number): Promise<void> {
    await this.#post('/v1/delete-corpus', { corpusId });
  }

  async listAudit(numResults = 100): Promise<AuditLogEntry[]> {
    const body = await this.#post<{ entry?: AuditLogEntry[] }>('/v1/list-audit-log', {
      numResults,
    });
    return body.entry ?? [];
  }

  /** Adds or replaces one document; a refusal (even inside a 200 answer) is a `ClientError`. */
  async indexDocument(corpusId: number, document: DocumentInput): Promise<IndexResult> {
    const response = await this.#post<
      { status?: { code?: string; statusDetail?: string } } | undefined
    >('/v1/index', v1IndexBody(this.#customerId, corpusId, document));
    const code = response?.status?.code ?? 'OK';
    const detail = response?.status?.statusDetail ?? '';
    // Searchgate answers OK + "unchanged" when the stored document is identical; Vectara
    // answers ALREADY_EXISTS for an existing id.
    if (code === 'ALREADY_EXISTS') return 'unchanged';
    if (code !== 'OK') throw new ClientError(200, code, detail || `status ${code}`);
    return /\bunchanged\b/i.test(detail) ? 'unchanged' : 'indexed';
  }

  /** POSTs JSON and returns the parsed answer; any non-2xx answer throws a `ClientError`. */
  async #post<T = unknown>(path: string, body: unknown): Promise<T> {
    const url = new URL(path.replace(/^\//, ''), this.#base);
    let response: Response;
    try {
      response = await fetch(url, {
        method: 'POST',
        headers: this.#headers,
        body: JSON.stringify(body),
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
      const fields = errorFields(parsed);
      throw new ClientError(
        response.status,
        fields.code ?? `HTTP_${response.status}`,
        fields.message ?? (response.statusText || `HTTP ${response.status}`),
        { requestId: fields.requestId, retryAfterSeconds: retryAfter(response) },
      );
    }
    if (parsed === undefined && text !== '') {
      throw new ClientError(response.status, 'INVALID_RESPONSE', 'the server answered non-JSON');
    }
    return parsed as T;
  }
}
