import { startRedisServer } from '../helpers/redis-server.ts';
import { startSharedInstances, type TestServer } from '../helpers/test-server.ts';
import type { BenchRow } from './bench-report.ts';

export async function benchRateLimitExactness(limit = 100, rounds = 5): Promise<BenchRow[]> {
  const redis = await startRedisServer();
  const instances = await startSharedInstances(3, redis.url);
  const a = instances[0] as TestServer;
  try {
    const corpusId = await a.createCorpus('limits');
    await a.indexDocuments(corpusId, [{ documentId: 'd', sections: [{ text: 'turnstile' }] }]);
    const body = { query: [{ query: 'turnstile', corpusKey: [{ corpusId }] }] };
    const admitted: number[] = [];
    for (let round = 0; round < rounds; round++) {
      // A fresh key per round: each round is its own window.
      const { apiKey } = await a.createKey({
        corpusIds: [corpusId],
        limits: { perMinute: limit, perIpPerMinute: 1_000_000 },
      });
      const statuses = await Promise.all(
        Array.from({ length: limit * 3 }, (_, i) =>
          (instances[i % 3] as TestServer).query('/v1/query', body, apiKey).then((r) => r.status),
        ),
      );
      admitted.push(statuses.filter((s) => s === 200).length);
    }
    const exact = admitted.every((n) => n === limit);
    return [
      {
        benchmark: 'rate limit, 3 instances',
        metric: `admitted of ${limit * 3} concurrent, limit ${limit} (${rounds} rounds)`,
        value: admitted.join(', '),
        target: `exactly ${limit}`,
        met: exact,
      },
    ];
  } finally {
    for (const s of instances.reverse()) await s.close();
    await redis.stop();
  }
}
