/**
 * The hardening issue's long-section cases (issue 9 item 1), through the engine: index one
 * very long section, then time the queries that made snippet building quadratic. Run directly
 * (`npx tsx test/bench/long-sections.ts`) it prints a markdown table; it also runs unchanged on
 * older commits (it needs only FtsEngine and openDatabase), for before/after figures.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { openDatabase } from '../../server/db/open-database.ts';
import { FtsEngine } from '../../server/search/fts-engine.ts';
import type { ContextConfig, CorpusRef, SearchRequest } from '../../server/search/search-types.ts';
import { buildSnippet } from '../../server/search/snippet.ts';
import { type BenchRow, markdownTable, ms } from './bench-report.ts';

const benchmark = 'long sections (issue 9)';
const corpus: CorpusRef = { customerId: 1, corpusId: 1 };
const context: ContextConfig = {
  charsBefore: 80,
  charsAfter: 120,
  sentencesBefore: 0,
  sentencesAfter: 0,
  startTag: '<em>',
  endTag: '</em>',
};

interface LongSectionCase {
  name: string;
  text: () => string;
  queries: string[];
}

/** Deterministic words from a few syllables: many share their first two letters. */
function syllableText(chars: number): string {
  const syllables = ['ca', 'ta', 'sa', 'ma', 'ra', 'ne', 'te', 'lo', 'po', 'ki', 'mu', 'ro'];
  const words: string[] = [];
  let length = 0;
  let state = 7;
  while (length < chars) {
    let word = '';
    for (let i = 0; i < 2 + (state % 3); i += 1) {
      state = (state * 1103515245 + 12345) % 2 ** 31;
      word += syllables[state % syllables.length];
    }
    words.push(state % 9 === 0 ? `${word}.` : word);
    length += word.length + 1;
  }
  return words.join(' ');
}

/** 150 000 distinct words sharing a prefix: `kat` + three letters, about 1 MB. */
function similarWords(count: number): string {
  const letters = 'abcdefghijklmnopqrstuvwxyz';
  const words: string[] = [];
  for (let i = 0; i < count; i += 1) {
    const a = letters[Math.floor(i / 676) % 26] ?? 'a';
    const b = letters[Math.floor(i / 26) % 26] ?? 'a';
    const c = letters[i % 26] ?? 'a';
    words.push(`kat${a}${b}${c}`);
  }
  return words.join(' ');
}

export const longSectionCases: LongSectionCase[] = [
  {
    name: '520 KB section of "the cat sat. " × 40 000, query "the"',
    text: () => 'the cat sat. '.repeat(40_000),
    queries: ['the'],
  },
  {
    name: '1 MB section, a batch of 10 two-letter queries',
    text: () => syllableText(1_000_000),
    queries: ['ca', 'ta', 'sa', 'ma', 'ra', 'ne', 'te', 'lo', 'po', 'ki'],
  },
  {
    name: '1 MB section of 150 000 similar words, query "kat"',
    text: () => similarWords(150_000),
    queries: ['kat'],
  },
];

const request = (query: string): SearchRequest => ({
  query,
  corpora: [corpus],
  start: 0,
  numResults: 1,
  context,
});

/** `only`: case numbers to run (0–3, 3 being the stored-section snippet), default all. */
export async function benchLongSections(only?: number[]): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  for (const [n, testCase] of longSectionCases.entries()) {
    if (only && !only.includes(n)) continue;
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'searchgate-long-'));
    const db = openDatabase(dataDir);
    try {
      const engine = new FtsEngine(db, { resultCacheBytes: 0 });
      const text = testCase.text();
      let started = performance.now();
      engine.indexDocuments(corpus, [
        { documentId: `long-${n}`, metadata: {}, sections: [{ text, metadata: {} }] },
      ]);
      const indexMs = performance.now() - started;
      started = performance.now();
      let snippetChars = 0;
      for (const query of testCase.queries) {
        for (const hit of engine.search(request(query)).hits) snippetChars += hit.text.length;
      }
      const queryMs = performance.now() - started;
      rows.push(
        { benchmark, metric: `${testCase.name}: indexing`, value: ms(indexMs) },
        {
          benchmark,
          metric: `${testCase.name}: ${testCase.queries.length > 1 ? 'the batch' : 'the query'}`,
          value: `${ms(queryMs)} (${snippetChars} snippet chars)`,
        },
      );
    } finally {
      db.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  }
  if (only && !only.includes(longSectionCases.length)) return rows;
  // A section stored whole before chunking existed still gets snippets: time buildSnippet alone
  // on the first case's text with every "the" marked, as the highlighter hands it over.
  const marked = 'the cat sat. '.repeat(40_000).replaceAll('the', '\u0002the\u0003');
  const started = performance.now();
  const snippet = buildSnippet(marked, context);
  rows.push({
    benchmark,
    metric: 'snippet of one stored 520 KB section with 40 000 marked matches',
    value: `${ms(performance.now() - started)} (${snippet.length} snippet chars)`,
  });
  return rows;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const only = process.argv.slice(2).map(Number);
  console.log(markdownTable(await benchLongSections(only.length > 0 ? only : undefined)));
}
