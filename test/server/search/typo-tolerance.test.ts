import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseSchema } from '../../../server/db/database-schema.ts';
import { migrate, schemaVersions } from '../../../server/db/migrations.ts';
import { databaseFileName, openDatabase } from '../../../server/db/open-database.ts';
import { FtsEngine } from '../../../server/search/fts-engine.ts';
import { searchSchema } from '../../../server/search/search-schema.ts';
import { allowedEdits, editDistance } from '../../../server/search/typo-correction.ts';
import { corpusA, docIds, openTempEngine, request, type TempEngine } from './search-fixtures.ts';

describe('edit distance', () => {
  it.each([
    ['vacum', 'vacuum', 1],
    ['datetiem', 'datetime', 1], // a swap of neighbours is one edit
    ['threding', 'threading', 1],
    ['partitoning', 'partitioning', 1],
    ['subprocces', 'subprocess', 2],
    ['kitten', 'sitting', 3],
  ])('%s → %s is %i', (a, b, distance) => {
    expect(editDistance(a, b, 5)).toBe(distance);
  });

  it('stops early past the limit', () => {
    expect(editDistance('abcdefgh', 'zyxwvuts', 1)).toBe(2);
  });

  it('never corrects a word with a digit (versions, codes, identifiers)', () => {
    expect(allowedEdits('filler2marker')).toBe(0);
    expect(allowedEdits('release15')).toBe(0);
  });

  it('allows one edit from 5 letters and two from 9', () => {
    expect([allowedEdits('json'), allowedEdits('vacum'), allowedEdits('partitoning')]).toEqual([
      0, 1, 2,
    ]);
  });
});

describe('typo tolerance', () => {
  let temp: TempEngine;
  beforeAll(() => {
    temp = openTempEngine();
    temp.engine.indexDocuments(corpusA, [
      {
        documentId: 'vacuum',
        title: 'VACUUM',
        metadata: {},
        sections: [{ text: 'VACUUM reclaims storage held by dead rows.', metadata: {} }],
      },
      {
        documentId: 'triggers',
        title: 'Triggers',
        metadata: {},
        sections: [{ text: 'A trigger runs a function when rows change.', metadata: {} }],
      },
      {
        documentId: 'vacation',
        title: 'Vacation policy',
        metadata: {},
        sections: [{ text: 'Days off for the team.', metadata: {} }],
      },
    ]);
  });
  afterAll(() => temp.close());

  it('finds the word meant for a word the corpus lacks, whole or being typed', () => {
    expect(docIds(temp.engine, request('vacum ', [corpusA]))).toEqual(['vacuum']);
    expect(docIds(temp.engine, request('vacum', [corpusA]))).toEqual(['vacuum']);
    expect(docIds(temp.engine, request('trigers', [corpusA]))).toEqual(['triggers']);
  });

  it('keeps the other words of the query: all of them must still match', () => {
    expect(docIds(temp.engine, request('dead rows vacum ', [corpusA]))).toEqual(['vacuum']);
  });

  it('leaves real words and short words alone', () => {
    // "vacation" exists: it is not corrected towards "vacuum" or anything else.
    expect(docIds(temp.engine, request('vacation ', [corpusA]))).toEqual(['vacation']);
    expect(docIds(temp.engine, request('rowz ', [corpusA]))).toEqual([]);
  });

  it('highlights the corrected word in the snippet', () => {
    const [hit] = temp.engine.search(
      request('vacum ', [corpusA], {
        context: { ...request('', []).context, startTag: '[', endTag: ']' },
      }),
    ).hits;
    expect(hit?.text).toContain('[VACUUM]');
  });
});

describe('search schema 2 upgrades a version-1 data folder in place', () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'sg-search-v1-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('adds every indexed word to the vocabulary, losing nothing', () => {
    // Written as version 1 did: the same rows, and only stemmer-cut words in the vocabulary.
    const v1 = new Database(path.join(dataDir, databaseFileName));
    const version1 = databaseSchema.map((component) =>
      component === searchSchema
        ? { ...component, migrations: component.migrations.slice(0, 1) }
        : component,
    );
    migrate(v1, version1);
    const rowid = 2 ** 32 + 1;
    v1.exec(`
      INSERT INTO search_corpora (slot, customer_id, corpus_id) VALUES (1, 1, 1);
      INSERT INTO search_documents (id, customer_id, corpus_id, document_id, metadata, content_hash)
        VALUES (1, 1, 1, 'guide', '{"title":"Guide"}', 'h');
      INSERT INTO search_sections (id, doc_id, metadata) VALUES (${rowid}, 1, '{}');
      INSERT INTO search_fts (rowid, doc_title, section_title, body)
        VALUES (${rowid}, 'Guide', 'Partitioning', 'Partitioning splits a large table into pieces.');
      INSERT INTO search_vocabulary (customer_id, corpus_id, word, kept) VALUES (1, 1, 'partitioning', 6);
    `);
    expect(schemaVersions(v1).search).toBe(1);
    v1.close();

    const db = openDatabase(dataDir);
    try {
      expect(schemaVersions(db).search).toBe(searchSchema.migrations.length);
      const words = db.prepare('SELECT word FROM search_vocabulary ORDER BY word').pluck().all();
      expect(words).toEqual(
        expect.arrayContaining(['guide', 'large', 'partitioning', 'pieces', 'splits', 'table']),
      );
      const engine = new FtsEngine(db);
      expect(docIds(engine, request('partitoning', [corpusA]))).toEqual(['guide']);
      expect(docIds(engine, request('peices ', [corpusA]))).toEqual(['guide']);
      expect(docIds(engine, request('partit', [corpusA]))).toEqual(['guide']);
    } finally {
      db.close();
    }
  });
});
