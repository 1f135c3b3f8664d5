import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../server/db/open-database.ts';
import { FtsEngine } from '../../../server/search/fts-engine.ts';
import { rankFunction } from '../../../server/search/search-schema.ts';
import type { DocumentInput } from '../../../server/search/search-types.ts';
import {
  corpusA,
  corpusB,
  docIds,
  noContext,
  openTempEngine,
  request,
  type TempEngine,
} from './search-fixtures.ts';

let temp: TempEngine;
beforeEach(() => {
  temp = openTempEngine();
});
afterEach(() => temp.close());

/** Deterministic filler words, so sections differ in length and term frequency. */
const fillerWords = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot', 'golf', 'hotel'];
const filler = (seed: number, count: number) =>
  Array.from({ length: count }, (_, i) => fillerWords[(seed * 7 + i * 3) % 8]).join(' ');

/** Every match of a plain-word MATCH, ranked by FTS5 over the whole table: the exact answer. */
function bruteForce(engine: TempEngine, match: string): string[] {
  return engine.db
    .prepare<[string], { document_id: string; metadata: string }>(
      `SELECT d.document_id, s.metadata FROM search_fts
       JOIN search_sections s ON s.id = search_fts.rowid
       JOIN search_documents d ON d.id = s.doc_id
       WHERE search_fts MATCH ? ORDER BY ${rankFunction.replace('bm25(', 'bm25(search_fts, ')}, search_fts.rowid`,
    )
    .all(match)
    .map((row) => `${row.document_id}#${JSON.parse(row.metadata).index}`);
}

const hitKeys = (engine: FtsEngine, query: string, numResults: number) =>
  engine
    .search(request(query, [corpusA], { numResults }))
    .hits.map((hit) => `${hit.documentId}#${hit.metadata.index}`);

// Ranked in memory when the index is current; on FTS5 (bounded candidates) while it is not.
describe.each([
  ['in memory', {}],
  ['on FTS5', { memoryIndex: false as const }],
])('candidate selection, %s', (_, mode) => {
  it('ranks exactly when the matches fit under the cap', () => {
    const engine = new FtsEngine(temp.db, {
      rankedCandidates: 40,
      resultCacheBytes: 0,
      titleStage: false,
      ...mode,
    });
    const docs: DocumentInput[] = Array.from({ length: 30 }, (_, n) => ({
      documentId: `d${n}`,
      title: n % 7 === 0 ? 'kiwi guide' : `page ${filler(n, 2)}`,
      metadata: {},
      sections: [0, 1, 2, 3, 4, 5, 6].map((index) => ({
        ...(n % 5 === index ? { title: n % 2 ? 'kiwi notes' : 'mango notes' } : {}),
        // Sections 2–6 are filler, so "kiwi" stays in under half of them (it keeps its IDF).
        text:
          index > 1
            ? filler(n + index, 6)
            : `${filler(n + index, 3 + ((n * 5 + index) % 17))} ${'kiwi '.repeat(1 + (n % 3))} ${
                n % 4 === 0 ? 'mango' : ''
              } ${filler(n * 3 + index, (n * 11 + index) % 23)}`,
        metadata: { index },
      })),
    }));
    engine.indexDocuments(corpusA, docs);
    // Fewer than 40 "kiwi mango" matches: exact. Over 90 "kiwi" matches: broad.
    const both = bruteForce(temp, '"kiwi" AND "mango"');
    expect(both.length).toBeGreaterThan(10);
    expect(both.length).toBeLessThanOrEqual(40);
    expect(hitKeys(engine, 'kiwi mango ', 40)).toEqual(both);
    expect(hitKeys(engine, 'mango ', 40)).toEqual(bruteForce(temp, '"mango"'));
    // Broad: the best hits are title/heading matches, and those are all ranked.
    expect(bruteForce(temp, '"kiwi"').length).toBeGreaterThan(90);
    expect(hitKeys(engine, 'kiwi ', 5)).toEqual(bruteForce(temp, '"kiwi"').slice(0, 5));
  });

  it('never drops an early title match for recent body-only matches', () => {
    const engine = new FtsEngine(temp.db, mode);
    engine.indexDocuments(corpusA, [
      {
        documentId: 'installation',
        title: 'Installation',
        metadata: {},
        sections: [{ title: 'Install', text: 'How to install the package.', metadata: {} }],
      },
    ]);
    // 3 000 later sections (more than the 1 000 ranked) mention "install" in the body only.
    for (let batch = 0; batch < 6; batch += 1) {
      engine.indexDocuments(
        corpusA,
        Array.from({ length: 100 }, (_, n) => ({
          documentId: `later-${batch}-${n}`,
          title: `Notes ${batch} ${n}`,
          metadata: {},
          sections: Array.from({ length: 5 }, (_, index) => ({
            text: `${filler(n + index, 5)} you can install it ${filler(n * index, 4)}`,
            metadata: { index },
          })),
        })),
      );
    }
    expect(docIds(engine, request('install', [corpusA]))[0]).toBe('installation');
    expect(docIds(engine, request('install ', [corpusA]))[0]).toBe('installation');
    expect(docIds(engine, request('insta', [corpusA]))[0]).toBe('installation');
  });

  it('ranks by the informative words and still highlights the left-out ones', () => {
    // "the" is in every section: its IDF is 0, so it is left out of the MATCH.
    const engine = new FtsEngine(temp.db, mode);
    engine.indexDocuments(
      corpusA,
      Array.from({ length: 12 }, (_, n) => ({
        documentId: `p${n}`,
        metadata: {},
        sections: [
          {
            text: `The ${filler(n, 4 + n)} ${n % 4 === 0 ? 'papaya' : 'melon'} the end.`,
            metadata: { index: 0 },
          },
        ],
      })),
    );
    const context = { ...noContext, charsBefore: 200, charsAfter: 200, startTag: '[', endTag: ']' };
    const withThe = engine.search(request('the papaya ', [corpusA], { context }));
    const alone = engine.search(request('papaya ', [corpusA], { context }));
    expect(withThe.hits.map((h) => h.documentId)).toEqual(['p0', 'p4', 'p8']);
    expect(withThe.hits.map((h) => h.documentId)).toEqual(alone.hits.map((h) => h.documentId));
    expect(withThe.hits[0]?.text).toMatch(/^\[The\] .* \[papaya\] \[the\] end\.$/);
  });
});

