import type { SchemaComponent } from '../db/migrations.ts';
import { columnWeights, corpusBlockSize, ftsTokenizer } from './fts-layout.ts';
import { backfillVocabulary } from './vocabulary-backfill.ts';

/**
 * The search engine's tables. One FTS5 table holds every corpus, so IDF is computed over all of
 * them and scores are comparable across the corpora of one query. Each corpus owns a block of
 * rowids (slot × 2^32 onwards): FTS5 restricts a query to a rowid range by seeking, which is
 * far cheaper than AND-ing every query with a corpus token matching every section.
 */

/** FTS5's ranking with the column weights (see fts-layout.ts), as `rank MATCH` takes it. */
export const rankFunction = `bm25(${columnWeights.map((weight) => weight.toFixed(1)).join(', ')})`;

export { corpusBlockSize, ftsTokenizer };

export const searchSchema: SchemaComponent = {
  name: 'search',
  migrations: [
    {
      version: 1,
      description: 'documents, sections, corpus rowid blocks, the FTS5 index and the vocabulary',
      up: (db) =>
        db.exec(`
    CREATE TABLE IF NOT EXISTS search_documents (
      id INTEGER PRIMARY KEY,
      customer_id INTEGER NOT NULL,
      corpus_id INTEGER NOT NULL,
      document_id TEXT NOT NULL,
      -- JSON object; includes title when the document has one (filters see doc.title).
      metadata TEXT NOT NULL,
      description TEXT,
      content_hash TEXT NOT NULL,
      UNIQUE (customer_id, corpus_id, document_id)
    );
    CREATE TABLE IF NOT EXISTS search_corpora (
      slot INTEGER PRIMARY KEY,
      customer_id INTEGER NOT NULL,
      corpus_id INTEGER NOT NULL,
      UNIQUE (customer_id, corpus_id)
    );
    CREATE TABLE IF NOT EXISTS search_sections (
      -- Equal to the section's rowid in search_fts: slot * 2^32 + sequence.
      id INTEGER PRIMARY KEY,
      doc_id INTEGER NOT NULL,
      -- JSON object; includes title (the heading) when the section has one.
      metadata TEXT NOT NULL
    );
    CREATE INDEX IF NOT EXISTS search_sections_by_doc ON search_sections (doc_id);
    CREATE VIRTUAL TABLE IF NOT EXISTS search_fts USING fts5(
      doc_title, section_title, body,
      tokenize = '${ftsTokenizer}',
      prefix = '2 3 4'
    );
    -- Unstemmed words per corpus, for the last word typed: "runni" must reach "running",
    -- whose stored stem "run" no prefix query can find. Grows only; stale words match nothing.
    CREATE TABLE IF NOT EXISTS search_vocabulary (
      customer_id INTEGER NOT NULL,
      corpus_id INTEGER NOT NULL,
      word TEXT NOT NULL,
      -- Leading letters of the word that survive in its stem (see prefix-vocabulary.ts).
      kept INTEGER NOT NULL,
      PRIMARY KEY (customer_id, corpus_id, word)
    ) WITHOUT ROWID;
      `),
    },
    {
      version: 2,
      description: 'every word of every corpus in search_vocabulary, for typo tolerance',
      up: backfillVocabulary,
    },
    {
      version: 3,
      description: 'the log of section rowids each write touched, for in-memory indexes',
      up: (db) =>
        db.exec(`
    -- See change-log.ts. AUTOINCREMENT: a sequence number is never handed out twice, even after
    -- the oldest entries are trimmed, so a reader can tell it missed some.
    CREATE TABLE IF NOT EXISTS search_changes (
      seq INTEGER PRIMARY KEY AUTOINCREMENT,
      first_id INTEGER NOT NULL,
      end_id INTEGER NOT NULL
    );
      `),
    },
  ],
};
