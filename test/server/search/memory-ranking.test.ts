import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { corpusBlockSize } from '../../../server/search/fts-layout.ts';
import { FtsTokenizer } from '../../../server/search/fts-tokenizer.ts';
import { MemoryIndexSync } from '../../../server/search/memory-index-sync.ts';
import { type MemoryCorpus, MemoryRanking } from '../../../server/search/memory-ranking.ts';
import { parseMetadataFilter } from '../../../server/search/metadata-filter.ts';
import { compileMetadataPredicate } from '../../../server/search/metadata-filter-predicate.ts';
import { compileMetadataFilter } from '../../../server/search/metadata-filter-sql.ts';
import { type MatchExpressionInput, termsExpression } from '../../../server/search/query-text.ts';
import { rankFunction } from '../../../server/search/search-schema.ts';
import type { CorpusRef, DocumentInput } from '../../../server/search/search-types.ts';
import { StemProbe } from '../../../server/search/stem-probe.ts';
import { openTempEngine, type TempEngine } from './search-fixtures.ts';

/**
 * The in-memory ranking must give exactly what FTS5's bm25() gives for the same MATCH
 * expression: the same sections, in the same order, with bit-equal scores, whatever the query,
 * the corpora, the filter and the history of writes (removed sections, compacted segments).
 */

const corpora: CorpusRef[] = [1, 2, 3].map((corpusId) => ({ customerId: 7, corpusId }));
// Few words, some sharing prefixes and stems, so queries match many sections and tie often.
const vocabulary = [
  'install',
  'installing',
  'installation',
  'index',
  'indexes',
  'indexing',
  'query',
  'queries',
  'vacuum',
  'value',
  'values',
  'valid',
  'table',
  'tables',
  'tablespace',
  'run',
  'running',
  'runner',
  'data',
  'database',
  'type',
  'types',
  'the',
  'and',
  'json',
  'jsonb',
  'zebra',
];

/** Deterministic pseudo-random words, skewed so a few words are everywhere. */
function wordsFrom(seed: number, count: number): string {
  let state = seed;
  const words: string[] = [];
  for (let i = 0; i < count; i += 1) {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    const pick = Math.floor((state / 2 ** 31) ** 2 * vocabulary.length);
    words.push(vocabulary[pick] ?? 'the');
  }
  return words.join(' ');
}

function document(n: number, version: number): DocumentInput {
  return {
    documentId: `d${n}`,
    title: n % 4 === 0 ? wordsFrom(n * 13 + version, 2) : `Page ${n}`,
    metadata: { lang: n % 3 === 0 ? 'de' : 'en', n },
    sections: Array.from({ length: 1 + (n % 4) }, (_, index) => ({
      ...(index % 2 === 0 ? { title: wordsFrom(n * 7 + index + version, 1 + (index % 3)) } : {}),
      text: wordsFrom(n * 31 + index * 3 + version, 4 + ((n + index) % 19)),
      metadata: { index },
    })),
  };
}

let temp: TempEngine;
let sync: MemoryIndexSync;
let ranking: MemoryRanking;
let tokenizer: FtsTokenizer;

/** Lets compactions scheduled between requests run. */
const betweenRequests = () => new Promise((resolve) => setImmediate(resolve));

beforeAll(async () => {
  temp = openTempEngine();
  tokenizer = new FtsTokenizer(new StemProbe());
  // Compacts after every few changes, so queries meet a base, a delta and removed sections.
  sync = new MemoryIndexSync(temp.db, tokenizer, { minDeltaBeforeCompaction: 8 });
  ranking = new MemoryRanking(temp.db, (word) => {
    const tokens = tokenizer.tokenize(word);
    return tokens.length === 1 ? (tokens[0] ?? null) : null;
  });
  for (const [c, corpus] of corpora.entries()) {
    for (let batch = 0; batch < 4; batch += 1) {
      const docs = Array.from({ length: 15 }, (_, i) => document(c * 100 + batch * 15 + i, 0));
      temp.engine.indexDocuments(corpus, docs);
      sync.markStale();
      sync.current();
      await betweenRequests();
    }
  }
  // Replace and remove some documents after the index was built.
  temp.engine.indexDocuments(corpora[0] as CorpusRef, [document(3, 1), document(17, 1)]);
  temp.engine.deleteDocument(corpora[1] as CorpusRef, 'd101');
  temp.engine.deleteDocument(corpora[0] as CorpusRef, 'd40');
  sync.markStale();
});
afterAll(() => temp.close());

interface Hit {
  id: number;
  rank: number;
}

