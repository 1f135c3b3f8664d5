import { KeyStoreUnavailableError } from '../errors.ts';
import { utcDay } from '../limits/utc-day.ts';
import { addedSecretHashes, describeChange, KeyChangeListeners } from './key-change-listeners.ts';
import { parseAuditEntry, parseKeyRecord } from './key-record-schema.ts';
import { secretIsLive, usageFromCounts } from './key-settings.ts';
import type {
  ApiKeyRecord,
  AppliedChange,
  AuditEntry,
  KeyChange,
  KeyChangeFunction,
  KeyChangeListener,
  KeyOutcome,
  KeySecret,
  KeyStore,
  KeyUsage,
} from './key-store.ts';
import type { RedisClient } from './redis-connection.ts';

export interface RedisKeyStoreOptions {
  client: RedisClient;
  /** A second connection used only for SUBSCRIBE (`client.duplicate()`). */
  subscriber: RedisClient;
  /** Namespace for every key and the change channel; default `sg:`. */
  prefix?: string;
  /** An operation without an answer within this time fails with KeyStoreUnavailableError. */
  operationTimeoutMs?: number;
}

const auditCap = 10_000;
const dayMs = 24 * 60 * 60 * 1000;
const usageTtlSeconds = (2 * dayMs) / 1000;
const maxCasAttempts = 20;

/**
 * Compare-and-set for a key record and its secret index, in one atomic step: it applies only
 * when the record is still the JSON we read (`''` = must not exist), so two owners changing the
 * same key at once can never lose a disable. Publishing inside the script makes the broadcast
 * part of the change.
 * KEYS: record, account index, then `nDel` keys to delete, then `nSet` secret keys to set.
 * ARGV: expected, next (`''` = delete the record), channel, id, nDel, nSet, zadd score
 * (`''` = none), the change message to publish, then one validUntil per secret key (`''` = none).
 */
const casScript = `
local current = redis.call('GET', KEYS[1])
if ARGV[1] == '' then
  if current then return 0 end
elseif current ~= ARGV[1] then
  return 0
end
local nDel = tonumber(ARGV[5])
local nSet = tonumber(ARGV[6])
for i = 1, nDel do redis.call('DEL', KEYS[2 + i]) end
for i = 1, nSet do
  local secretKey = KEYS[2 + nDel + i]
  local validUntil = ARGV[8 + i]
  redis.call('SET', secretKey, ARGV[4])
  if validUntil ~= '' then redis.call('PEXPIREAT', secretKey, validUntil) end
end
if ARGV[2] == '' then
  redis.call('DEL', KEYS[1])
  redis.call('ZREM', KEYS[2], ARGV[4])
else
  redis.call('SET', KEYS[1], ARGV[2])
  if ARGV[7] ~= '' then redis.call('ZADD', KEYS[2], ARGV[7], ARGV[4]) end
end
redis.call('PUBLISH', ARGV[3], ARGV[8])
return 1
`;

/** A change message from the channel; anything unreadable is treated as "changes were missed". */
function parseChangeMessage(message: string): KeyChange {
  try {
    const parsed: unknown = JSON.parse(message);
    if (typeof parsed === 'object' && parsed !== null && 'keyId' in parsed) {
      const { keyId, newSecretHashes } = parsed as { keyId: unknown; newSecretHashes?: unknown };
      if (typeof keyId === 'string') {
        const hashes = Array.isArray(newSecretHashes)
          ? newSecretHashes.filter((h): h is string => typeof h === 'string')
          : [];
        return { keyId, newSecretHashes: hashes };
      }
    }
  } catch {
    // Fall through: dropping every cached key is always safe.
  }
  return { keyId: null };
}

/**
 * Keys in Redis, shared by every server instance. Layout under the prefix `p`:
 * `p key:{id}` record JSON, `p secret:{hash}` → id (expiring at a grace secret's validUntil),
 * `p keys:{customerId}` ids by createdAt, `p usage:{id}:{day}` counters by outcome (2-day TTL),
 * `p lastused:{id}`, `p audit:{customerId}` newest-first capped list, channel `p key-changes`.
 */
export class RedisKeyStore implements KeyStore {
  readonly #client: RedisClient;
  readonly #subscriber: RedisClient;
  readonly #prefix: string;
  readonly #channel: string;
  readonly #timeoutMs: number;
  readonly #changes = new KeyChangeListeners();
  readonly #onMessage = (message: string) => this.#changes.emit(parseChangeMessage(message));
  // Messages may have been missed while the subscriber was away: every cache must be dropped.
  readonly #onSubscriberReady = () => this.#changes.emit({ keyId: null });

