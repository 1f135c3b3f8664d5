import { createHash } from 'node:crypto';
import type { Statement } from 'better-sqlite3';
import type { SqliteDatabase } from '../db/open-database.ts';
import { writeTransaction } from '../db/write-transaction.ts';
import { ChangeLog } from './change-log.ts';
import type { CorpusSlots } from './corpus-slots.ts';
import { quotaConsumed } from './index-quota.ts';
import type { PrefixVocabulary } from './prefix-vocabulary.ts';
import { foldedWords } from './query-text.ts';
import type { CorpusRef, DocumentInput, IndexOutcome, Metadata } from './search-types.ts';
import { chunkSectionText, maxSectionChars } from './section-chunks.ts';
import { withoutMarkers } from './snippet.ts';

/**
 * Writes documents into the search tables: one row per document, one per (chunked) section in
 * `search_sections` and `search_fts` with equal rowids in the corpus's block, and the words for
 * completion. Every write is one immediate transaction, so a crash mid-batch leaves the index as
 * it was before the batch (SQLite's journal), and another process sees all of it or nothing.
 * Each write also logs the section rowids it touched (change-log.ts), in the same transaction.
 */

interface StoredDocument {
  id: number;
  content_hash: string;
}

interface PreparedSection {
  title: string;
  text: string;
  metadata: Metadata;
}

export class SearchIndexer {
  private readonly db: SqliteDatabase;
  private readonly slots: CorpusSlots;
  private readonly vocabulary: PrefixVocabulary;
  private readonly changes: ChangeLog;
  private readonly documentSections: Statement<
    [number],
    { first: number | null; last: number | null }
  >;
  private readonly findDocument: Statement<[number, number, string], StoredDocument>;
  private readonly insertDocument: Statement<
    [number, number, string, string, string | null, string]
  >;
  private readonly updateDocument: Statement<[string, string | null, string, number]>;
  private readonly deleteDocumentRow: Statement<[number]>;
  private readonly deleteDocumentFts: Statement<[number]>;
  private readonly deleteDocumentSections: Statement<[number]>;
  private readonly insertSection: Statement<[number, number, string]>;
  private readonly insertFts: Statement<[bigint, string, string, string]>;
  private readonly deleteRangeFts: Statement<[bigint, bigint]>;
  private readonly deleteRangeSections: Statement<[number, number]>;
  private readonly deleteCorpusDocuments: Statement<[number, number]>;
  private readonly countCorpusDocuments: Statement<[number, number], number>;
  private readonly indexBatch: (corpus: CorpusRef, docs: DocumentInput[]) => IndexOutcome[];

  constructor(db: SqliteDatabase, slots: CorpusSlots, vocabulary: PrefixVocabulary) {
    this.db = db;
    this.slots = slots;
    this.vocabulary = vocabulary;
    this.changes = new ChangeLog(db);
    this.documentSections = db.prepare(
      'SELECT min(id) AS first, max(id) AS last FROM search_sections WHERE doc_id = ?',
    );
    this.findDocument = db.prepare(
      `SELECT id, content_hash FROM search_documents
       WHERE customer_id = ? AND corpus_id = ? AND document_id = ?`,
    );
    this.insertDocument = db.prepare(
      `INSERT INTO search_documents
         (customer_id, corpus_id, document_id, metadata, description, content_hash)
       VALUES (?, ?, ?, ?, ?, ?)`,
    );
    this.updateDocument = db.prepare(
      'UPDATE search_documents SET metadata = ?, description = ?, content_hash = ? WHERE id = ?',
    );
    this.deleteDocumentRow = db.prepare('DELETE FROM search_documents WHERE id = ?');
    this.deleteDocumentFts = db.prepare(
      'DELETE FROM search_fts WHERE rowid IN (SELECT id FROM search_sections WHERE doc_id = ?)',
    );
    this.deleteDocumentSections = db.prepare('DELETE FROM search_sections WHERE doc_id = ?');
    this.insertSection = db.prepare(
      'INSERT INTO search_sections (id, doc_id, metadata) VALUES (?, ?, ?)',
    );
    // FTS5 rowids are bound as BigInt: FTS5 (3.53) silently ignores a rowid constraint bound
    // as REAL, which is how better-sqlite3 binds JS numbers.
    this.insertFts = db.prepare(
      'INSERT INTO search_fts (rowid, doc_title, section_title, body) VALUES (?, ?, ?, ?)',
    );
    this.deleteRangeFts = db.prepare('DELETE FROM search_fts WHERE rowid >= ? AND rowid < ?');
    this.deleteRangeSections = db.prepare('DELETE FROM search_sections WHERE id >= ? AND id < ?');
    this.deleteCorpusDocuments = db.prepare(
      'DELETE FROM search_documents WHERE customer_id = ? AND corpus_id = ?',
    );
    this.countCorpusDocuments = db
      .prepare<[number, number], number>(
        'SELECT count(*) FROM search_documents WHERE customer_id = ? AND corpus_id = ?',
      )
      .pluck();
    this.indexBatch = writeTransaction(db, (corpus: CorpusRef, docs: DocumentInput[]) => {
      const words = new Set<string>();
      const outcomes = docs.map((doc) => this.indexOne(corpus, doc, words));
      this.vocabulary.add(corpus, words);
      this.changes.trim();
      return outcomes;
    });
  }

