import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jaccard, mmrOrder } from '../../../server/search/mmr-reranker.ts';
import type { SearchRequest } from '../../../server/search/search-types.ts';
import { corpusA, docIds, openTempEngine, request, type TempEngine } from './search-fixtures.ts';

describe('mmrOrder', () => {
  // Candidates 0-2 are copies of one text, 3 is different and a little less relevant.
  const relevance = [0.9, 0.89, 0.88, 0.8];
  const similarity = (a: number, b: number) => (a < 3 && b < 3 ? 1 : 0);

  it('keeps the relevance order with bias 0, and skips copies with a high bias', () => {
    expect(mmrOrder(relevance, similarity, 0).map((p) => p.index)).toEqual([0, 1, 2, 3]);
    expect(mmrOrder(relevance, similarity, 0.5).map((p) => p.index)).toEqual([0, 3, 1, 2]);
  });

  it('gives scores that never increase, and picks only as many as asked', () => {
    const picks = mmrOrder(relevance, similarity, 0.7, 3);
    expect(picks).toHaveLength(3);
    for (let i = 1; i < picks.length; i += 1) {
      expect(picks[i]?.score).toBeLessThanOrEqual(picks[i - 1]?.score ?? 0);
    }
  });

  it('measures overlap of sorted word ids', () => {
    expect(jaccard([1, 2, 3], [2, 3, 4])).toBeCloseTo(2 / 4);
    expect(jaccard([1], [])).toBe(0);
    expect(jaccard([5, 9], [5, 9])).toBe(1);
  });
});

describe('the mmr reranker in the engine', () => {
  let temp: TempEngine;
  const mirrored = (version: number) => ({
    documentId: `v${version}/caching`,
    title: `Caching (version ${version})`,
    metadata: {},
    sections: [
      {
        title: 'Cache size',
        text: `Set the cache size with cacheSize in the config file; the cache keeps pages in memory. Version ${version}.`,
        metadata: {},
      },
    ],
  });
  beforeAll(() => {
    temp = openTempEngine();
    temp.engine.indexDocuments(corpusA, [
      ...[1, 2, 3, 4, 5].map(mirrored),
      {
        documentId: 'eviction',
        title: 'Eviction',
        metadata: {},
        sections: [
          {
            title: 'When entries leave',
            text: 'Least recently used entries leave the cache first when it is full, whatever their size.',
            metadata: {},
          },
        ],
      },
      {
        documentId: 'redis',
        title: 'Shared stores',
        metadata: {},
        sections: [
          {
            title: 'Redis',
            text: 'A Redis cache is shared by every instance; its size is set on the Redis server.',
            metadata: {},
          },
        ],
      },
    ]);
  });
  afterAll(() => temp.close());

  const mmr = (diversityBias: number, options: Partial<SearchRequest> = {}) =>
    request('cache size', [corpusA], {
      numResults: 3,
      reranker: { type: 'mmr', diversityBias },
      ...options,
    });

  it('fills the page with mirrored copies without it, and with other pages with it', () => {
    const plain = docIds(temp.engine, request('cache size', [corpusA], { numResults: 3 }));
    expect(plain.every((id) => id.endsWith('/caching'))).toBe(true);
    const diverse = docIds(temp.engine, mmr(0.6));
    expect(diverse[0]).toBe(plain[0]);
    expect(diverse.filter((id) => id.endsWith('/caching'))).toHaveLength(1);
    expect(new Set(diverse.slice(1))).toEqual(new Set(['eviction', 'redis']));
  });

  it('changes nothing with diversityBias 0', () => {
    const plain = temp.engine.search(request('cache size', [corpusA], { numResults: 3 }));
    expect(temp.engine.search(mmr(0))).toEqual(plain);
  });

  it('returns hits sorted by the reranker score, and pages that continue each other', () => {
    const all = temp.engine.search(mmr(0.6, { numResults: 7 })).hits;
    const scores = all.map((hit) => hit.score);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
    const second = temp.engine.search(mmr(0.6, { start: 3, numResults: 3 })).hits;
    expect(second.map((hit) => hit.documentId)).toEqual(
      all.slice(3, 6).map((hit) => hit.documentId),
    );
  });
});
