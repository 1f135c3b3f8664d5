import type { AdminClient } from './admin-client.ts';

/**
 * The owner's admin API, typed: what the CLI and the key console both call. Plain `fetch`
 * underneath (through `AdminClient`), so it runs in Node and in the browser alike.
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

export class OwnerApi {
  readonly #client: AdminClient;

  constructor(client: AdminClient) {
    this.#client = client;
  }

  async listKeys(): Promise<KeyData[]> {
    const body = await this.#client.post<{ keyData?: KeyData[] }>('/v1/list-api-keys', {
      numResults: 1000,
    });
    return body.keyData ?? [];
  }

  async createKey(input: NewKeyInput): Promise<IssuedKey> {
    const body = await this.#client.post<{ response?: IssuedKey[] }>('/v1/create-api-key', {
      apiKeyData: [input],
    });
    const issued = body.response?.[0];
    if (!issued) throw new Error('the server created no key');
    return { keyId: issued.keyId, apiKey: issued.apiKey };
  }

  async setEnabled(keyIds: string[], enable: boolean): Promise<void> {
    await this.#client.post('/v1/enable-api-key', {
      keyEnablement: keyIds.map((keyId) => ({ keyId, enable })),
    });
  }

  async deleteKeys(keyIds: string[]): Promise<void> {
    await this.#client.post('/v1/delete-api-key', { keyId: keyIds });
  }

  async updateKey(keyId: string, settings: KeySettingsInput): Promise<KeyData> {
    const body = await this.#client.post<{ keyData: KeyData }>('/v1/update-api-key', {
      keyId,
      ...settings,
    });
    return body.keyData;
  }

  async rotateKey(keyId: string, graceSeconds: number): Promise<IssuedKey> {
    const body = await this.#client.post<IssuedKey>('/v1/rotate-api-key', { keyId, graceSeconds });
    return { keyId: body.keyId, apiKey: body.apiKey };
  }

  async listCorpora(): Promise<CorpusInfo[]> {
    const body = await this.#client.post<{ corpus?: CorpusInfo[] }>('/v1/list-corpora', {
      numResults: 1000,
    });
    return body.corpus ?? [];
  }

  async createCorpus(name: string, description = ''): Promise<number> {
    const body = await this.#client.post<{ corpusId: number }>('/v1/create-corpus', {
      corpus: { name, description },
    });
    return body.corpusId;
  }

  async deleteCorpus(corpusId: number): Promise<void> {
    await this.#client.post('/v1/delete-corpus', { corpusId });
  }

  async listAudit(numResults = 100): Promise<AuditLogEntry[]> {
    const body = await this.#client.post<{ entry?: AuditLogEntry[] }>('/v1/list-audit-log', {
      numResults,
    });
    return body.entry ?? [];
  }
}
