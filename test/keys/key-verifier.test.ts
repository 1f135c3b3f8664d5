import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SqliteDatabase } from '../../server/db/open-database.ts';
import { openDatabase } from '../../server/db/open-database.ts';
import { generateSecret, hashSecret } from '../../server/keys/key-format.ts';
import type { ApiKeyRecord } from '../../server/keys/key-store.ts';
import { KeyVerifier, keyCacheTtlMs } from '../../server/keys/key-verifier.ts';
import { SqliteKeyStore } from '../../server/keys/sqlite-key-store.ts';
import { GuessThrottle } from '../../server/limits/guess-throttle.ts';
import { makeKeyRecord, updateKey } from './key-store-suite.ts';

/** The verifier under a clock the test moves, over a real SQLite store whose lookups it counts. */
describe('KeyVerifier', () => {
  let dir: string;
  let db: SqliteDatabase;
  let store: SqliteKeyStore;
  let now: number;
  let lookups: string[];
  let verifier: KeyVerifier;
  const visitor = '203.0.113.7';

  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'sg-verifier-'));
    db = openDatabase(dir);
    store = new SqliteKeyStore(db);
    now = 1_800_000_000_000;
    lookups = [];
    const find = store.findBySecretHash.bind(store);
    store.findBySecretHash = (hash) => {
      lookups.push(hash);
      return find(hash);
    };
    verifier = new KeyVerifier(store, {
      unknownKeys: new GuessThrottle({ limit: 3, windowMs: 60_000 }),
      now: () => now,
    });
  });
  afterEach(() => {
    verifier.close();
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const newKey = async (overrides: Partial<ApiKeyRecord> = {}) => {
    const secret = generateSecret('API_KEY_TYPE__SERVING');
    const key = makeKeyRecord({
      secrets: [{ hash: hashSecret(secret), validUntil: null }],
      ...overrides,
    });
    await store.create(key);
    return { key, secret };
  };

  it('serves a key from its cache for the TTL, then looks it up again', async () => {
    const { secret } = await newKey();
    expect((await verifier.verify(secret, visitor)).valid).toBe(true);
    now += keyCacheTtlMs - 1;
    expect((await verifier.verify(secret, visitor)).valid).toBe(true);
    expect(lookups).toHaveLength(1);
    now += 1;
    expect((await verifier.verify(secret, visitor)).valid).toBe(true);
    expect(lookups).toHaveLength(2);
  });

  it('drops a key the moment it changes, without waiting for the TTL', async () => {
    const { key, secret } = await newKey();
    await verifier.verify(secret, visitor);
    await updateKey(store, key.customerId, key.id, { enabled: false });
    expect(await verifier.verify(secret, visitor)).toMatchObject({
      valid: false,
      code: 'KEY_DISABLED',
    });
    expect(lookups).toHaveLength(2);
  });

  it('never caches a lookup that a change overtook (the generation guard)', async () => {
    const { key, secret } = await newKey();
    const find = store.findBySecretHash;
    let release: () => void = () => {};
    store.findBySecretHash = async (hash) => {
      const record = await find(hash);
      await new Promise<void>((resolve) => {
        release = resolve;
      });
      return record;
    };
    const pending = verifier.verify(secret, visitor);
    await new Promise((resolve) => setImmediate(resolve));
    store.findBySecretHash = find;
    await updateKey(store, key.customerId, key.id, { enabled: false });
    release();
    // The slow lookup read the key before the disable; it may answer that once, never cache it.
    await pending;
    expect(await verifier.verify(secret, visitor)).toMatchObject({ code: 'KEY_DISABLED' });
  });

  it('refuses a rotated-away secret once its grace ends, and an expired key', async () => {
    const { key, secret } = await newKey();
    const hash = hashSecret(secret);
    await store.change(key.customerId, key.id, (r) => ({
      ...r,
      secrets: [
        { hash: 'f'.repeat(64), validUntil: null },
        { hash, validUntil: now + 1_000 },
      ],
    }));
    expect((await verifier.verify(secret, visitor)).valid).toBe(true);
    now += 1_000;
    expect(await verifier.verify(secret, visitor)).toMatchObject({ code: 'API_KEY_UNKNOWN' });
    const expiring = await newKey({ expiresAt: now + 5 });
    expect((await verifier.verify(expiring.secret, visitor)).valid).toBe(true);
    now += 5;
    expect(await verifier.verify(expiring.secret, visitor)).toMatchObject({ code: 'KEY_EXPIRED' });
  });

  it('throttles a visitor who presents too many unknown keys, without store lookups', async () => {
    for (let i = 0; i < 3; i++) {
      expect(await verifier.verify(generateSecret('API_KEY_TYPE__SERVING'), visitor)).toMatchObject(
        {
          code: 'API_KEY_UNKNOWN',
        },
      );
    }
    const before = lookups.length;
    const refused = await verifier.verify(generateSecret('API_KEY_TYPE__SERVING'), visitor);
    expect(refused).toMatchObject({ code: 'RATE_LIMITED', retryAfterSeconds: 60 });
    expect(lookups).toHaveLength(before);
    // Another visitor is not affected, and the window ends.
    expect(
      await verifier.verify(generateSecret('API_KEY_TYPE__SERVING'), '198.51.100.1'),
    ).toMatchObject({
      code: 'API_KEY_UNKNOWN',
    });
    now += 60_000;
    expect(await verifier.verify(generateSecret('API_KEY_TYPE__SERVING'), visitor)).toMatchObject({
      code: 'API_KEY_UNKNOWN',
    });
  });

  it('never throttles a real key, even once its cache entry is gone', async () => {
    const { secret } = await newKey();
    await verifier.verify(secret, visitor);
    for (let i = 0; i < 3; i++)
      await verifier.verify(generateSecret('API_KEY_TYPE__SERVING'), visitor);
    now += keyCacheTtlMs;
    verifier.dropCache();
    expect((await verifier.verify(secret, visitor)).valid).toBe(true);
  });

  it('never throttles a key created after the visitor was throttled (created on any instance)', async () => {
    for (let i = 0; i < 3; i++)
      await verifier.verify(generateSecret('API_KEY_TYPE__SERVING'), visitor);
    // The store announces the new key's secret hash with the change, as Redis does to every instance.
    const { secret } = await newKey();
    expect((await verifier.verify(secret, visitor)).valid).toBe(true);
  });

  it('keeps real keys cached while a flood of unknown keys fills its own, smaller map', async () => {
    const { secret } = await newKey();
    await verifier.verify(secret, visitor);
    const flood = new KeyVerifier(store, {
      unknownKeys: new GuessThrottle({ limit: 1e9 }),
      now: () => now,
    });
    await flood.verify(secret, visitor);
    for (let i = 0; i < 2_100; i++)
      await flood.verify(generateSecret('API_KEY_TYPE__SERVING'), `v${i}`);
    expect(flood.cacheSize).toEqual({ keys: 1, unknown: 2_000 });
    const seen = lookups.length;
    expect((await flood.verify(secret, visitor)).valid).toBe(true);
    expect(lookups).toHaveLength(seen);
    flood.close();
  });

  it('turns junk away before the store: wrong checksum, admin tokens, other formats', async () => {
    const { secret } = await newKey();
    const wrongChecksum = `${secret.slice(0, -1)}${secret.endsWith('A') ? 'B' : 'A'}`;
    for (const junk of [wrongChecksum, generateSecret('admin'), 'sgq_short', '', 'x'.repeat(500)]) {
      expect(await verifier.verify(junk, `junk-${junk.length}`)).toMatchObject({
        code: 'API_KEY_UNKNOWN',
      });
    }
    expect(lookups).toEqual([]);
  });
});
