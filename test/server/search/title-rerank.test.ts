import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FtsEngine } from '../../../server/search/fts-engine.ts';
import type { DocumentInput } from '../../../server/search/search-types.ts';
import { nameWords } from '../../../server/search/title-rerank.ts';
import { corpusA, docIds, openTempEngine, request, type TempEngine } from './search-fixtures.ts';

const page = (documentId: string, title: string, heading: string, text: string): DocumentInput => ({
  documentId,
  title,
  metadata: {},
  sections: [{ title: heading, text, metadata: {} }],
});

describe('nameWords', () => {
  it('takes the name part of a title, without section numbers', () => {
    expect(nameWords('pickle — Python object serialization — Python 3.11 documentation')).toEqual([
      'pickle',
    ]);
    expect(nameWords('5.1.3. List Comprehensions')).toEqual(['list', 'comprehensions']);
    expect(nameWords('CREATE INDEX')).toEqual(['create', 'index']);
    expect(nameWords('os.path: Common pathname manipulations')).toEqual(['os', 'path']);
  });
});

describe('the title stage over BM25', () => {
  let temp: TempEngine;
  let bm25Only: FtsEngine;
  beforeAll(() => {
    temp = openTempEngine();
    bm25Only = new FtsEngine(temp.db, { titleStage: false });
    temp.engine.indexDocuments(corpusA, [
      // A neighbour page that says "pickle" again and again, in a short section.
      page(
        'pickletools',
        'pickletools — Tools for pickle developers',
        'Usage',
        'pickle pickle pickle opcodes of a pickle, disassemble a pickle.',
      ),
      // The page named by the query, whose text says it once among many other words.
      page(
        'pickle',
        'pickle — Python object serialization',
        'Overview',
        `The pickle module implements binary protocols for serializing objects. ${'Other words about protocols and formats and objects. '.repeat(6)}`,
      ),
      page(
        'changelog',
        'Changes in 3.2',
        'Library',
        'subprocess gained run-like helpers; subprocess output is captured; subprocess is faster.',
      ),
      page(
        'subprocess',
        'subprocess — Subprocess management',
        'Using the module',
        `The run function starts a program and waits. ${'Arguments, pipes and return codes. '.repeat(6)}`,
      ),
    ]);
  });
  afterAll(() => temp.close());

  it('ranks the page the query names above a page that repeats the word', () => {
    expect(docIds(bm25Only, request('pickle ', [corpusA]))[0]).toBe('pickletools');
    expect(docIds(temp.engine, request('pickle ', [corpusA]))[0]).toBe('pickle');
  });

  it('ranks the page named by one query word above a changelog that mentions both', () => {
    expect(docIds(bm25Only, request('subprocess run ', [corpusA]))[0]).toBe('changelog');
    expect(docIds(temp.engine, request('subprocess run ', [corpusA]))[0]).toBe('subprocess');
  });

  it('keeps scores in 0..1 and sorted', () => {
    const scores = temp.engine.search(request('pickle ', [corpusA])).hits.map((hit) => hit.score);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
    for (const score of scores) expect(score).toBeGreaterThan(0);
    for (const score of scores) expect(score).toBeLessThanOrEqual(1);
  });
});
