import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../server/db/open-database.ts';
import { FtsEngine } from '../../../server/search/fts-engine.ts';
import type { DocumentInput } from '../../../server/search/search-types.ts';
import {
  corpusA,
  corpusB,
  docIds,
  openTempEngine,
  request,
  type TempEngine,
} from './search-fixtures.ts';

/**
 * The in-memory index answers only while it equals the tables: after this engine's writes,
 * another connection's, another process's, a trimmed log, a large import (caught up in the
 * background while FTS5 answers), and past its memory budget (FTS5 answers).
 */

const run = promisify(execFile);
const writer = path.join(import.meta.dirname, 'another-process-writer.ts');

const page = (documentId: string, text: string, title = documentId): DocumentInput => ({
  documentId,
  title,
  metadata: {},
  sections: [{ text, metadata: {} }],
});

let temp: TempEngine;
beforeEach(() => {
  temp = openTempEngine();
});
afterEach(() => temp.close());

const ids = (engine: FtsEngine, query: string, corpus = corpusA) =>
  docIds(engine, request(`${query} `, [corpus], { numResults: 50 })).sort();

describe('in-memory index kept equal to the tables', () => {
  it("answers from memory right after the engine's own writes", () => {
    temp.engine.indexDocuments(corpusA, [page('a', 'saffron'), page('b', 'saffron cumin')]);
    expect(ids(temp.engine, 'saffron')).toEqual(['a', 'b']);
    expect(temp.engine.memoryIndexStatus()?.state).toBe('current');
    temp.engine.deleteDocument(corpusA, 'a');
    expect(ids(temp.engine, 'saffron')).toEqual(['b']);
    temp.engine.deleteCorpus(corpusA);
    expect(ids(temp.engine, 'saffron')).toEqual([]);
    expect(temp.engine.memoryIndexStatus()).toMatchObject({ state: 'current', sections: 0 });
  });

  it('sees a replaced document whose new sections reuse the old rowids', () => {
    temp.engine.indexDocuments(corpusA, [page('first', 'anise'), page('last', 'fennel dill')]);
    temp.engine.deleteDocument(corpusA, 'last');
    // The next sections take the freed rowids at the end of the corpus's block.
    temp.engine.indexDocuments(corpusA, [page('again', 'caraway')]);
    temp.engine.indexDocuments(corpusA, [page('first', 'nutmeg')]);
    expect(ids(temp.engine, 'fennel')).toEqual([]);
    expect(ids(temp.engine, 'caraway')).toEqual(['again']);
    expect(ids(temp.engine, 'anise')).toEqual([]);
    expect(ids(temp.engine, 'nutmeg')).toEqual(['first']);
  });

  it("applies another process's writes before the next query", async () => {
    temp.engine.indexDocuments(corpusA, [page('kept', 'sumac'), page('gone', 'sumac sorrel')]);
    temp.engine.indexDocuments(corpusB, [page('other', 'sumac')]);
    expect(ids(temp.engine, 'sumac')).toEqual(['gone', 'kept']);
    const writes = [
      { corpus: corpusA, index: [page('newcomer', 'sumac mace'), page('kept', 'mace only')] },
      { corpus: corpusA, delete: 'gone' },
    ];
    await run(process.execPath, ['--import', 'tsx', writer, temp.dataDir, JSON.stringify(writes)]);
    expect(ids(temp.engine, 'sumac')).toEqual(['newcomer']);
    expect(ids(temp.engine, 'mace')).toEqual(['kept', 'newcomer']);
    expect(ids(temp.engine, 'sorrel')).toEqual([]);
    expect(ids(temp.engine, 'sumac', corpusB)).toEqual(['other']);
    expect(temp.engine.memoryIndexStatus()?.state).toBe('current');
  });

  it('rebuilds from the tables when the log was trimmed past it', () => {
    temp.engine.indexDocuments(corpusA, [page('old', 'juniper')]);
    expect(ids(temp.engine, 'juniper')).toEqual(['old']);
    const other = openDatabase(temp.dataDir);
    try {
      const writer = new FtsEngine(other, { memoryIndex: false });
      writer.indexDocuments(corpusA, [page('new', 'juniper')]);
      writer.deleteDocument(corpusA, 'old');
      writer.indexDocuments(corpusA, [page('later', 'allspice')]);
      // As if thousands of writes had gone by: only the latest entry is left.
      other.exec('DELETE FROM search_changes WHERE seq < (SELECT max(seq) FROM search_changes)');
    } finally {
      other.close();
    }
    expect(ids(temp.engine, 'juniper')).toEqual(['new']);
    expect(ids(temp.engine, 'allspice')).toEqual(['later']);
    expect(temp.engine.memoryIndexStatus()?.state).toBe('current');
  });

  it('catches up on a large import in the background, FTS5 answering meanwhile', async () => {
    const engine = new FtsEngine(temp.db, { memoryIndex: { queryCatchUpRows: 10 } });
    engine.indexDocuments(corpusA, [page('seed', 'clove')]);
    const other = openDatabase(temp.dataDir);
    try {
      new FtsEngine(other, { memoryIndex: false }).indexDocuments(
        corpusA,
        Array.from({ length: 40 }, (_, n) => page(`bulk-${n}`, `clove ${n % 2 ? 'mace' : ''}`)),
      );
    } finally {
      other.close();
    }
    const expected = ids(new FtsEngine(temp.db, { memoryIndex: false }), 'clove mace');
    expect(expected).toHaveLength(20);
    expect(ids(engine, 'clove mace')).toEqual(expected);
    expect(engine.memoryIndexStatus()?.state).toBe('catching up');
    await expect
      .poll(() => {
        ids(engine, 'clove');
        return engine.memoryIndexStatus()?.state;
      })
      .toBe('current');
    expect(ids(engine, 'clove mace')).toEqual(expected);
    expect(engine.memoryIndexStatus()?.sections).toBe(41);
  });

  it('stays within its memory budget, FTS5 answering past it', () => {
    const engine = new FtsEngine(temp.db, { memoryIndex: { maxPostings: 20 } });
    engine.indexDocuments(
      corpusA,
      Array.from({ length: 10 }, (_, n) => page(`p${n}`, `cardamom pepper ${n}`)),
    );
    expect(engine.memoryIndexStatus()?.state).toBe('over budget');
    expect(ids(engine, 'cardamom')).toHaveLength(10);
    // Back under budget once the corpora shrink.
    engine.deleteCorpus(corpusA);
    engine.indexDocuments(corpusA, [page('small', 'cardamom')]);
    expect(ids(engine, 'cardamom')).toEqual(['small']);
    expect(engine.memoryIndexStatus()?.state).toBe('current');
  });
});
