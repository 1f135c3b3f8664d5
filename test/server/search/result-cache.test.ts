import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FtsEngine } from '../../../server/search/fts-engine.ts';
import { estimateResultBytes, ResultCache } from '../../../server/search/result-cache.ts';
import type { SearchResult } from '../../../server/search/search-types.ts';
import { corpusA, noContext, openTempEngine, request, type TempEngine } from './search-fixtures.ts';

const box = (size: number) => ({ size });
const sizeOf = (value: { size: number }) => value.size;

describe('ResultCache', () => {
  it('evicts the least recently used entries once the bytes exceed its budget', () => {
    const cache = new ResultCache(1_000, sizeOf, 1_000);
    cache.set('a', box(320));
    cache.set('b', box(320));
    expect(cache.get('a')?.size).toBe(320); // "a" is now the most recently used
    cache.set('c', box(320));
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')?.size).toBe(320);
    expect(cache.get('c')?.size).toBe(320);
    expect(cache.stats()).toMatchObject({ entries: 2, budgetBytes: 1_000, hits: 3, misses: 1 });
    expect(cache.stats().bytes).toBeLessThanOrEqual(1_000);
  });

  it('does not keep one result larger than a sixteenth of the budget', () => {
    const cache = new ResultCache(16_000, sizeOf);
    cache.set('small', box(500));
    cache.set('huge', box(2_000));
    expect(cache.get('huge')).toBeUndefined();
    expect(cache.get('small')).toBeDefined();
  });

  it('keeps nothing with budget 0, and forgets everything on clear()', () => {
    const off = new ResultCache(0, sizeOf);
    off.set('a', box(1));
    expect(off.get('a')).toBeUndefined();
    const cache = new ResultCache(10_000, sizeOf);
    cache.set('a', box(1));
    cache.clear();
    expect(cache.get('a')).toBeUndefined();
    expect(cache.stats().entries).toBe(0);
  });
});

describe('the engine result cache under heavy distinct queries', () => {
  let temp: TempEngine;
  const sentence = (n: number) => `Sentence ${n} talks about cache budgets and heavy pages.`;
  beforeAll(() => {
    temp = openTempEngine();
    temp.engine.indexDocuments(
      corpusA,
      Array.from({ length: 120 }, (_, d) => ({
        documentId: `doc-${d}`,
        title: `Document ${d}`,
        metadata: { url: `https://example.com/${d}` },
        sections: [
          {
            title: 'Body',
            text: Array.from({ length: 40 }, (_, n) => sentence(n)).join(' '),
            metadata: { n: d },
          },
        ],
      })),
    );
  });
  afterAll(() => temp.close());

  it('never holds more than its budget, whatever the queries', () => {
    const budgetBytes = 128 * 1024;
    const engine = new FtsEngine(temp.db, { resultCacheBytes: budgetBytes });
    const heavy = { ...noContext, sentencesBefore: 4, sentencesAfter: 4 };
    let largest = 0;
    for (let i = 0; i < 150; i += 1) {
      // Distinct keys, every one a full page of long snippets.
      const result = engine.search(
        request(`cache budgets ${i}`, [corpusA], { numResults: 100, context: heavy }),
      );
      expect(result.hits.length).toBeGreaterThan(0);
      const stats = engine.resultCacheStats();
      expect(stats.bytes).toBeLessThanOrEqual(budgetBytes);
      largest = Math.max(largest, stats.bytes);
    }
    // It did fill up (so the bound was what held it), and it evicted.
    expect(largest).toBeGreaterThan(budgetBytes / 2);
    expect(engine.resultCacheStats().entries).toBeLessThan(150);
  });

  it('estimates a result as at least the text it holds', () => {
    const result: SearchResult = temp.engine.search(
      request('heavy pages', [corpusA], {
        numResults: 50,
        context: { ...noContext, sentencesAfter: 5 },
      }),
    );
    expect(estimateResultBytes(result)).toBeGreaterThan(JSON.stringify(result).length);
  });
});