  /** Indexes a batch in one transaction; a document id already in the corpus is replaced. */
  indexDocuments(corpus: CorpusRef, docs: DocumentInput[]): IndexOutcome[] {
    return this.indexBatch(corpus, docs);
  }

  deleteDocument(corpus: CorpusRef, documentId: string): boolean {
    return writeTransaction(this.db, () => {
      const stored = this.findDocument.get(corpus.customerId, corpus.corpusId, documentId);
      if (!stored) return false;
      this.removeSections(stored.id);
      this.deleteDocumentRow.run(stored.id);
      this.changes.trim();
      return true;
    })();
  }

  /** Removes every document of the corpus and its completion words; returns how many docs. */
  deleteCorpus(corpus: CorpusRef): number {
    return writeTransaction(this.db, () => {
      const range = this.slots.range(corpus);
      if (range) {
        this.deleteRangeFts.run(BigInt(range.first), BigInt(range.end));
        this.deleteRangeSections.run(range.first, range.end);
        this.changes.record(range.first, range.end);
        this.changes.trim();
      }
      this.vocabulary.deleteCorpus(corpus);
      return this.deleteCorpusDocuments.run(corpus.customerId, corpus.corpusId).changes;
    })();
  }

  countDocuments(corpus: CorpusRef): number {
    return this.countCorpusDocuments.get(corpus.customerId, corpus.corpusId) ?? 0;
  }

  private indexOne(corpus: CorpusRef, doc: DocumentInput, words: Set<string>): IndexOutcome {
    const docMetadata: Metadata = { ...doc.metadata };
    if (doc.title !== undefined) docMetadata.title = doc.title;
    const sections = chunkedSections(doc);
    const outcome = { ...quotaConsumed(doc), sections: sections.length };
    const hash = contentHash(docMetadata, doc.description ?? null, sections);
    const stored = this.findDocument.get(corpus.customerId, corpus.corpusId, doc.documentId);
    if (stored?.content_hash === hash) return { ...outcome, status: 'unchanged' };

    const metadataJson = JSON.stringify(docMetadata);
    let docRowId: number;
    if (stored) {
      this.removeSections(stored.id);
      this.updateDocument.run(metadataJson, doc.description ?? null, hash, stored.id);
      docRowId = stored.id;
    } else {
      const inserted = this.insertDocument.run(
        corpus.customerId,
        corpus.corpusId,
        doc.documentId,
        metadataJson,
        doc.description ?? null,
        hash,
      );
      docRowId = Number(inserted.lastInsertRowid);
    }

    const docTitle = withoutMarkers(typeof docMetadata.title === 'string' ? docMetadata.title : '');
    const range = this.slots.ensureRange(corpus);
    const firstSectionId = this.slots.nextSectionId(range);
    let sectionId = firstSectionId;
    for (const word of foldedWords(docTitle)) words.add(word);
    for (const section of sections) {
      const title = withoutMarkers(section.title);
      const body = withoutMarkers(section.text);
      this.insertSection.run(sectionId, docRowId, JSON.stringify(section.metadata));
      this.insertFts.run(BigInt(sectionId), docTitle, title, body);
      sectionId += 1;
      for (const word of foldedWords(title)) words.add(word);
      for (const word of foldedWords(body)) words.add(word);
    }
    this.changes.record(firstSectionId, sectionId);
    return { ...outcome, status: stored ? 'updated' : 'created' };
  }

  /** Deletes a document's sections (FTS rows and section rows) and logs their rowids. */
  private removeSections(docRowId: number): void {
    const { first, last } = this.documentSections.get(docRowId) ?? { first: null, last: null };
    if (first !== null && last !== null) this.changes.record(first, last + 1);
    this.deleteDocumentFts.run(docRowId);
    this.deleteDocumentSections.run(docRowId);
  }
}

/** The sections as stored: heading in the metadata, long ones chunked with the same of both. */
function chunkedSections(doc: DocumentInput): PreparedSection[] {
  const chunkChars = Math.min(maxSectionChars, doc.maxCharsPerChunk ?? maxSectionChars);
  return doc.sections.flatMap((section) => {
    const metadata: Metadata = { ...section.metadata };
    if (section.title !== undefined) metadata.title = section.title;
    const title = section.title ?? '';
    return chunkSectionText(section.text, chunkChars).map((text) => ({ title, text, metadata }));
  });
}

function contentHash(
  metadata: Metadata,
  description: string | null,
  sections: PreparedSection[],
): string {
  const canonical = JSON.stringify([
    sortedEntries(metadata),
    description,
    sections.map((s) => [s.title, s.text, sortedEntries(s.metadata)]),
  ]);
  return createHash('sha256').update(canonical).digest('base64url');
}

const sortedEntries = (metadata: Metadata) =>
  Object.entries(metadata).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
