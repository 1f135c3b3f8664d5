import type { ErrorCode } from '../errors.ts';

export const keyTypes = ['API_KEY_TYPE__SERVING', 'API_KEY_TYPE__SERVING_INDEXING'] as const;
export type KeyType = (typeof keyTypes)[number];

export interface KeyLimits {
  /** Requests per minute for the whole key. */
  perMinute: number;
  /** Requests per minute per visitor IP within the key. */
  perIpPerMinute: number;
  /** Requests per UTC day for the whole key; null = no quota. */
  dailyQuota: number | null;
}

export const defaultKeyLimits: KeyLimits = { perMinute: 600, perIpPerMinute: 60, dailyQuota: null };

/** A secret that opens the key: the current one, and during a rotation grace the previous one. */
export interface KeySecret {
  /** Hex SHA-256 of the full secret string. The secret itself is never stored. */
  hash: string;
  /** Epoch ms after which this secret is refused; null = no end (the current secret). */
  validUntil: number | null;
}

/** Everything the server knows about an API key. Never holds the secret. */
export interface ApiKeyRecord {
  /** Public identifier (`key_…`), safe to log and show. */
  id: string;
  customerId: number;
  description: string;
  type: KeyType;
  corpusIds: number[];
  enabled: boolean;
  /** Epoch ms. */
  createdAt: number;
  /** Epoch ms; null = never expires. */
  expiresAt: number | null;
  /** Exact origins or `https://*.example.com` patterns; empty = any origin. */
  allowedOrigins: string[];
  limits: KeyLimits;
  secrets: KeySecret[];
}

/** What an owner may change after creation; `limits` may name only the limits that change. */
export type KeySettings = Partial<
  Pick<ApiKeyRecord, 'description' | 'enabled' | 'expiresAt' | 'allowedOrigins' | 'corpusIds'>
> & { limits?: Partial<KeyLimits> };

/**
 * A key's new secrets, or how to compute them from the key as it is when the change applies:
 * a function is run again on a concurrent change, so two rotations cannot undo each other.
 */
export type SecretsChange = KeySecret[] | ((current: ApiKeyRecord) => KeySecret[]);

/** The outcome of one request made with a key, for usage counters. */
export type KeyOutcome = 'ok' | ErrorCode;

export interface KeyUsage {
  /** Requests accepted today (UTC). */
  requestsToday: number;
  /** Refusals today (UTC) by error code. */
  refusalsToday: Partial<Record<ErrorCode, number>>;
  /** Epoch ms of the last request made with the key, or null. */
  lastUsedAt: number | null;
}

export interface AuditEntry {
  /** Epoch ms. */
  at: number;
  customerId: number;
  /** Who acted: `admin` (token), `cli`, `console`, … as told by the caller. */
  actor: string;
  action: 'create' | 'disable' | 'enable' | 'rotate' | 'delete' | 'update';
  keyId: string;
  /** What changed, never a secret. */
  details: Record<string, unknown>;
}

/**
 * Where API keys live: Redis when REDIS_URL is set (shared by every instance), else the
 * embedded SQLite file. Infrastructure failures throw KeyStoreUnavailableError; a missing
 * key is `null`, never an exception.
 */
export interface KeyStore {
  /** Stores a new key whose only secret is `record.secrets`. */
  create(record: ApiKeyRecord): Promise<void>;
  findBySecretHash(hash: string): Promise<ApiKeyRecord | null>;
  get(customerId: number, id: string): Promise<ApiKeyRecord | null>;
  /** All keys of an account, oldest first. */
  list(customerId: number): Promise<ApiKeyRecord[]>;
  /** Applies settings; returns the updated record or null when there is no such key. */
  update(customerId: number, id: string, settings: KeySettings): Promise<ApiKeyRecord | null>;
  /**
   * Replaces the key's secrets (rotation): `secrets` is the full new list, for example the new
   * secret plus the old one with a grace `validUntil`. Returns null when there is no such key.
   */
  replaceSecrets(
    customerId: number,
    id: string,
    secrets: SecretsChange,
  ): Promise<ApiKeyRecord | null>;
  /** Deletes for good; returns false when there was no such key. */
  delete(customerId: number, id: string): Promise<boolean>;
  /** Adds `count` (default 1) requests with this outcome; `at` is the latest one's time. */
  recordUsage(id: string, outcome: KeyOutcome, at: number, count?: number): Promise<void>;
  usage(ids: string[], now: number): Promise<Map<string, KeyUsage>>;
  appendAudit(entry: AuditEntry): Promise<void>;
  /** Newest first. */
  listAudit(customerId: number, limit: number): Promise<AuditEntry[]>;
  /**
   * Calls `listener(keyId)` whenever any instance changes a key, and `listener(null)` when
   * changes may have been missed (reconnect): then every cached key must be dropped.
   * Returns an unsubscribe function.
   */
  onChange(listener: (keyId: string | null) => void): () => void;
  /** True when the store can answer right now (health checks). */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}
