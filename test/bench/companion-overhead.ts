/**
 * What companion mode costs: a Searchgate on its own engine plays Vectara (10 000 sections), a
 * gateway links a corpus to it, each in its own process. The same v2 queries go to the upstream
 * directly and through the gateway (key check, limits, forwarding with the server-held key),
 * one at a time and interleaved: the difference is what the gateway adds. Then requests/s
 * through the gateway against a bare forwarding proxy on the same machine.
 */
import autocannon from 'autocannon';
import { type BenchRow, ms, percentile } from './bench-report.ts';
import { startTarget, type Target } from './query-throughput.ts';
import { throughputQueries } from './throughput-corpus.ts';

const body = (query: string, corpusKey: string) =>
  JSON.stringify({ query, search: { corpora: [{ corpus_key: corpusKey }], limit: 10 } });

async function once(target: Target, query: string): Promise<number> {
  const started = performance.now();
  const response = await fetch(`${target.url}/v2/query`, {
    method: 'POST',
    headers: {
      'x-api-key': target.headers?.['x-api-key'] as string,
      'content-type': 'application/json',
    },
    body: body(query, target.corpusKey as string),
  });
  await response.arrayBuffer();
  if (response.status !== 200) throw new Error(`answered ${response.status}`);
  return performance.now() - started;
}

async function rps(url: string, headers: Record<string, string>, payload: string, seconds: number) {
  const result = await autocannon({
    url: `${url}/v2/query`,
    connections: 32,
    duration: seconds,
    requests: [{ method: 'POST', headers, body: payload }],
  });
  return { rps: result.requests.average, non2xx: result.non2xx, p99: result.latency.p99 };
}

export async function benchCompanionOverhead(seconds = 10): Promise<BenchRow[]> {
  const upstream = await startTarget(['full']);
  const upstreamKey = upstream.headers?.['x-api-key'] as string;
  const gateway = await startTarget([
    'gateway',
    upstream.url,
    upstreamKey,
    upstream.corpusKey as string,
  ]);
  const proxy = await startTarget(['proxy', upstream.url]);
  const bench = 'companion mode (gateway in front of a v2 upstream)';
  try {
    // A few popular queries, warm in the upstream's result cache: the upstream's own time is
    // then small and steady, so the difference is the gateway's.
    const popular = throughputQueries().slice(0, 20);
    for (let i = 0; i < 200; i++) {
      await once(upstream, popular[i % popular.length] as string);
      await once(gateway, popular[i % popular.length] as string);
    }
    // The bare proxy forwards the upstream's own key and corpus key: it shows what one more
    // HTTP hop costs on this machine, of which the gateway's figure is part.
    const viaProxy: Target = { ...proxy, headers: upstream.headers, corpusKey: upstream.corpusKey };
    const direct: number[] = [];
    const through: number[] = [];
    const hop: number[] = [];
    for (let i = 0; i < 2_000; i++) {
      const query = popular[i % popular.length] as string;
      direct.push(await once(upstream, query));
      through.push(await once(gateway, query));
      hop.push(await once(viaProxy, query));
    }
    for (const samples of [direct, through, hop]) samples.sort((a, b) => a - b);
    const added50 = percentile(through, 50) - percentile(direct, 50);
    const added99 = percentile(through, 99) - percentile(direct, 99);

    const payload = body(popular[0] as string, upstream.corpusKey as string);
    const bare = await rps(
      proxy.url,
      { 'x-api-key': upstreamKey, 'content-type': 'application/json' },
      payload,
      seconds,
    );
    const full = await rps(
      gateway.url,
      { 'x-api-key': gateway.headers?.['x-api-key'] as string, 'content-type': 'application/json' },
      body(popular[0] as string, gateway.corpusKey as string),
      seconds,
    );
    return [
      {
        benchmark: bench,
        metric: 'upstream called directly: p50 (2000 queries)',
        value: ms(percentile(direct, 50)),
      },
      { benchmark: bench, metric: 'through the gateway: p50', value: ms(percentile(through, 50)) },
      {
        benchmark: bench,
        metric: 'added by the gateway: p50',
        value: ms(added50),
        target: '< 2 ms',
        met: added50 < 2,
      },
      { benchmark: bench, metric: 'added by the gateway: p99', value: ms(added99) },
      {
        benchmark: bench,
        metric: 'added by a bare forwarding proxy (one more hop, nothing else): p50',
        value: ms(percentile(hop, 50) - percentile(direct, 50)),
      },
      {
        benchmark: bench,
        metric: `bare forwarding proxy, requests/s (p99 ${bare.p99} ms, non-2xx ${bare.non2xx})`,
        value: bare.rps.toFixed(0),
      },
      {
        benchmark: bench,
        metric: `gateway, requests/s (p99 ${full.p99} ms, non-2xx ${full.non2xx})`,
        value: full.rps.toFixed(0),
      },
      {
        benchmark: bench,
        metric: 'ratio gateway / bare proxy',
        value: (full.rps / bare.rps).toFixed(2),
      },
    ];
  } finally {
    for (const t of [proxy, gateway, upstream]) t.proc.kill('SIGTERM');
  }
}
