import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KeyStoreUnavailableError } from '../../server/errors.ts';
import { connectRedis, type RedisConnection } from '../../server/keys/redis-connection.ts';
import { RedisKeyStore } from '../../server/keys/redis-key-store.ts';
import { startRedisServer, type TestRedisServer } from '../helpers/redis-server.ts';
import { deleteKey, makeKeyRecord, runKeyStoreSuite, updateKey } from './key-store-suite.ts';

let redis: TestRedisServer;
beforeAll(async () => {
  redis = await startRedisServer();
});
afterAll(async () => {
  await redis?.stop();
});

async function openStore(prefix: string) {
  // Short start-up wait: when Redis is down the store must come up without it anyway.
  const connection = await connectRedis(redis.url, { startupWaitMs: 300 });
  const store = await RedisKeyStore.create({ ...connection, prefix });
  return { connection, store };
}

runKeyStoreSuite(
  'RedisKeyStore',
  async () => {
    const prefix = `test:${randomBytes(6).toString('hex')}:`;
    const opened: { connection: RedisConnection; store: RedisKeyStore }[] = [
      await openStore(prefix),
    ];
    return {
      store: opened[0]?.store as RedisKeyStore,
      openPeer: async () => {
        const peer = await openStore(prefix);
        opened.push(peer);
        return peer.store;
      },
      cleanup: async () => {
        for (const { connection, store } of opened) {
          await store.close();
          await connection.close();
        }
      },
    };
  },
  { sharedAcrossInstances: true },
);

describe('RedisKeyStore when Redis goes away', () => {
  it('fails fast with KeyStoreUnavailableError, then recovers by itself and clears caches', async () => {
    const { connection, store } = await openStore(`test:${randomBytes(6).toString('hex')}:`);
    const heard: (string | null)[] = [];
    store.onChange((change) => heard.push(change.keyId));
    try {
      const key = makeKeyRecord();
      await store.create(key);
      heard.length = 0;

      await redis.kill();
      // Every operation is refused, none hangs: a hang would time the test out.
      const operations = [
        () => store.findBySecretHash(key.secrets[0]?.hash ?? ''),
        () => store.get(key.customerId, key.id),
        () => store.list(key.customerId),
        () => updateKey(store, key.customerId, key.id, { enabled: false }),
        () => deleteKey(store, key.customerId, key.id),
        () => store.create(makeKeyRecord()),
        () => store.usage([key.id], Date.now()),
        () => store.listAudit(key.customerId, 10),
      ];
      for (const operation of operations) {
        await expect(operation()).rejects.toBeInstanceOf(KeyStoreUnavailableError);
      }
      expect(await store.ping()).toBe(false);
      await expect(store.recordUsage(key.id, 'ok', Date.now(), 1)).rejects.toBeInstanceOf(
        KeyStoreUnavailableError,
      );

      // Redis comes back empty (no persistence); the store reconnects with no help.
      await redis.restart();
      await expect.poll(() => store.ping(), { timeout: 10_000 }).toBe(true);
      await expect.poll(() => heard.includes(null), { timeout: 10_000 }).toBe(true);
      await store.create(key);
      expect(await store.get(key.customerId, key.id)).toEqual(key);
    } finally {
      await store.close();
      await connection.close();
    }
  }, 30_000);

  it('fails instead of hanging when Redis stops answering, and carries on after', async () => {
    const { connection, store } = await openStore(`test:${randomBytes(6).toString('hex')}:`);
    try {
      const key = makeKeyRecord();
      await store.create(key);
      redis.pause();
      try {
        // The connection stays open but nothing answers: the deadline must turn that into 503.
        await expect(store.get(key.customerId, key.id)).rejects.toBeInstanceOf(
          KeyStoreUnavailableError,
        );
        await expect(
          updateKey(store, key.customerId, key.id, { enabled: false }),
        ).rejects.toBeInstanceOf(KeyStoreUnavailableError);
        await expect(store.recordUsage(key.id, 'ok', Date.now(), 1)).rejects.toBeInstanceOf(
          KeyStoreUnavailableError,
        );
      } finally {
        redis.resume();
      }
      await expect.poll(() => store.ping(), { timeout: 10_000 }).toBe(true);
      expect((await store.findBySecretHash(key.secrets[0]?.hash ?? ''))?.id).toBe(key.id);
    } finally {
      await store.close();
      await connection.close();
    }
  }, 30_000);

  it('starts while Redis is down and works once it is up', async () => {
    await redis.stop();
    const { connection, store } = await openStore(`test:${randomBytes(6).toString('hex')}:`);
    try {
      await expect(store.list(1)).rejects.toBeInstanceOf(KeyStoreUnavailableError);
      await redis.restart();
      await expect.poll(() => store.ping(), { timeout: 10_000 }).toBe(true);
      const key = makeKeyRecord();
      await store.create(key);
      expect((await store.findBySecretHash(key.secrets[0]?.hash ?? ''))?.id).toBe(key.id);
    } finally {
      await store.close();
      await connection.close();
    }
  }, 30_000);
});
