import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FtsEngine } from '../../../server/search/fts-engine.ts';
import {
  corpusA,
  corpusB,
  docIds,
  openTempEngine,
  readmeDocument,
  readmePackages,
  request,
  type TempEngine,
} from './search-fixtures.ts';

let temp: TempEngine;
let onFts5: FtsEngine;

beforeAll(() => {
  temp = openTempEngine();
  temp.engine.indexDocuments(corpusA, readmePackages.map(readmeDocument));
  onFts5 = new FtsEngine(temp.db, { memoryIndex: false });
});
afterAll(() => temp.close());

// The in-memory index ranks when current; FTS5 while it catches up: both must rank alike.
describe.each([
  ['in memory', () => temp.engine],
  ['on FTS5', () => onFts5],
])('ranking on real READMEs, %s', (_, engineOf) => {
  const top = (query: string) => docIds(engineOf(), request(query, [corpusA]))[0];

  it.each([
    ['express', 'express'],
    ['schema validation', 'zod'],
    ['sqlite', 'better-sqlite3'],
    ['glob matching', 'picomatch'],
    ['terminal colors', 'chalk'],
    ['property based testing', 'fast-check'],
    ['accessibility rules', 'axe-core'],
    ['security headers', 'helmet'],
    ['semantic versioner', 'semver'],
    ['query string parsing', 'qs'],
    ['web components', 'lit'],
    ['rate limiting middleware', 'express-rate-limit'],
    ['redis client', 'redis'],
    ['http benchmarking tool', 'autocannon'],
  ])('"%s" ranks %s first', (query, expected) => {
    expect(top(query)).toBe(expected);
  });

  it('finds results while the last word is being typed', () => {
    expect(top('expre')).toBe('express');
    expect(top('picoma')).toBe('picomatch');
    expect(top('schema valid')).toBe('zod');
  });

  it('completes a partial word whose stem is shorter than what was typed', () => {
    // "running" is stored as the stem "run": the prefix "runni" must still find it.
    const result = engineOf().search(
      request('runni', [corpusA], {
        context: { ...request('', []).context, startTag: '[', endTag: ']' },
      }),
    );
    expect(result.hits.length).toBeGreaterThan(0);
    expect(result.hits.some((hit) => /\[runn?i?n?g?s?\]/i.test(hit.text))).toBe(true);
  });

  it('treats a finished word (trailing space) as a whole word, not a prefix', () => {
    expect(docIds(engineOf(), request('expre ', [corpusA]))).toEqual([]);
  });

  it('matches stems: "validating" finds "validation"', () => {
    expect(top('validating schemas')).toBe('zod');
  });

  it('falls back to OR when a typo leaves AND with nothing', () => {
    expect(top('exprss middleware')).toBeDefined();
    expect(docIds(engineOf(), request('zzqxv middleware', [corpusA])).length).toBeGreaterThan(0);
  });

  it('returns scores between 0 and 1, best first', () => {
    const { hits } = engineOf().search(request('middleware', [corpusA]));
    expect(hits.length).toBeGreaterThan(1);
    for (const hit of hits) expect(hit.score).toBeGreaterThan(0);
    for (const hit of hits) expect(hit.score).toBeLessThan(1);
    const scores = hits.map((hit) => hit.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
  });

  it('returns nothing for an empty or punctuation-only query', () => {
    for (const query of ['', '   ', '"*^:-()', '🙂🙂']) {
      expect(engineOf().search(request(query, [corpusA])).hits).toEqual([]);
    }
  });

  it('pages with start and numResults', () => {
    const all = engineOf().search(request('the', [corpusA], { numResults: 30 })).hits;
    const second = engineOf().search(request('the', [corpusA], { start: 10, numResults: 10 })).hits;
    expect(all.length).toBe(30);
    expect(second.map((h) => [h.documentId, h.metadata.index])).toEqual(
      all.slice(10, 20).map((h) => [h.documentId, h.metadata.index]),
    );
    expect(engineOf().search(request('the', [corpusA], { start: 100000 })).hits).toEqual([]);
  });

  it('lists each document once and points hits at it', () => {
    const result = engineOf().search(request('express', [corpusA]));
    expect(result.documents.map((d) => d.documentId)).toEqual([
      ...new Set(result.hits.map((h) => h.documentId)),
    ]);
    result.hits.forEach((hit, i) => {
      expect(result.documents[result.documentIndex[i] ?? -1]?.documentId).toBe(hit.documentId);
    });
    expect(result.documents[0]?.metadata).toMatchObject({
      title: 'express',
      url: 'https://www.npmjs.com/package/express',
    });
  });
});

describe('diacritics and multiple corpora', () => {
  let local: TempEngine;
  beforeAll(() => {
    local = openTempEngine();
    local.engine.indexDocuments(corpusA, [
      {
        documentId: 'cafe',
        title: 'Menu',
        metadata: {},
        sections: [{ text: 'Our café serves crème brûlée.', metadata: {} }],
      },
    ]);
    local.engine.indexDocuments(corpusB, [
      {
        documentId: 'plain',
        title: 'Cafe list',
        metadata: {},
        sections: [{ text: 'The best cafe in town, with creme brulee.', metadata: {} }],
      },
    ]);
  });
  afterAll(() => local.close());

  it('folds diacritics both ways', () => {
    expect(docIds(local.engine, request('cafe', [corpusA]))).toEqual(['cafe']);
    expect(docIds(local.engine, request('café', [corpusB]))).toEqual(['plain']);
    expect(docIds(local.engine, request('CRÈME brulee', [corpusA]))).toEqual(['cafe']);
  });

  it('merges corpora by score and keeps each hit corpus', () => {
    const result = local.engine.search(request('cafe', [corpusA, corpusB]));
    expect(result.hits.map((h) => h.documentId).sort()).toEqual(['cafe', 'plain']);
    // The document title "Cafe list" is boosted over a body-only match.
    expect(result.hits[0]?.documentId).toBe('plain');
    expect(result.hits[0]?.corpus).toEqual(corpusB);
    expect(result.hits[1]?.corpus).toEqual(corpusA);
  });

  it('searches only the corpora asked for', () => {
    expect(docIds(local.engine, request('cafe', [corpusB]))).toEqual(['plain']);
    expect(docIds(local.engine, request('cafe', [{ customerId: 9, corpusId: 9 }]))).toEqual([]);
  });
});
