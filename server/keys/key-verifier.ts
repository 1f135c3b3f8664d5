import type { ErrorCode } from '../errors.ts';
import type { GuessThrottle } from '../limits/guess-throttle.ts';
import { hashSecret, parseSecret } from './key-format.ts';
import type { ApiKeyRecord, KeyChange, KeyStore } from './key-store.ts';

export type Verification =
  | { valid: true; key: ApiKeyRecord }
  | {
      valid: false;
      code: ErrorCode;
      message: string;
      /** The key, when it exists (disabled, expired): for CORS and usage counters. */
      key?: ApiKeyRecord;
      /** RATE_LIMITED: seconds until this visitor may present unknown keys again. */
      retryAfterSeconds?: number;
    };

interface CacheEntry {
  key: ApiKeyRecord | null;
  fetchedAt: number;
}

/** Upper bound on how stale a cached key may be when an invalidation message is lost. */
export const keyCacheTtlMs = 2_000;
const maxCacheEntries = 10_000;
const maxUnknownEntries = 2_000;
const maxKnownEntries = 50_000;

export interface KeyVerifierOptions {
  /** Bounds how often one visitor may present keys that do not exist. */
  unknownKeys: GuessThrottle;
  now?: () => number;
}

/**
 * Decides which API key a presented secret is, and whether it may be used now: format and
 * checksum first (junk never reaches the store), then the key record from a short-lived
 * per-instance cache that every key change empties at once (the store announces this instance's
 * own changes before they return, and other instances' through its channel). It is the only
 * owner of that cache. A refused key is a result; an unreachable store throws (fail closed).
 */
export class KeyVerifier {
  readonly #store: KeyStore;
  readonly #unknownKeys: GuessThrottle;
  readonly #now: () => number;
  /** Real keys by secret hash, and each key's cached hashes, so a change drops them in O(1). */
  readonly #cache = new Map<string, CacheEntry>();
  readonly #hashesByKey = new Map<string, Set<string>>();
  /** Secrets that opened no key: their own, smaller map, so a flood cannot push real keys out. */
  readonly #unknown = new Map<string, CacheEntry>();
  /**
   * Hashes that belong to real keys (looked up here, or created or rotated on any instance):
   * kept across invalidations, so a real key is never throttled as someone's guess.
   */
  readonly #known = new Set<string>();
  // Bumped by every change: a lookup that started before one must not refill the cache.
  #generation = 0;
  /** Counts since start, for operators' metrics. */
  readonly stats = {
    cacheHits: 0,
    cacheMisses: 0,
    /** Lookups refused without a store read (a visitor sending too many unknown keys). */
    throttled: 0,
    /** Change announcements heard, per key and "drop everything" (a reconnect). */
    keyChanges: 0,
    resyncs: 0,
  };
  readonly #unsubscribe: () => void;

  constructor(store: KeyStore, options: KeyVerifierOptions) {
    this.#store = store;
    this.#unknownKeys = options.unknownKeys;
    this.#now = options.now ?? Date.now;
    this.#unsubscribe = store.onChange((change) => this.#onChange(change));
  }

