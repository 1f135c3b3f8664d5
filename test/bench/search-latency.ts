/**
 * Search latency on a synthetic 100 000-section corpus (target: p50 < 2 ms, p99 < 10 ms).
 * Run directly: `npx tsx test/bench/search-latency.ts` prints a markdown table.
 * The corpus is deterministic: words come from the READMEs in node_modules, drawn with a
 * Zipf-like distribution so common words are common, as in real pages.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { databaseFileName, openDatabase } from '../../server/db/open-database.ts';
import { FtsEngine } from '../../server/search/fts-engine.ts';
import type { CorpusRef, DocumentInput, SearchRequest } from '../../server/search/search-types.ts';

export interface SearchLatencyOptions {
  documents?: number;
  sectionsPerDocument?: number;
  queries?: number;
  seed?: number;
}

export interface BenchRow {
  name: string;
  value: string;
  target?: string;
}

export interface SearchLatencyResult {
  sections: number;
  indexSeconds: number;
  dbMegabytes: number;
  rssMegabytes: number;
  p50Ms: number;
  p99Ms: number;
  prefixP50Ms: number;
  prefixP99Ms: number;
  filteredP50Ms: number;
  filteredP99Ms: number;
  rows: BenchRow[];
}

const corpus: CorpusRef = { customerId: 1, corpusId: 1 };
const context = {
  charsBefore: 60,
  charsAfter: 60,
  sentencesBefore: 0,
  sentencesAfter: 0,
  startTag: '<em>',
  endTag: '</em>',
};

/** mulberry32: tiny, fast, deterministic. */
function randomGenerator(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function readmeVocabulary(): string[] {
  const nodeModules = fileURLToPath(new URL('../../node_modules/', import.meta.url));
  const counts = new Map<string, number>();
  for (const entry of readdirSync(nodeModules).sort()) {
    for (const name of ['README.md', 'Readme.md', 'readme.md']) {
      const file = path.join(nodeModules, entry, name);
      if (!existsSync(file)) continue;
      for (const word of readFileSync(file, 'utf8')
        .toLowerCase()
        .match(/[a-z]{2,20}/g) ?? []) {
        counts.set(word, (counts.get(word) ?? 0) + 1);
      }
      break;
    }
  }
  // Most frequent first, so Zipf rank 1 is the most common word.
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .map(([w]) => w);
}

/** Samples ranks with probability ~ 1/rank through the inverse of the harmonic CDF. */
function zipfSampler(vocabulary: string[], random: () => number): () => string {
  const cumulative: number[] = [];
  let total = 0;
  for (let rank = 1; rank <= vocabulary.length; rank += 1) {
    total += 1 / rank;
    cumulative.push(total);
  }
  return () => {
    const target = random() * total;
    let low = 0;
    let high = cumulative.length - 1;
    while (low < high) {
      const mid = (low + high) >> 1;
      if ((cumulative[mid] ?? 0) < target) low = mid + 1;
      else high = mid;
    }
    return vocabulary[low] ?? '';
  };
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;

function timeQueries(engine: FtsEngine, requests: SearchRequest[]): { p50: number; p99: number } {
  for (const req of requests.slice(0, 50)) engine.search(req); // warm the page cache
  const times: number[] = [];
  for (const req of requests) {
    const started = performance.now();
    engine.search(req);
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p99: percentile(times, 99) };
}

export async function benchSearchLatency(
  options: SearchLatencyOptions = {},
): Promise<SearchLatencyResult> {
  const documents = options.documents ?? 20_000;
  const sectionsPerDocument = options.sectionsPerDocument ?? 5;
  const queryCount = options.queries ?? 2_000;
  const random = randomGenerator(options.seed ?? 42);
  const vocabulary = readmeVocabulary();
  const word = zipfSampler(vocabulary, random);
  const words = (min: number, max: number) =>
    Array.from({ length: min + Math.floor(random() * (max - min + 1)) }, word).join(' ');
  const sentence = () => `${words(6, 14)}.`;

  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'searchgate-bench-'));
  const db = openDatabase(dataDir);
  try {
    const engine = new FtsEngine(db);
    const started = performance.now();
    const batchSize = 500;
    for (let first = 0; first < documents; first += batchSize) {
      const batch: DocumentInput[] = [];
      for (let n = first; n < Math.min(documents, first + batchSize); n += 1) {
        batch.push({
          documentId: `doc-${n}`,
          title: words(2, 4),
          metadata: { url: `https://example.com/${n}`, lang: n % 3 === 0 ? 'de' : 'en' },
          sections: Array.from({ length: sectionsPerDocument }, (_, index) => ({
            title: words(1, 4),
            text: Array.from({ length: 3 + Math.floor(random() * 5) }, sentence).join(' '),
            metadata: { index },
          })),
        });
      }
      engine.indexDocuments(corpus, batch);
    }
    const indexSeconds = (performance.now() - started) / 1000;
    db.pragma('wal_checkpoint(TRUNCATE)');

    const request = (query: string, metadataFilter?: string): SearchRequest => ({
      query,
      corpora: [{ ...corpus, ...(metadataFilter ? { metadataFilter } : {}) }],
      start: 0,
      numResults: 10,
      context,
    });
    const plain: SearchRequest[] = [];
    const prefix: SearchRequest[] = [];
    for (let i = 0; i < queryCount; i += 1) {
      const terms = words(1, 3).split(' ');
      const last = terms.pop() ?? '';
      // Half the queries are typed-so-far: the last word cut to 2..n-1 letters.
      const cut = last.length > 2 ? 2 + Math.floor(random() * (last.length - 2)) : last.length;
      if (i % 2 === 0) plain.push(request([...terms, last].join(' ')));
      else prefix.push(request([...terms, last.slice(0, cut)].join(' ')));
    }
    const all = timeQueries(engine, [...plain, ...prefix]);
    const typed = timeQueries(engine, prefix);
    const filtered = timeQueries(
      engine,
      plain.slice(0, 500).map((req) => request(req.query, "doc.lang = 'en'")),
    );

    const dbBytes = ['', '-wal', '-shm']
      .map((suffix) => path.join(dataDir, databaseFileName + suffix))
      .filter((file) => existsSync(file))
      .reduce((sum, file) => sum + statSync(file).size, 0);
    const result = {
      sections: documents * sectionsPerDocument,
      indexSeconds,
      dbMegabytes: dbBytes / 2 ** 20,
      rssMegabytes: process.memoryUsage().rss / 2 ** 20,
      p50Ms: all.p50,
      p99Ms: all.p99,
      prefixP50Ms: typed.p50,
      prefixP99Ms: typed.p99,
      filteredP50Ms: filtered.p50,
      filteredP99Ms: filtered.p99,
    };
    const ms = (value: number) => `${value.toFixed(2)} ms`;
    const rows: BenchRow[] = [
      { name: 'sections indexed', value: String(result.sections), target: '≥ 100 000' },
      { name: 'index build time', value: `${indexSeconds.toFixed(1)} s` },
      { name: 'database size', value: `${result.dbMegabytes.toFixed(0)} MB` },
      { name: 'process RSS', value: `${result.rssMegabytes.toFixed(0)} MB` },
      {
        name: `search p50 (${queryCount} queries, 1–3 words)`,
        value: ms(all.p50),
        target: '< 2 ms',
      },
      { name: 'search p99', value: ms(all.p99), target: '< 10 ms' },
      { name: 'search p50, last word partial', value: ms(typed.p50) },
      { name: 'search p99, last word partial', value: ms(typed.p99) },
      { name: "search p50, filter doc.lang = 'en'", value: ms(filtered.p50) },
      { name: "search p99, filter doc.lang = 'en'", value: ms(filtered.p99) },
    ];
    return { ...result, rows };
  } finally {
    db.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

export function markdownTable(rows: BenchRow[]): string {
  const lines = ['| measure | value | target |', '|---|---|---|'];
  for (const row of rows) lines.push(`| ${row.name} | ${row.value} | ${row.target ?? ''} |`);
  return lines.join('\n');
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const result = await benchSearchLatency();
  console.log(markdownTable(result.rows));
}