describe('result cache', () => {
  const fruit = (documentId: string, text: string): DocumentInput => ({
    documentId,
    metadata: {},
    sections: [{ text, metadata: {} }],
  });

  it('answers a repeated request alike, with a result no caller can alter', () => {
    temp.engine.indexDocuments(corpusA, [fruit('a', 'guava'), fruit('b', 'guava guava')]);
    const first = temp.engine.search(request('guava', [corpusA]));
    expect(() => first.hits.pop()).toThrow(TypeError);
    expect(() => {
      (first.hits[0] as { text: string }).text = 'changed';
    }).toThrow(TypeError);
    const second = temp.engine.search(request('guava', [corpusA]));
    expect(second.hits.map((h) => h.documentId)).toEqual(['b', 'a']);
    expect(second.hits[0]?.text).not.toBe('changed');
  });

  it("drops cached results on the engine's own writes", () => {
    temp.engine.indexDocuments(corpusA, [fruit('a', 'lychee')]);
    expect(docIds(temp.engine, request('lychee', [corpusA]))).toEqual(['a']);
    temp.engine.indexDocuments(corpusA, [fruit('b', 'lychee lychee')]);
    expect(docIds(temp.engine, request('lychee', [corpusA]))).toEqual(['b', 'a']);
    temp.engine.deleteDocument(corpusA, 'b');
    expect(docIds(temp.engine, request('lychee', [corpusA]))).toEqual(['a']);
    temp.engine.deleteCorpus(corpusA);
    expect(docIds(temp.engine, request('lychee', [corpusA]))).toEqual([]);
  });

  it('drops cached results when another process writes the same database file', () => {
    const otherDb = openDatabase(temp.dataDir);
    try {
      const other = new FtsEngine(otherDb);
      temp.engine.indexDocuments(corpusB, [fruit('first', 'quince')]);
      expect(docIds(temp.engine, request('quince', [corpusB]))).toEqual(['first']);
      other.indexDocuments(corpusB, [fruit('second', 'quince quince')]);
      expect(docIds(temp.engine, request('quince', [corpusB]))).toEqual(['second', 'first']);
      other.deleteDocument(corpusB, 'first');
      expect(docIds(temp.engine, request('quince', [corpusB]))).toEqual(['second']);
    } finally {
      otherDb.close();
    }
  });
});