  /** `visitor` is the caller's address, for the unknown-key throttle. */
  async verify(secret: string, visitor: string): Promise<Verification> {
    const kind = parseSecret(secret);
    if (kind === null || kind === 'admin') {
      return this.#unknownKey(visitor, 'The API key is not valid.');
    }
    const hash = hashSecret(secret);
    const now = this.#now();
    const cached = this.#cache.get(hash) ?? this.#unknown.get(hash);
    const fresh = cached !== undefined && now - cached.fetchedAt < keyCacheTtlMs;
    if (!fresh && !this.#known.has(hash)) {
      // Each lookup of a never-seen secret costs a store round trip the per-key limits cannot
      // count (there is no key): a visitor who sent too many unknown keys gets no more for a while.
      const wait = this.#unknownKeys.retryAfter(visitor, now);
      if (wait > 0) {
        this.stats.throttled++;
        return {
          valid: false,
          code: 'RATE_LIMITED',
          message: `Too many requests with unknown API keys from this address. Try again in ${wait} s.`,
          retryAfterSeconds: wait,
        };
      }
    }
    if (fresh) this.stats.cacheHits++;
    else this.stats.cacheMisses++;
    const key = fresh ? cached.key : await this.#lookup(hash, now);
    if (!key) {
      return this.#unknownKey(
        visitor,
        'The API key does not exist: it was deleted, replaced by rotation, or mistyped.',
      );
    }
    const secretEntry = key.secrets.find((s) => s.hash === hash);
    if (!secretEntry || (secretEntry.validUntil !== null && secretEntry.validUntil <= now)) {
      return this.#unknownKey(
        visitor,
        'The API key was replaced by rotation and its grace period has ended.',
      );
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

  /** How many keys are cached (real, unknown): for metrics and tests. */
  get cacheSize(): { keys: number; unknown: number } {
    return { keys: this.#cache.size, unknown: this.#unknown.size };
  }

  /** Forgets every cached key (as after a reconnect); known secrets stay known. */
  dropCache(): void {
    this.#onChange({ keyId: null });
  }

  close(): void {
    this.#unsubscribe();
    this.#cache.clear();
    this.#hashesByKey.clear();
    this.#unknown.clear();
  }

  #unknownKey(visitor: string, message: string): Verification {
    this.#unknownKeys.recordFailure(visitor, this.#now());
    return { valid: false, code: 'API_KEY_UNKNOWN', message };
  }

  #onChange(change: KeyChange): void {
    this.#generation++;
    if (change.keyId === null) this.stats.resyncs++;
    else this.stats.keyChanges++;
    if (change.keyId === null) {
      this.#cache.clear();
      this.#hashesByKey.clear();
      this.#unknown.clear();
      return;
    }
    for (const hash of change.newSecretHashes) {
      this.#noteKnown(hash);
      // A secret just created was perhaps tried before it existed.
      this.#unknown.delete(hash);
    }
    const hashes = this.#hashesByKey.get(change.keyId);
    if (!hashes) return;
    for (const hash of hashes) this.#cache.delete(hash);
    this.#hashesByKey.delete(change.keyId);
  }

  #noteKnown(hash: string): void {
    this.#known.delete(hash);
    if (this.#known.size >= maxKnownEntries) {
      const oldest = this.#known.values().next().value;
      if (oldest !== undefined) this.#known.delete(oldest);
    }
    this.#known.add(hash);
  }

  async #lookup(hash: string, now: number): Promise<ApiKeyRecord | null> {
    const generation = this.#generation;
    const key = await this.#store.findBySecretHash(hash);
    if (key) this.#noteKnown(hash);
    if (generation !== this.#generation) return key;
    if (key) {
      this.#evictOldest(this.#cache, maxCacheEntries);
      this.#cache.set(hash, { key, fetchedAt: now });
      const hashes = this.#hashesByKey.get(key.id) ?? new Set<string>();
      hashes.add(hash);
      this.#hashesByKey.set(key.id, hashes);
    } else {
      this.#evictOldest(this.#unknown, maxUnknownEntries);
      this.#unknown.set(hash, { key: null, fetchedAt: now });
    }
    return key;
  }

  /** Both maps evict their oldest entry when full, never everything. */
  #evictOldest(cache: Map<string, CacheEntry>, capacity: number): void {
    if (cache.size < capacity) return;
    const oldest = cache.entries().next();
    if (oldest.done) return;
    const [hash, entry] = oldest.value;
    cache.delete(hash);
    if (entry.key) {
      const hashes = this.#hashesByKey.get(entry.key.id);
      hashes?.delete(hash);
      if (hashes?.size === 0) this.#hashesByKey.delete(entry.key.id);
    }
  }
}