  private constructor(options: RedisKeyStoreOptions) {
    this.#client = options.client;
    this.#subscriber = options.subscriber;
    this.#prefix = options.prefix ?? 'sg:';
    this.#channel = `${this.#prefix}key-changes`;
    this.#timeoutMs = options.operationTimeoutMs ?? 1000;
  }

  /**
   * Subscribes to the change channel. Waits for the subscription only when Redis is up, so the
   * server starts while Redis is down; node-redis subscribes again on every reconnect.
   */
  static async create(options: RedisKeyStoreOptions): Promise<RedisKeyStore> {
    const store = new RedisKeyStore(options);
    store.#subscriber.on('ready', store.#onSubscriberReady);
    const subscribed = store.#subscriber.subscribe(store.#channel, store.#onMessage);
    subscribed.catch(() => {});
    if (store.#subscriber.isReady) await store.#guard(() => subscribed);
    return store;
  }

  #key(kind: string, id: string | number): string {
    return `${this.#prefix}${kind}:${id}`;
  }

  #usageKey(id: string, at: number): string {
    return `${this.#prefix}usage:${id}:${utcDay(at)}`;
  }

  /**
   * Every Redis call goes through here: refused at once while disconnected, bounded in time
   * (node-redis's command timeout ends once the command is written, so a Redis that never
   * answers would hang us), and any failure becomes KeyStoreUnavailableError: callers fail closed.
   */
  async #guard<T>(work: () => Promise<T>): Promise<T> {
    if (!this.#client.isReady) throw new KeyStoreUnavailableError('Redis is not connected');
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new KeyStoreUnavailableError('Redis did not answer in time')),
        this.#timeoutMs,
      );
    });
    try {
      return await Promise.race([work(), deadline]);
    } catch (error) {
      throw error instanceof KeyStoreUnavailableError ? error : new KeyStoreUnavailableError(error);
    } finally {
      clearTimeout(timer);
    }
  }

  async #readRecord(id: string): Promise<string | null> {
    return this.#client.get(this.#key('key', id));
  }

  /** Runs the compare-and-set script; true when it applied. */
  async #compareAndSet(change: {
    id: string;
    customerId: number;
    expected: string;
    next: string;
    deleteKeys: string[];
    secrets: KeySecret[];
    score?: number;
    message: KeyChange;
  }): Promise<boolean> {
    const keys = [
      this.#key('key', change.id),
      this.#key('keys', change.customerId),
      ...change.deleteKeys,
      ...change.secrets.map((s) => this.#key('secret', s.hash)),
    ];
    const args = [
      change.expected,
      change.next,
      this.#channel,
      change.id,
      String(change.deleteKeys.length),
      String(change.secrets.length),
      change.score === undefined ? '' : String(change.score),
      JSON.stringify(change.message),
      ...change.secrets.map((s) => (s.validUntil === null ? '' : String(s.validUntil))),
    ];
    const applied = await this.#client.eval(casScript, { keys, arguments: args });
    return applied === 1;
  }

  async create(record: ApiKeyRecord): Promise<void> {
    const message: KeyChange = {
      keyId: record.id,
      newSecretHashes: addedSecretHashes(null, record),
    };
    const applied = await this.#guard(() =>
      this.#compareAndSet({
        id: record.id,
        customerId: record.customerId,
        expected: '',
        next: JSON.stringify(record),
        deleteKeys: [],
        secrets: record.secrets,
        score: record.createdAt,
        message,
      }),
    );
    if (!applied) throw new Error(`A key with id ${record.id} already exists`);
    this.#changes.emit(message);
  }

  findBySecretHash(hash: string): Promise<ApiKeyRecord | null> {
    return this.#guard(async () => {
      const id = await this.#client.get(this.#key('secret', hash));
      if (id === null) return null;
      const json = await this.#readRecord(id);
      if (json === null) return null;
      const record = parseKeyRecord(json);
      // Redis expiry is lazy to the millisecond; the record's validUntil is the rule.
      return secretIsLive(record, hash, Date.now()) ? record : null;
    });
  }

  get(customerId: number, id: string): Promise<ApiKeyRecord | null> {
    return this.#guard(async () => {
      const json = await this.#readRecord(id);
      if (json === null) return null;
      const record = parseKeyRecord(json);
      return record.customerId === customerId ? record : null;
    });
  }

  list(customerId: number): Promise<ApiKeyRecord[]> {
    return this.#guard(async () => {
      const ids = await this.#client.zRange(this.#key('keys', customerId), 0, -1);
      if (ids.length === 0) return [];
      const jsons = await this.#client.mGet(ids.map((id) => this.#key('key', id)));
      return jsons
        .filter((json): json is string => json !== null)
        .map(parseKeyRecord)
        .filter((record) => record.customerId === customerId);
    });
  }

  /** Read, apply, compare-and-set; retried when another instance changed the key meanwhile. */
  async change(
    customerId: number,
    id: string,
    change: KeyChangeFunction,
  ): Promise<AppliedChange | null> {
    const outcome = await this.#guard(async () => {
      for (let attempt = 0; attempt < maxCasAttempts; attempt++) {
        const json = await this.#readRecord(id);
        if (json === null) return null;
        const before = parseKeyRecord(json);
        if (before.customerId !== customerId) return null;
        const after = change(before);
        const secretsChanged = after === null || after.secrets !== before.secrets;
        const deleteKeys = secretsChanged
          ? before.secrets.map((s) => this.#key('secret', s.hash))
          : [];
        if (after === null) {
          // Today's and yesterday's counters cover every usage key still alive (2-day TTL).
          const now = Date.now();
          deleteKeys.push(
            this.#usageKey(id, now),
            this.#usageKey(id, now - dayMs),
            this.#key('lastused', id),
          );
        }
        const applied = await this.#compareAndSet({
          id,
          customerId,
          expected: json,
          next: after === null ? '' : JSON.stringify(after),
          deleteKeys,
          secrets: secretsChanged && after ? after.secrets : [],
          message: describeChange(id, { before, after }),
        });
        if (applied) return { before, after };
      }
      throw new Error(`Key ${id} kept changing; gave up after ${maxCasAttempts} attempts`);
    });
    // This instance hears its own change at once; the others through the channel.
    if (outcome) this.#changes.emit(describeChange(id, outcome));
    return outcome;
  }

  /** One pipelined round trip, bounded by the guard's deadline like every other call. */
  async recordUsage(id: string, outcome: KeyOutcome, at: number, count: number): Promise<void> {
    const usageKey = this.#usageKey(id, at);
    await this.#guard(() =>
      this.#client
        .multi()
        .hIncrBy(usageKey, outcome, count)
        .expire(usageKey, usageTtlSeconds)
        .set(this.#key('lastused', id), String(at))
        .execAsPipeline(),
    );
  }

  usage(ids: string[], now: number): Promise<Map<string, KeyUsage>> {
    return this.#guard(async () => {
      const result = new Map<string, KeyUsage>();
      if (ids.length === 0) return result;
      const batch = this.#client.multi();
      for (const id of ids) {
        batch.hGetAll(this.#usageKey(id, now)).get(this.#key('lastused', id));
      }
      const replies = await batch.execAsPipeline();
      ids.forEach((id, index) => {
        const counts = (replies[index * 2] ?? {}) as Record<string, string>;
        const lastUsed: unknown = replies[index * 2 + 1];
        result.set(
          id,
          usageFromCounts(
            Object.entries(counts).map(([outcome, count]) => [outcome, Number(count)]),
            typeof lastUsed === 'string' ? Number(lastUsed) : null,
          ),
        );
      });
      return result;
    });
  }

  async appendAudit(entry: AuditEntry): Promise<void> {
    const key = this.#key('audit', entry.customerId);
    await this.#guard(() =>
      this.#client
        .multi()
        .lPush(key, JSON.stringify(entry))
        .lTrim(key, 0, auditCap - 1)
        .exec(),
    );
  }

  listAudit(customerId: number, limit: number): Promise<AuditEntry[]> {
    if (limit <= 0) return Promise.resolve([]);
    return this.#guard(async () => {
      const items = await this.#client.lRange(this.#key('audit', customerId), 0, limit - 1);
      return items.map(parseAuditEntry);
    });
  }

  /**
   * Listeners hear this instance's changes at once (so its own cache is never stale after a
   * change returns) and every instance's changes through pub/sub.
   */
  onChange(listener: KeyChangeListener): () => void {
    return this.#changes.add(listener);
  }

  async ping(): Promise<boolean> {
    try {
      return (await this.#guard(() => this.#client.ping())) === 'PONG';
    } catch {
      return false;
    }
  }

  /** Stops listening; the connections belong to whoever opened them (connectRedis). */
  async close(): Promise<void> {
    this.#changes.clear();
    this.#subscriber.off('ready', this.#onSubscriberReady);
    if (this.#subscriber.isReady) {
      await this.#subscriber.unsubscribe(this.#channel, this.#onMessage).catch(() => {});
    }
  }
}
