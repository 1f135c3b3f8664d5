import { startRedisServer } from '../helpers/redis-server.ts';
import { startSharedInstances, type TestServer } from '../helpers/test-server.ts';
import { type BenchRow, ms, percentile } from './bench-report.ts';

export async function benchRevocation(trials = 200): Promise<BenchRow[]> {
  const redis = await startRedisServer();
  const instances = await startSharedInstances(3, redis.url);
  const [a, b, c] = instances as [TestServer, TestServer, TestServer];
  try {
    const corpusId = await a.createCorpus('revocation');
    await a.indexDocuments(corpusId, [{ documentId: 'd', sections: [{ text: 'beacon' }] }]);
    const { keyId, apiKey } = await a.createKey({
      corpusIds: [corpusId],
      limits: { perMinute: 1_000_000, perIpPerMinute: 1_000_000 },
    });
    const body = { query: [{ query: 'beacon', corpusKey: [{ corpusId }] }] };
    const status = async (s: TestServer) => (await s.query('/v1/query', body, apiKey)).status;
    const samples: number[] = [];
    for (let t = 0; t < trials; t++) {
      await a.setKeyEnabled(keyId, true);
      // Every instance serves the key (and caches it) before the disable.
      for (const s of instances) {
        while ((await status(s)) !== 200) {}
      }
      await a.setKeyEnabled(keyId, false);
      const returned = performance.now();
      const times = await Promise.all(
        instances.map(async (s) => {
          for (;;) {
            if ((await status(s)) === 403) return performance.now() - returned;
          }
        }),
      );
      samples.push(...times);
    }
    samples.sort((x, y) => x - y);
    const p99 = percentile(samples, 99);
    return [
      {
        benchmark: 'revocation, 3 instances',
        metric: `disable → refused, p50 (${samples.length} samples)`,
        value: ms(percentile(samples, 50)),
      },
      {
        benchmark: 'revocation, 3 instances',
        metric: 'disable → refused, p99',
        value: ms(p99),
        target: '< 100 ms',
        met: p99 < 100,
      },
      {
        benchmark: 'revocation, 3 instances',
        metric: 'disable → refused, max',
        value: ms(samples.at(-1) ?? Number.NaN),
      },
    ];
  } finally {
    for (const s of [c, b, a]) await s.close();
    await redis.stop();
  }
}
