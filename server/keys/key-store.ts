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
 * A change to one key as the store applies it: from the record as it is at that moment to the
 * next record, or null to delete the key. Stores may run it more than once (compare-and-set
 * retries), so it must be pure: two concurrent rotations then build on each other.
 */
export type KeyChangeFunction = (current: ApiKeyRecord) => ApiKeyRecord | null;

/** What a change did; `after` is null when the key was deleted. */
export interface AppliedChange {
  before: ApiKeyRecord;
  after: ApiKeyRecord | null;
}

/**
 * What every instance hears when a key changes anywhere. `newSecretHashes` are the secrets the
 * change created (a new key, a rotation), so that no instance throttles them as unknown keys.
 * `keyId: null` means changes may have been missed (a reconnect): drop every cached key.
 */
export type KeyChangeListener = (change: KeyChange) => void;

export type KeyChange = { keyId: string; newSecretHashes: string[] } | { keyId: null };

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
  /**
   * Applies `change` to the key as it is now, atomically (compare-and-set). Returns null when the
   * account has no such key. Every instance hears of it through `onChange`.
   */
  change(customerId: number, id: string, change: KeyChangeFunction): Promise<AppliedChange | null>;
  /**
   * Adds `count` requests with this outcome; `at` is the latest one's time. Throws
   * KeyStoreUnavailableError when it cannot be written (the usage buffer counts the failures).
   */
  recordUsage(id: string, outcome: KeyOutcome, at: number, count: number): Promise<void>;
  usage(ids: string[], now: number): Promise<Map<string, KeyUsage>>;
  appendAudit(entry: AuditEntry): Promise<void>;
  /** Newest first. */
  listAudit(customerId: number, limit: number): Promise<AuditEntry[]>;
  /**
   * Calls `listener` whenever any instance changes a key: this instance's own changes before
   * the change's promise resolves, the others' as soon as the store hears of them.
   * Returns an unsubscribe function.
   */
  onChange(listener: KeyChangeListener): () => void;
  /** True when the store can answer right now (health checks). */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}
