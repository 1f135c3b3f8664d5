import type { ErrorCode } from '../errors.ts';
import { hashSecret, parseSecret } from './key-format.ts';
import type { ApiKeyRecord, KeyStore } from './key-store.ts';

export type Verification =
  | { valid: true; key: ApiKeyRecord }
  | { valid: false; code: ErrorCode; message: string; key?: ApiKeyRecord };

interface CacheEntry {
  key: ApiKeyRecord | null;
  fetchedAt: number;
}

/** Upper bound on how stale a cached key may be when an invalidation message is lost. */
export const keyCacheTtlMs = 2_000;
const maxCacheEntries = 10_000;
const maxUnknownEntries = 2_000;
const maxKnownEntries = 50_000;

/**
 * Checks a presented secret: format and checksum first (junk never reaches the store), then
 * the key record, from a short-lived per-instance cache that every key change empties at once.
 * A refused key is a result; an unreachable store throws (the caller fails closed).
 */
export class KeyVerifier {
  readonly #store: KeyStore;
  readonly #now: () => number;
  readonly #cache = new Map<string, CacheEntry>();
  readonly #unknown = new Map<string, CacheEntry>();
  /** Hashes that belonged to a real key when last looked up: kept across invalidations. */
  readonly #known = new Set<string>();
  // Bumped by every invalidation: a lookup that started before one must not refill the cache.
  #generation = 0;
  readonly #unsubscribe: () => void;

  constructor(store: KeyStore, now: () => number = Date.now) {
    this.#store = store;
    this.#now = now;
    this.#unsubscribe = store.onChange((keyId) => this.invalidate(keyId));
  }

  /**
   * `mayLookUp` is asked before a key that is not cached is looked up in the store; when it
   * says no, the answer is RATE_LIMITED (a visitor presenting too many unknown keys).
   */
  async verify(secret: string, mayLookUp: () => boolean = () => true): Promise<Verification> {
    const kind = parseSecret(secret);
    if (kind === null || kind === 'admin') {
      return { valid: false, code: 'API_KEY_UNKNOWN', message: 'The API key is not valid.' };
    }
    const hash = hashSecret(secret);
    const now = this.#now();
    const cached = this.#cache.get(hash) ?? this.#unknown.get(hash);
    const fresh = cached !== undefined && now - cached.fetchedAt < keyCacheTtlMs;
    // Only secrets this instance has never seen belong to a key can be throttled: a real key
    // whose cache entry just expired must never be refused because of someone's guessing.
    if (!fresh && !this.#known.has(hash) && !mayLookUp()) {
      return {
        valid: false,
        code: 'RATE_LIMITED',
        message: 'Too many requests with unknown API keys from this address.',
      };
    }
    const key = fresh ? cached.key : await this.#lookup(hash, now);
    if (!key) {
      return {
        valid: false,
        code: 'API_KEY_UNKNOWN',
        message: 'The API key does not exist: it was deleted, replaced by rotation, or mistyped.',
      };
    }
    const secretEntry = key.secrets.find((s) => s.hash === hash);
    if (!secretEntry || (secretEntry.validUntil !== null && secretEntry.validUntil <= now)) {
      return {
        valid: false,
        code: 'API_KEY_UNKNOWN',
        message: 'The API key was replaced by rotation and its grace period has ended.',
      };
    }
    if (!key.enabled) {
      return { valid: false, code: 'KEY_DISABLED', message: 'The API key is disabled.', key };
    }
    if (key.expiresAt !== null && key.expiresAt <= now) {
      return {
        valid: false,
        code: 'KEY_EXPIRED',
        message: `The API key expired at ${new Date(key.expiresAt).toISOString()}.`,
        key,
      };
    }
    return { valid: true, key };
  }

  /** Remembers that a secret belongs to a real key (it was just created or rotated here). */
  noteKnown(hash: string): void {
    if (this.#known.size >= maxKnownEntries) {
      const oldest = this.#known.values().next().value;
      if (oldest !== undefined) this.#known.delete(oldest);
    }
    this.#known.add(hash);
  }

  /** Drops one key (or, with null, every key) from this instance's cache. */
  invalidate(keyId: string | null): void {
    this.#generation++;
    if (keyId === null) {
      this.#cache.clear();
      this.#unknown.clear();
      return;
    }
    for (const [hash, entry] of this.#cache) {
      if (entry.key?.id === keyId) this.#cache.delete(hash);
    }
  }

  close(): void {
    this.#unsubscribe();
    this.#cache.clear();
    this.#unknown.clear();
  }

  async #lookup(hash: string, now: number): Promise<ApiKeyRecord | null> {
    const generation = this.#generation;
    const key = await this.#store.findBySecretHash(hash);
    if (key) this.noteKnown(hash);
    if (generation === this.#generation) {
      // Unknown keys get their own, smaller map: a flood of made-up keys must not push the
      // real ones out. Both evict their oldest entry, never everything.
      const cache = key ? this.#cache : this.#unknown;
      if (cache.size >= (key ? maxCacheEntries : maxUnknownEntries)) {
        const oldest = cache.keys().next().value;
        if (oldest !== undefined) cache.delete(oldest);
      }
      cache.set(hash, { key, fetchedAt: now });
    }
    return key;
  }
}