/** FTS5's own answer: bm25 over every match, best first, ties by rowid. */
function fts5Ranking(
  input: MatchExpressionInput,
  chosen: CorpusRef[],
  filter: string,
  limit: number,
): Hit[] {
  const ast = parseMetadataFilter(filter);
  const compiled = ast
    ? compileMetadataFilter(ast, { doc: 'd.metadata', part: 's.metadata' })
    : null;
  const hits: Hit[] = [];
  for (const corpus of chosen) {
    const slot = temp.db
      .prepare<[number, number], number>(
        'SELECT slot FROM search_corpora WHERE customer_id = ? AND corpus_id = ?',
      )
      .pluck()
      .get(corpus.customerId, corpus.corpusId);
    if (slot === undefined) continue;
    const rows = temp.db
      .prepare<unknown[], Hit>(
        `SELECT search_fts.rowid AS id, ${rankFunction.replace('bm25(', 'bm25(search_fts, ')} AS rank
         FROM search_fts JOIN search_sections s ON s.id = search_fts.rowid
         JOIN search_documents d ON d.id = s.doc_id
         WHERE search_fts MATCH ? AND search_fts.rowid >= ? AND search_fts.rowid < ?
           ${compiled ? `AND ${compiled.sql}` : ''}`,
      )
      .all(
        termsExpression(input),
        BigInt(slot * corpusBlockSize),
        BigInt((slot + 1) * corpusBlockSize),
        ...(compiled?.params ?? []),
      );
    hits.push(...rows);
  }
  return hits.sort((a, b) => a.rank - b.rank || a.id - b.id).slice(0, limit);
}

function memoryRanking(
  input: MatchExpressionInput,
  chosen: CorpusRef[],
  filter: string,
  limit: number,
): Hit[] | undefined {
  const index = sync.current();
  if (!index) throw new Error('the in-memory index is not current');
  const ast = parseMetadataFilter(filter);
  const scoped: MemoryCorpus[] = [];
  for (const corpus of chosen) {
    const slot = temp.db
      .prepare<[number, number], number>(
        'SELECT slot FROM search_corpora WHERE customer_id = ? AND corpus_id = ?',
      )
      .pluck()
      .get(corpus.customerId, corpus.corpusId);
    if (slot !== undefined)
      scoped.push({ slot, filter: ast ? compileMetadataPredicate(ast) : null });
  }
  return ranking
    .prepare(index, input)
    ?.rank(scoped, limit)
    .map(({ id, rank }) => ({ id, rank }));
}

const queryInput = fc.record({
  terms: fc.uniqueArray(fc.constantFrom(...vocabulary, 'missing', 'instal', 'va', 'tabl'), {
    minLength: 1,
    maxLength: 3,
  }),
  lastIsPrefix: fc.boolean(),
  prefixExpansions: fc.subarray(['installation', 'running', 'values']),
  join: fc.constantFrom('AND' as const, 'OR' as const),
});

describe('in-memory ranking', () => {
  it('is built, and kept, from the tables', () => {
    const index = sync.current();
    expect(index?.liveRows).toBe(
      temp.db.prepare<[], number>('SELECT count(*) FROM search_sections').pluck().get(),
    );
    expect(sync.status().state).toBe('current');
    // The queries below meet a compacted base, a delta and removed sections.
    expect(index?.segments()).toHaveLength(2);
    expect(index?.deleted.subarray(0, index.sections).includes(1)).toBe(true);
  });

  it('ranks exactly as FTS5 bm25 does, scores and ties included', () => {
    fc.assert(
      fc.property(
        queryInput,
        fc.subarray(corpora, { minLength: 1 }),
        fc.constantFrom('', "doc.lang = 'en'", 'doc.n < 150', "part.index = 0 or doc.lang = 'de'"),
        fc.integer({ min: 1, max: 40 }),
        (input, chosen, filter, limit) => {
          const expected = fts5Ranking(input, chosen, filter, limit);
          expect(memoryRanking(input, chosen, filter, limit)).toEqual(expected);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('corrections add phrases to their word, as in FTS5', () => {
    const input: MatchExpressionInput = {
      terms: ['vacum', 'table'],
      lastIsPrefix: false,
      prefixExpansions: [],
      corrections: new Map([['vacum', ['vacuum', 'value']]]),
      join: 'AND',
    };
    const expected = fts5Ranking(input, corpora, '', 30);
    expect(expected.length).toBeGreaterThan(3);
    expect(memoryRanking(input, corpora, '', 30)).toEqual(expected);
  });

  it('leaves a word FTS5 reads as several tokens to FTS5', () => {
    const input: MatchExpressionInput = {
      terms: ['foo—bar'],
      lastIsPrefix: false,
      prefixExpansions: [],
      join: 'AND',
    };
    expect(memoryRanking(input, corpora, '', 10)).toBeUndefined();
  });
});
