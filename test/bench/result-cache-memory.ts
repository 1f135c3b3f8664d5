/**
 * Issue 9 item 3, briefly: heavy distinct queries (100 hits of 20+20-sentence snippets each,
 * every one a new cache key) against an engine with its default result cache, RSS before and
 * after. Runs in a child process so the figure is this experiment's alone; like long-sections.ts
 * it needs only FtsEngine and openDatabase, so it also runs on older commits for before/after.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { openDatabase } from '../../server/db/open-database.ts';
import { FtsEngine } from '../../server/search/fts-engine.ts';
import type { SearchRequest } from '../../server/search/search-types.ts';
import { type BenchRow, markdownTable } from './bench-report.ts';
import { benchWorkload, indexWorkload } from './search-latency.ts';

const benchmark = 'result cache memory (issue 9)';
const heavyQueries = 1_000;
const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;

interface Measured {
  sections: number;
  queries: number;
  rssBefore: number;
  rssAfter: number;
  cacheBytes?: number;
  seconds: number;
}

function measure(): Measured {
  const workload = benchWorkload({
    documents: 4_000,
    sectionsPerDocument: 5,
    sentencesPerSection: [15, 30],
    queries: 4 * heavyQueries,
  });
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'searchgate-cache-'));
  const db = openDatabase(dataDir);
  try {
    const engine = new FtsEngine(db);
    indexWorkload(engine, workload);
    // Distinct queries of two or more words (so the key differs) that find a full page.
    const queries = workload.queries().all.filter((q) => q.includes(' '));
    const heavy = (query: string): SearchRequest => ({
      query,
      corpora: [{ customerId: 1, corpusId: 1 }],
      start: 0,
      numResults: 100,
      context: {
        charsBefore: 0,
        charsAfter: 0,
        sentencesBefore: 20,
        sentencesAfter: 20,
        startTag: '<b>',
        endTag: '</b>',
      },
    });
    engine.search(heavy('warm up'));
    globalThis.gc?.();
    const rssBefore = process.memoryUsage().rss;
    const started = performance.now();
    let sent = 0;
    for (const query of queries.slice(0, heavyQueries)) {
      engine.search(heavy(query));
      sent += 1;
    }
    const seconds = (performance.now() - started) / 1000;
    globalThis.gc?.();
    const stats = (engine as { resultCacheStats?: () => { bytes: number } }).resultCacheStats?.();
    return {
      sections: workload.sections,
      queries: sent,
      rssBefore,
      rssAfter: process.memoryUsage().rss,
      ...(stats ? { cacheBytes: stats.bytes } : {}),
      seconds,
    };
  } finally {
    db.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

export async function benchResultCacheMemory(): Promise<BenchRow[]> {
  const here = fileURLToPath(import.meta.url);
  const tsx = path.join(path.dirname(here), '..', '..', 'node_modules', '.bin', 'tsx');
  const child = spawnSync(tsx, ['--expose-gc', here, '--child'], { encoding: 'utf8' });
  if (child.status !== 0) throw new Error(`result-cache child failed: ${child.stderr}`);
  const m = JSON.parse(child.stdout.trim().split('\n').at(-1) ?? '{}') as Measured;
  const label = `${m.queries} heavy distinct queries on ${m.sections} sections`;
  return [
    {
      benchmark,
      metric: `${label}: RSS before → after`,
      value: `${mib(m.rssBefore)} → ${mib(m.rssAfter)}`,
    },
    { benchmark, metric: `${label}: RSS growth`, value: mib(m.rssAfter - m.rssBefore) },
    ...(m.cacheBytes === undefined
      ? []
      : [{ benchmark, metric: 'result cache, estimated bytes held', value: mib(m.cacheBytes) }]),
    { benchmark, metric: `${label}: time`, value: `${m.seconds.toFixed(1)} s` },
  ];
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  if (process.argv.includes('--child')) console.log(JSON.stringify(measure()));
  else console.log(markdownTable(await benchResultCacheMemory()));
}
