import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DocumentInput } from '../../../server/search/search-types.ts';
import {
  corpusA,
  corpusB,
  docIds,
  openTempEngine,
  request,
  type TempEngine,
} from './search-fixtures.ts';

let temp: TempEngine;
beforeEach(() => {
  temp = openTempEngine();
});
afterEach(() => temp.close());

const doc = (
  documentId: string,
  text: string,
  extra: Partial<DocumentInput> = {},
): DocumentInput => ({
  documentId,
  title: `Title of ${documentId}`,
  metadata: { lang: 'en' },
  sections: [{ title: 'Heading', text, metadata: { part: 1 } }],
  ...extra,
});

describe('indexing semantics', () => {
  it('reports created, unchanged and updated, and counts chars like quotaConsumed', () => {
    const [created] = temp.engine.indexDocuments(corpusA, [doc('a', 'alpha words')]);
    expect(created).toEqual({
      status: 'created',
      sections: 1,
      // "Title of a" (10) + "Heading" (7) + "alpha words" (11)
      chars: 28,
      metadataChars: JSON.stringify({ lang: 'en' }).length + JSON.stringify({ part: 1 }).length,
    });
    expect(temp.engine.indexDocuments(corpusA, [doc('a', 'alpha words')])[0]?.status).toBe(
      'unchanged',
    );
    expect(temp.engine.indexDocuments(corpusA, [doc('a', 'beta words')])[0]?.status).toBe(
      'updated',
    );
    expect(temp.engine.countDocuments(corpusA)).toBe(1);
    expect(docIds(temp.engine, request('alpha', [corpusA]))).toEqual([]);
    expect(docIds(temp.engine, request('beta', [corpusA]))).toEqual(['a']);
  });

  it('counts characters, not UTF-16 units', () => {
    const [outcome] = temp.engine.indexDocuments(corpusA, [
      { documentId: 'e', metadata: {}, sections: [{ text: '🙂é', metadata: {} }] },
    ]);
    expect(outcome?.chars).toBe(2);
    expect(outcome?.metadataChars).toBe(0);
  });

  it('treats metadata key order as the same content', () => {
    temp.engine.indexDocuments(corpusA, [doc('a', 'x', { metadata: { a: 1, b: 2 } })]);
    const [again] = temp.engine.indexDocuments(corpusA, [
      doc('a', 'x', { metadata: { b: 2, a: 1 } }),
    ]);
    expect(again?.status).toBe('unchanged');
  });

  it('keeps the same document id apart in different corpora', () => {
    temp.engine.indexDocuments(corpusA, [doc('same', 'apples')]);
    temp.engine.indexDocuments(corpusB, [doc('same', 'oranges')]);
    expect(docIds(temp.engine, request('apples', [corpusA, corpusB]))).toEqual(['same']);
    expect(temp.engine.search(request('oranges', [corpusA, corpusB])).hits[0]?.corpus).toEqual(
      corpusB,
    );
  });

  it('indexes a batch in one transaction: a failure leaves nothing behind', () => {
    const bad = { documentId: 'bad', metadata: {}, sections: null } as unknown as DocumentInput;
    expect(() => temp.engine.indexDocuments(corpusA, [doc('good', 'kiwi'), bad])).toThrow();
    expect(temp.engine.countDocuments(corpusA)).toBe(0);
    expect(docIds(temp.engine, request('kiwi', [corpusA]))).toEqual([]);
  });

  it('deletes a document and reports whether it existed', () => {
    temp.engine.indexDocuments(corpusA, [doc('a', 'mango'), doc('b', 'mango')]);
    expect(temp.engine.deleteDocument(corpusA, 'a')).toBe(true);
    expect(temp.engine.deleteDocument(corpusA, 'a')).toBe(false);
    expect(docIds(temp.engine, request('mango', [corpusA]))).toEqual(['b']);
  });

  it('deletes a whole corpus and nothing else', () => {
    temp.engine.indexDocuments(corpusA, [doc('a', 'papaya'), doc('b', 'papaya')]);
    temp.engine.indexDocuments(corpusB, [doc('c', 'papaya')]);
    expect(temp.engine.deleteCorpus(corpusA)).toBe(2);
    expect(temp.engine.countDocuments(corpusA)).toBe(0);
    expect(docIds(temp.engine, request('papaya', [corpusA, corpusB]))).toEqual(['c']);
    // The corpus can be filled again.
    temp.engine.indexDocuments(corpusA, [doc('d', 'papaya')]);
    expect(docIds(temp.engine, request('papaya', [corpusA]))).toEqual(['d']);
  });

  it('keeps data after closing and reopening the database file', () => {
    temp.engine.indexDocuments(corpusA, [doc('kept', 'persistent running words')]);
    temp.reopen();
    expect(temp.engine.countDocuments(corpusA)).toBe(1);
    expect(docIds(temp.engine, request('persistent', [corpusA]))).toEqual(['kept']);
    expect(docIds(temp.engine, request('runni', [corpusA]))).toEqual(['kept']);
    expect(
      temp.engine.indexDocuments(corpusA, [doc('kept', 'persistent running words')])[0]?.status,
    ).toBe('unchanged');
  });

  it('returns section metadata with the heading as title, document metadata with title', () => {
    temp.engine.indexDocuments(corpusA, [doc('m', 'guava')]);
    const result = temp.engine.search(request('guava', [corpusA]));
    expect(result.hits[0]?.metadata).toEqual({ part: 1, title: 'Heading' });
    expect(result.documents[0]?.metadata).toEqual({ lang: 'en', title: 'Title of m' });
  });
});
