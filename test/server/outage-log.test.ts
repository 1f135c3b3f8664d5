import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { OutageLog } from '../../server/http/outage-log.ts';
import { createLogger } from '../../server/logger.ts';
import { startRedisServer } from '../helpers/redis-server.ts';
import { startTestServer } from '../helpers/test-server.ts';

function capture() {
  const lines: Array<{ level: number; msg: string; refused?: number; err?: unknown }> = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  return { lines, logger: createLogger('info', sink) };
}
const flush = () => new Promise((resolve) => setImmediate(resolve));

describe('an outage is logged as transitions, not once per refused request', () => {
  it('logs the cause once, a sample every 10 s, and the recovery', async () => {
    const { lines, logger } = capture();
    let now = 0;
    const outages = new OutageLog(logger, () => now);
    const cause = new Error('connection refused');
    for (let i = 0; i < 1_000; i++) outages.refused('KEY_STORE_UNAVAILABLE', cause);
    now = 10_000;
    outages.refused('KEY_STORE_UNAVAILABLE', cause);
    outages.served(false);
    outages.served(false);
    await flush();
    expect(lines.map((l) => l.msg)).toEqual([
      'the key store is unreachable: refusing requests (fail closed)',
      'still: the key store is unreachable: refusing requests (fail closed)',
      'recovered: requests are answered again',
    ]);
    expect(lines[0]?.err).toBeDefined();
    expect(lines[1]?.refused).toBe(1_001);
    expect(outages.refused('INTERNAL', cause)).toBe(false);
  });

  it("a local answer does not end Vectara's outage; a Vectara answer does", async () => {
    const { lines, logger } = capture();
    const outages = new OutageLog(logger, () => 0);
    outages.refused('UPSTREAM_UNAVAILABLE', new Error('refused'));
    outages.served(false);
    outages.refused('UPSTREAM_UNAVAILABLE', new Error('refused'));
    await flush();
    expect(lines.map((l) => l.msg)).toEqual([
      'Vectara cannot be reached: queries on linked corpora fail',
    ]);
    outages.served(true);
    await flush();
    expect(lines.at(-1)?.msg).toBe('recovered: requests are answered again');
  });

  it('a Redis outage under load writes a handful of lines, not one per request', async () => {
    const redis = await startRedisServer();
    const { lines, logger } = capture();
    const server = await startTestServer({ env: { REDIS_URL: redis.url }, logger });
    try {
      const corpusId = await server.createCorpus('c');
      const { apiKey } = await server.createKey({ corpusIds: [corpusId] });
      const body = { query: [{ query: 'x', corpusKey: [{ corpusId }] }] };
      expect((await server.query('/v1/query', body, apiKey)).status).toBe(200);
      await redis.kill();
      const refused = await Promise.all(
        Array.from({ length: 300 }, () => server.query('/v1/query', body, apiKey)),
      );
      expect(new Set(refused.map((r) => r.status))).toEqual(new Set([503]));
      await flush();
      const problems = lines.filter((l) => l.level >= 40);
      expect(problems.length).toBeLessThanOrEqual(4);
      expect(problems.map((l) => l.msg)).toContain(
        'the key store is unreachable: refusing requests (fail closed)',
      );
    } finally {
      await server.close();
      await redis.stop();
    }
  }, 60_000);
});
