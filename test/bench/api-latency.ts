/**
 * Two API-level measurements on the throughput benchmark's 10 000-section corpus, the server in
 * its own process:
 * - v1 and v2 query latency on the same queries in one run (uncached: distinct queries), one
 *   request at a time, as a visitor's widget sends them;
 * - the two-heavy-visitors experiment of the hardening issue: two visitors each send one
 *   maximal request a second (within the default 60 a minute per visitor) while a third types
 *   ordinary queries; the third's latency with and without them, with the search-work budget on
 *   (the default) and, for comparison, effectively off.
 */
import { type BenchRow, ms, percentile } from './bench-report.ts';
import { startTarget, type Target } from './query-throughput.ts';
import { throughputQueries } from './throughput-corpus.ts';

async function timed(url: string, init: RequestInit): Promise<{ ms: number; status: number }> {
  const started = performance.now();
  const response = await fetch(url, init);
  await response.arrayBuffer();
  return { ms: performance.now() - started, status: response.status };
}

const summary = (samples: number[]) => {
  const sorted = [...samples].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p95: percentile(sorted, 95), p99: percentile(sorted, 99) };
};

async function v1VersusV2(target: Target, queries: string[]): Promise<BenchRow[]> {
  const headers = target.headers ?? {};
  const v1 = (query: string) =>
    timed(`${target.url}/v1/query`, {
      method: 'POST',
      headers,
      body: JSON.stringify({
        query: [{ query, numResults: 10, corpusKey: [{ corpusId: target.corpusId }] }],
      }),
    });
  const v2 = (query: string) =>
    timed(`${target.url}/v2/query`, {
      method: 'POST',
      headers: { 'x-api-key': headers['x-api-key'] as string, 'content-type': 'application/json' },
      body: JSON.stringify({
        query,
        search: { corpora: [{ corpus_key: target.corpusKey }], limit: 10 },
      }),
    });
  for (const q of queries.slice(0, 50)) {
    await v1(q);
    await v2(q);
  }
  // Interleaved, each on queries neither has seen (so neither hits the result cache).
  const one: number[] = [];
  const two: number[] = [];
  const fresh = queries.slice(1_000, 3_000);
  for (let i = 0; i + 1 < fresh.length; i += 2) {
    one.push((await v1(fresh[i] as string)).ms);
    two.push((await v2(fresh[i + 1] as string)).ms);
  }
  const a = summary(one);
  const b = summary(two);
  const bench = 'v1 and v2 queries, one at a time (uncached)';
  return [
    { benchmark: bench, metric: `POST /v1/query: p50 (${one.length} queries)`, value: ms(a.p50) },
    { benchmark: bench, metric: 'POST /v1/query: p99', value: ms(a.p99) },
    { benchmark: bench, metric: `POST /v2/query: p50 (${two.length} queries)`, value: ms(b.p50) },
    { benchmark: bench, metric: 'POST /v2/query: p99', value: ms(b.p99) },
    { benchmark: bench, metric: 'ratio v2 / v1, p50', value: (b.p50 / a.p50).toFixed(2) },
  ];
}

/** The heaviest request a visitor may send: 10 queries × 10 results, 32 words, 20-sentence snippets. */
function heavyBody(target: Target, queries: string[], n: number): string {
  return JSON.stringify({
    query: Array.from({ length: 10 }, (_, i) => ({
      query: Array.from(
        { length: 8 },
        (_, j) => queries[(n * 80 + i * 8 + j) % queries.length],
      ).join(' '),
      numResults: 10,
      contextConfig: { sentencesBefore: 20, sentencesAfter: 20 },
      corpusKey: [{ corpusId: target.corpusId }],
    })),
  });
}

async function heavyVisitors(
  budget: string,
  seconds: number,
  queries: string[],
): Promise<BenchRow[]> {
  const target = await startTarget(['full'], {
    TRUST_PROXY: 'true',
    SEARCH_WORK_MS_PER_MINUTE: budget,
  });
  try {
    const headers = target.headers ?? {};
    const ordinary = (query: string) =>
      timed(`${target.url}/v1/query`, {
        method: 'POST',
        headers: { ...headers, 'x-forwarded-for': '198.51.100.3' },
        body: JSON.stringify({
          query: [{ query, numResults: 10, corpusKey: [{ corpusId: target.corpusId }] }],
        }),
      });
    const typing = async (until: number, offset: number) => {
      const samples: number[] = [];
      for (let i = offset; performance.now() < until; i++) {
        samples.push((await ordinary(queries[i % queries.length] as string)).ms);
      }
      return samples;
    };
    for (const q of queries.slice(0, 50)) await ordinary(q);
    const alone = await typing(performance.now() + seconds * 1000, 5_000);

    const heavyStatuses: number[] = [];
    let stop = false;
    const heavy = async (address: string, first: number) => {
      for (let n = first; !stop; n += 2) {
        const sent = performance.now();
        const r = await timed(`${target.url}/v1/query`, {
          method: 'POST',
          headers: { ...headers, 'x-forwarded-for': address },
          body: heavyBody(target, queries, n),
        });
        heavyStatuses.push(r.status);
        // One request a second: within the default 60 a minute per visitor.
        await new Promise((resolve) =>
          setTimeout(resolve, Math.max(0, 1000 - (performance.now() - sent))),
        );
      }
    };
    const heavies = [heavy('203.0.113.1', 0), heavy('203.0.113.2', 1)];
    const crowded = await typing(performance.now() + seconds * 1000, 20_000);
    stop = true;
    await Promise.all(heavies);

    const a = summary(alone);
    const b = summary(crowded);
    const refused = heavyStatuses.filter((s) => s === 429).length;
    const label = Number(budget) >= 60_000 ? 'budget off' : `budget ${budget} ms/min (default)`;
    const bench = `two heavy visitors (${label})`;
    return [
      { benchmark: bench, metric: 'third visitor alone: p50', value: ms(a.p50) },
      { benchmark: bench, metric: 'third visitor alone: p95', value: ms(a.p95) },
      { benchmark: bench, metric: 'third visitor beside two heavy ones: p50', value: ms(b.p50) },
      { benchmark: bench, metric: 'third visitor beside two heavy ones: p95', value: ms(b.p95) },
      {
        benchmark: bench,
        metric: 'ratio crowded / alone, p50',
        value: (b.p50 / a.p50).toFixed(2),
        target: '≤ 2',
        met: b.p50 / a.p50 <= 2,
      },
      {
        benchmark: bench,
        metric: `heavy requests answered / refused (429) in ${seconds} s`,
        value: `${heavyStatuses.length - refused} / ${refused}`,
      },
    ];
  } finally {
    target.proc.kill('SIGTERM');
  }
}

export async function benchApiLatency(seconds = 20): Promise<BenchRow[]> {
  const queries = throughputQueries();
  const target = await startTarget(['full']);
  const rows: BenchRow[] = [];
  try {
    rows.push(...(await v1VersusV2(target, queries)));
  } finally {
    target.proc.kill('SIGTERM');
  }
  rows.push(...(await heavyVisitors('3000', seconds, queries)));
  rows.push(...(await heavyVisitors('60000', seconds, queries)));
  return rows;
}
