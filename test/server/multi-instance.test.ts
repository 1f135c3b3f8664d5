import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSecret } from '../../server/keys/key-format.ts';
import { startRedisServer, type TestRedisServer } from '../helpers/redis-server.ts';
import { startSharedInstances, type TestServer } from '../helpers/test-server.ts';
import { expectError } from './security-suite.ts';

/** Three instances sharing one Redis and one data folder, as behind a load balancer. */
describe('several instances sharing Redis', () => {
  let redis: TestRedisServer;
  let a: TestServer;
  let b: TestServer;
  let c: TestServer;
  let corpusId: number;

  beforeAll(async () => {
    redis = await startRedisServer();
    [a, b, c] = (await startSharedInstances(3, redis.url)) as [TestServer, TestServer, TestServer];
    corpusId = await a.createCorpus('shared');
    await a.indexDocuments(corpusId, [
      { documentId: 'd', title: 'Kiln', sections: [{ text: 'The kiln fires pottery.' }] },
    ]);
  });
  afterAll(async () => {
    for (const s of [c, b, a]) await s?.close();
    await redis?.stop();
  });

  const ask = (server: TestServer, apiKey: string) =>
    server.query('/v1/query', { query: [{ query: 'kiln', corpusKey: [{ corpusId }] }] }, apiKey);

  it('a disable on one instance is refused on the next request to every other', async () => {
    const { keyId, apiKey } = await a.createKey({ corpusIds: [corpusId] });
    // Warm every instance's cache with the key's enabled state first.
    for (const s of [a, b, c]) expect((await ask(s, apiKey)).status).toBe(200);
    await a.setKeyEnabled(keyId, false);
    for (const s of [b, c, a]) expectError(await ask(s, apiKey), 403, 'KEY_DISABLED');

    await b.setKeyEnabled(keyId, true);
    for (const s of [a, c, b]) expect((await ask(s, apiKey)).status).toBe(200);

    await c.admin('/v1/delete-api-key', { keyId: [keyId] });
    for (let round = 0; round < 3; round++) {
      for (const s of [a, b, c]) expectError(await ask(s, apiKey), 401, 'API_KEY_UNKNOWN');
    }
  });

  it('a key created on one instance is never throttled as a guess on another', async () => {
    // An address (every visitor, behind a proxy without TRUST_PROXY) sends b many unknown keys.
    let throttled = false;
    for (let i = 0; i < 200 && !throttled; i++) {
      throttled = (await ask(b, generateSecret('API_KEY_TYPE__SERVING'))).status === 429;
    }
    expect(throttled).toBe(true);
    // Keys created (and rotated) on a are announced to b with their secret hashes.
    const created = await a.createKey({ corpusIds: [corpusId] });
    expect((await ask(b, created.apiKey)).status).toBe(200);
    const rotated = await a.admin('/v1/rotate-api-key', { keyId: created.keyId, graceSeconds: 0 });
    expect((await ask(b, rotated.body.apiKey)).status).toBe(200);
    // Guesses from that address are still refused without a lookup.
    expectError(await ask(b, generateSecret('API_KEY_TYPE__SERVING')), 429, 'RATE_LIMITED');
  });

  it('a rotation with no grace refuses the old secret everywhere at once', async () => {
    const { keyId, apiKey: old } = await a.createKey({ corpusIds: [corpusId] });
    for (const s of [a, b, c]) expect((await ask(s, old)).status).toBe(200);
    const rotated = await b.admin('/v1/rotate-api-key', { keyId, graceSeconds: 0 });
    for (const s of [a, b, c]) {
      expectError(await ask(s, old), 401, 'API_KEY_UNKNOWN');
      expect((await ask(s, rotated.body.apiKey)).status).toBe(200);
    }
  });

  it('concurrent rotations build on each other: a grace-0 rotation always kills the old secret', async () => {
    for (let round = 0; round < 5; round++) {
      const { keyId, apiKey: leaked } = await a.createKey({ corpusIds: [corpusId] });
      const [now, later] = await Promise.all([
        b.admin('/v1/rotate-api-key', { keyId, graceSeconds: 0 }),
        c.admin('/v1/rotate-api-key', { keyId, graceSeconds: 3600 }),
      ]);
      expect([now.status, later.status]).toEqual([200, 200]);
      for (const s of [a, b, c]) expectError(await ask(s, leaked), 401, 'API_KEY_UNKNOWN');
      // Whichever came last, its secret works.
      const working = await Promise.all(
        [now, later].map(async (r) => (await ask(a, r.body.apiKey)).status),
      );
      expect(working).toContain(200);
    }
  });

  it('concurrent settings changes on different instances are all kept', async () => {
    const { keyId } = await a.createKey({ corpusIds: [corpusId] });
    await Promise.all([
      b.admin('/v1/update-api-key', { keyId, limits: { perMinute: 111 } }),
      c.admin('/v1/update-api-key', { keyId, limits: { perIpPerMinute: 22 } }),
      a.admin('/v1/update-api-key', { keyId, description: 'kept' }),
    ]);
    const list = await a.admin('/v1/list-api-keys', {});
    const key = list.body.keyData.find((k: { apiKey: { id: string } }) => k.apiKey.id === keyId);
    expect(key.settings.limits).toMatchObject({ perMinute: 111, perIpPerMinute: 22 });
    expect(key.apiKey.description).toBe('kept');
  });

  it('fails closed while Redis is down and recovers by itself, never accepting a revoked key', async () => {
    const live = await a.createKey({ corpusIds: [corpusId] });
    const revoked = await a.createKey({ corpusIds: [corpusId] });
    await a.setKeyEnabled(revoked.keyId, false);
    for (const s of [a, b, c]) {
      expect((await ask(s, live.apiKey)).status).toBe(200);
      expectError(await ask(s, revoked.apiKey), 403, 'KEY_DISABLED');
    }

    await redis.kill();
    for (const s of [a, b, c]) {
      expectError(await ask(s, live.apiKey), 503, 'KEY_STORE_UNAVAILABLE');
      expect((await ask(s, revoked.apiKey)).status).not.toBe(200);
      const health = await fetch(`${s.url}/healthz`);
      expect(health.status).toBe(503);
      expect((await health.json()).keyStore).toBe('unavailable');
    }

    // The test Redis keeps nothing on disk: after the restart the keys are gone, so the
    // revoked key must stay refused (as unknown) and nothing may answer 5xx for long.
    await redis.restart();
    const deadline = Date.now() + 15_000;
    let healthy = false;
    while (!healthy && Date.now() < deadline) {
      const statuses = await Promise.all(
        [a, b, c].map(async (s) => (await fetch(`${s.url}/healthz`)).status),
      );
      healthy = statuses.every((st) => st === 200);
      for (const s of [a, b, c]) expect((await ask(s, revoked.apiKey)).status).not.toBe(200);
      if (!healthy) await new Promise((r) => setTimeout(r, 100));
    }
    expect(healthy).toBe(true);
    for (const s of [a, b, c]) expectError(await ask(s, revoked.apiKey), 401, 'API_KEY_UNKNOWN');
    const fresh = await a.createKey({ corpusIds: [corpusId] });
    for (const s of [a, b, c]) expect((await ask(s, fresh.apiKey)).status).toBe(200);
  });

  it('admits exactly the per-key limit across instances under concurrency', async () => {
    const limit = 30;
    const { apiKey } = await a.createKey({
      corpusIds: [corpusId],
      limits: { perMinute: limit, perIpPerMinute: 10_000 },
    });
    const servers = [a, b, c];
    const results = await Promise.all(
      Array.from({ length: limit * 3 }, (_, i) => ask(servers[i % 3] as TestServer, apiKey)),
    );
    expect(results.filter((r) => r.status === 200)).toHaveLength(limit);
    expect(results.filter((r) => r.status === 429)).toHaveLength(limit * 2);
  });
});
