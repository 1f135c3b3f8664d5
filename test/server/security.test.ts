import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll } from 'vitest';
import { startRedisServer, type TestRedisServer } from '../helpers/redis-server.ts';
import { startTestServer } from '../helpers/test-server.ts';
import { runSecuritySuite } from './security-suite.ts';

// Requests carry X-Forwarded-For from the suite (loopback is the only proxy trusted).
const env = { TRUST_PROXY: 'loopback' };

runSecuritySuite('embedded key store', () => startTestServer({ env }));

let redis: TestRedisServer;
beforeAll(async () => {
  redis = await startRedisServer();
});
afterAll(() => redis?.stop());

runSecuritySuite('Redis key store', () =>
  startTestServer({
    env: { ...env, REDIS_URL: redis.url },
    redisPrefix: `test:${randomBytes(6).toString('hex')}:`,
  }),
);
