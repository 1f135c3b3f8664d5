import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorHandler } from '../../server/http/error-handler.ts';
import { OutageLog } from '../../server/http/outage-log.ts';
import type { ApiKeyRecord } from '../../server/keys/key-store.ts';
import { connectRedis, type RedisConnection } from '../../server/keys/redis-connection.ts';
import { createRateLimits, type RateLimitOptions } from '../../server/limits/rate-limits.ts';
import { nextUtcMidnight } from '../../server/limits/utc-day.ts';
import { createLogger } from '../../server/logger.ts';
import { startRedisServer, type TestRedisServer } from '../helpers/redis-server.ts';
import { makeKeyRecord } from './key-store-suite.ts';

/** Keys the test apps know, by id; the request names one in `x-key-id`. */
const keys = new Map<string, ApiKeyRecord>();

function registerKey(limits: Partial<ApiKeyRecord['limits']>): ApiKeyRecord {
  const key = makeKeyRecord();
  key.limits = { ...key.limits, perIpPerMinute: 10_000, perMinute: 10_000, ...limits };
  keys.set(key.id, key);
  return key;
}

interface TestApp {
  url: string;
  close(): Promise<void>;
}

/** A small real Express app: sets the caller as the caller check would, then the limiters. */
async function startApp(options: RateLimitOptions): Promise<TestApp> {
  const app = express();
  app.set('trust proxy', true);
  app.use((request, response, next) => {
    const key = keys.get(request.get('x-key-id') ?? '');
    if (key) response.locals.caller = { kind: 'key', customerId: key.customerId, key };
    next();
  });
  app.get('/q', ...createRateLimits(options).all, (_request, response) => {
    response.json({ ok: true });
  });
  // The server's own error handler, so refusals are answered exactly as in production.
  const logger = createLogger('silent');
  app.use(errorHandler(logger, new OutageLog(logger)));
  const server: Server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/q`,
    close: async () => {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}

async function call(app: TestApp, key: ApiKeyRecord, forwardedFor?: string) {
  const headers: Record<string, string> = { 'x-key-id': key.id };
  if (forwardedFor) headers['x-forwarded-for'] = forwardedFor;
  const response = await fetch(app.url, { headers });
  const body = (await response.json()) as {
    ok?: boolean;
    error?: { code: string; message: string };
  };
  return { status: response.status, headers: response.headers, code: body.error?.code, body };
}

async function statuses(app: TestApp, key: ApiKeyRecord, ips: string[]) {
  const result: (string | number)[] = [];
  for (const ip of ips) {
    const { status, code } = await call(app, key, ip);
    result.push(code ?? status);
  }
  return result;
}

describe('rate limits on a shared Redis', () => {
  let redis: TestRedisServer;
  const connections: RedisConnection[] = [];
  const apps: TestApp[] = [];
  const prefix = `test:${randomBytes(6).toString('hex')}:`;

  beforeAll(async () => {
    redis = await startRedisServer();
    for (let i = 0; i < 3; i++) {
      const connection = await connectRedis(redis.url, { startupWaitMs: 300 });
      connections.push(connection);
      apps.push(await startApp({ redis: connection.client, prefix }));
    }
  });
  afterAll(async () => {
    for (const app of apps) await app.close();
    for (const connection of connections) await connection.close();
    await redis?.stop();
  });

  const instance = (index: number) => apps[index % apps.length] as TestApp;

  it('admits exactly L requests across three instances hammered at once', async () => {
    const limit = 25;
    const key = registerKey({ perMinute: limit });
    const results = await Promise.all(
      Array.from({ length: limit * 3 }, (_, i) => call(instance(i), key)),
    );
    expect(results.filter((r) => r.status === 200)).toHaveLength(limit);
    const refused = results.filter((r) => r.status !== 200);
    expect(refused).toHaveLength(limit * 2);
    for (const r of refused) {
      expect(r.status).toBe(429);
      expect(r.code).toBe('RATE_LIMITED');
    }
  });

  it('counts by key id, never the secret', async () => {
    const key = registerKey({ perMinute: 5 });
    await call(instance(0), key);
    const client = connections[0]?.client;
    const stored = await client?.keys(`${prefix}rl:*`);
    expect(stored).toContain(`${prefix}rl:per-key:${key.id}`);
    const secret = key.secrets[0]?.hash ?? '';
    expect(stored?.some((name) => name.includes(secret))).toBe(false);
  });

  it('limits each visitor within the key, across instances', async () => {
    const key = registerKey({ perIpPerMinute: 2 });
    expect(
      await statuses(instance(0), key, ['198.51.100.1', '198.51.100.1', '198.51.100.2']),
    ).toEqual([200, 200, 200]);
    expect(await statuses(instance(1), key, ['198.51.100.1', '198.51.100.2'])).toEqual([
      'RATE_LIMITED',
      200,
    ]);
    // Another key is counted apart even for the same visitor.
    const other = registerKey({ perIpPerMinute: 2 });
    expect(await statuses(instance(2), other, ['198.51.100.1'])).toEqual([200]);
  });

  it('groups IPv6 visitors by /56 and IPv4-mapped addresses with IPv4', async () => {
    const key = registerKey({ perIpPerMinute: 2 });
    expect(
      await statuses(instance(0), key, [
        '2001:db8:1:100::1',
        '2001:db8:1:1ff:ffff::2', // same /56
        '2001:db8:1:1ab::3', // same /56: over
        '2001:db8:1:200::1', // next /56
      ]),
    ).toEqual([200, 200, 'RATE_LIMITED', 200]);
    expect(
      await statuses(instance(1), key, ['::ffff:203.0.113.5', '203.0.113.5', '203.0.113.5']),
    ).toEqual([200, 200, 'RATE_LIMITED']);
  });

  it('sends RateLimit and RateLimit-Policy headers, and Retry-After with the 429', async () => {
    const key = registerKey({ perMinute: 1, perIpPerMinute: 5 });
    const admitted = await call(instance(0), key);
    expect(admitted.status).toBe(200);
    const policy = admitted.headers.get('ratelimit-policy') ?? '';
    expect(policy).toContain('"per-key"; q=1; w=60');
    expect(policy).toContain('"per-visitor"; q=5; w=60');
    expect(admitted.headers.get('ratelimit')).toMatch(/"per-key"; r=0; t=\d+/);
    // No daily quota on this key: no daily policy.
    expect(policy).not.toContain('daily-quota');

    const refused = await call(instance(1), key);
    expect(refused.status).toBe(429);
    expect(refused.code).toBe('RATE_LIMITED');
    expect(refused.body.error?.message).toContain('1 requests per minute');
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(Number.isInteger(retryAfter)).toBe(true);
    expect(retryAfter).toBeGreaterThanOrEqual(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
  });

  it('enforces the daily quota until the next UTC midnight', async () => {
    const key = registerKey({ dailyQuota: 3 });
    const results = [];
    for (let i = 0; i < 4; i++) results.push(await call(instance(i), key));
    expect(results.map((r) => r.code ?? r.status)).toEqual([200, 200, 200, 'QUOTA_EXCEEDED']);
    const last = results[3];
    expect(last?.headers.get('ratelimit-policy')).toContain('"daily-quota"; q=3; w=86400');
    const retryAfter = Number(last?.headers.get('retry-after'));
    const untilMidnight = Math.ceil((nextUtcMidnight(Date.now()) - Date.now()) / 1000);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(untilMidnight + 1);
    expect(last?.body.error?.message).toContain('daily quota of 3');
  });

  it('fails closed with 503 while Redis is down and recovers after a restart', async () => {
    const key = registerKey({ perMinute: 1000 });
    expect((await call(instance(0), key)).status).toBe(200);

    await redis.kill();
    for (let i = 0; i < 3; i++) {
      const during = await call(instance(i), key);
      expect(during.status).toBe(503);
      expect(during.code).toBe('KEY_STORE_UNAVAILABLE');
    }

    // The restarted Redis is empty: counters and the cached Lua scripts are gone.
    await redis.restart();
    await expect
      .poll(async () => connections.every((c) => c.client.isReady), { timeout: 15_000 })
      .toBe(true);
    for (let i = 0; i < 6; i++) expect((await call(instance(i), key)).status).toBe(200);
  }, 30_000);

  it('fails closed with 503 when Redis hangs, and recovers when it answers again', async () => {
    const key = registerKey({ perMinute: 1000 });
    redis.pause();
    try {
      const during = await call(instance(0), key);
      expect(during.status).toBe(503);
      expect(during.code).toBe('KEY_STORE_UNAVAILABLE');
    } finally {
      redis.resume();
    }
    await expect
      .poll(async () => (await call(instance(0), key)).status === 200, { timeout: 15_000 })
      .toBe(true);
    expect((await call(instance(1), key)).status).toBe(200);
  }, 30_000);

  it('heals a limiter that was created while Redis was down', async () => {
    await redis.stop();
    const connection = await connectRedis(redis.url, { startupWaitMs: 100 });
    const app = await startApp({ redis: connection.client, prefix });
    try {
      const key = registerKey({ perMinute: 2 });
      expect((await call(app, key)).code).toBe('KEY_STORE_UNAVAILABLE');
      await redis.restart();
      await expect.poll(async () => connection.client.isReady, { timeout: 15_000 }).toBe(true);
      expect(await statuses(app, key, ['192.0.2.1', '192.0.2.1', '192.0.2.1'])).toEqual([
        200,
        200,
        'RATE_LIMITED',
      ]);
    } finally {
      await app.close();
      await connection.close();
    }
  }, 30_000);
});

describe('rate limits in memory (embedded default)', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startApp({});
  });
  afterAll(async () => {
    await app.close();
  });

  it('admits exactly L concurrent requests', async () => {
    const limit = 10;
    const key = registerKey({ perMinute: limit });
    const results = await Promise.all(Array.from({ length: limit * 3 }, () => call(app, key)));
    expect(results.filter((r) => r.status === 200)).toHaveLength(limit);
    expect(results.filter((r) => r.code === 'RATE_LIMITED')).toHaveLength(limit * 2);
  });

  it('limits per visitor, per day, and sends the headers', async () => {
    const key = registerKey({ perIpPerMinute: 1, dailyQuota: 2 });
    expect(
      await statuses(app, key, ['2001:db8::1', '2001:db8::2', '192.0.2.7', '192.0.2.8']),
    ).toEqual([200, 'RATE_LIMITED', 200, 'QUOTA_EXCEEDED']);
    const refused = await call(app, key, '192.0.2.9');
    expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(refused.headers.get('ratelimit-policy')).toContain('"daily-quota"; q=2');
  });

  it('lets requests without a verified key through untouched', async () => {
    const response = await fetch(app.url);
    expect(response.status).toBe(200);
    expect(response.headers.get('ratelimit')).toBeNull();
  });
});
