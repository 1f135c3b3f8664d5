import type { Statement } from 'better-sqlite3';
import type { SqliteDatabase } from '../db/open-database.ts';
import { parseMetadataFilter } from './metadata-filter.ts';
import { compileMetadataFilter } from './metadata-filter-sql.ts';
import type { CorpusRef, Metadata } from './search-types.ts';

export interface StoredPart {
  text: string;
  /** The section's heading, when it has one (v2 `context`). */
  heading: string;
  metadata: Metadata;
}

export interface StoredDocument {
  documentId: string;
  metadata: Metadata;
}

interface DocumentRow {
  id: number;
  document_id: string;
  metadata: string;
}

/** Documents per page of a list at most; v2 allows 1 000. */
const maxPage = 1_000;

/**
 * Reads documents back for the v2 documents API: a corpus's documents in id order, paged by a
 * cursor (the last document id), optionally filtered on document metadata, and one document
 * with its parts. Reads only; the engine writes.
 */
export class DocumentCatalog {
  readonly #db: SqliteDatabase;
  readonly #page: Statement<[number, number, string, number], DocumentRow>;
  readonly #one: Statement<[number, number, string], DocumentRow>;
  readonly #parts: Statement<[number], { heading: string; body: string; metadata: string }>;
  readonly #filtered = new Map<string, Statement<unknown[], DocumentRow>>();

  constructor(db: SqliteDatabase) {
    this.#db = db;
    this.#page = db.prepare(
      `SELECT id, document_id, metadata FROM search_documents
       WHERE customer_id = ? AND corpus_id = ? AND document_id > ? ORDER BY document_id LIMIT ?`,
    );
    this.#one = db.prepare(
      `SELECT id, document_id, metadata FROM search_documents
       WHERE customer_id = ? AND corpus_id = ? AND document_id = ?`,
    );
    this.#parts = db.prepare(
      `SELECT f.section_title AS heading, f.body AS body, s.metadata AS metadata
       FROM search_sections s JOIN search_fts f ON f.rowid = s.id
       WHERE s.doc_id = ? ORDER BY s.id`,
    );
  }

  /**
   * Up to `limit` documents after `after` (a document id; '' = from the start), and whether more
   * follow. Throws FilterSyntaxError when `metadataFilter` does not parse.
   */
  list(
    corpus: CorpusRef,
    options: { limit: number; after: string; metadataFilter?: string | undefined },
  ): { documents: StoredDocument[]; more: boolean } {
    const limit = Math.min(Math.max(1, options.limit), maxPage);
    const ast = options.metadataFilter?.trim() ? parseMetadataFilter(options.metadataFilter) : null;
    const filter = ast ? compileMetadataFilter(ast, { doc: 'd.metadata', part: 'NULL' }) : null;
    const rows = this.#listStatement(filter?.sql).all(
      corpus.customerId,
      corpus.corpusId,
      options.after,
      ...(filter?.params ?? []),
      limit + 1,
    );
    return {
      documents: rows.slice(0, limit).map((row) => ({
        documentId: row.document_id,
        metadata: parseMetadata(row.metadata),
      })),
      more: rows.length > limit,
    };
  }

  get(corpus: CorpusRef, documentId: string): (StoredDocument & { parts: StoredPart[] }) | null {
    const row = this.#one.get(corpus.customerId, corpus.corpusId, documentId);
    if (!row) return null;
    return {
      documentId: row.document_id,
      metadata: parseMetadata(row.metadata),
      parts: this.#parts.all(row.id).map((part) => ({
        text: part.body,
        heading: part.heading,
        metadata: parseMetadata(part.metadata),
      })),
    };
  }

  exists(corpus: CorpusRef, documentId: string): boolean {
    return this.#one.get(corpus.customerId, corpus.corpusId, documentId) !== undefined;
  }

  /** Filtered lists compile to a handful of shapes; their statements are kept. */
  #listStatement(filterSql: string | undefined): Statement<unknown[], DocumentRow> {
    if (!filterSql) return this.#page as unknown as Statement<unknown[], DocumentRow>;
    const cached = this.#filtered.get(filterSql);
    if (cached) return cached;
    const statement = this.#db.prepare<unknown[], DocumentRow>(
      `SELECT d.id, d.document_id, d.metadata FROM search_documents d
       WHERE d.customer_id = ? AND d.corpus_id = ? AND d.document_id > ? AND ${filterSql}
       ORDER BY d.document_id LIMIT ?`,
    );
    if (this.#filtered.size >= 64) this.#filtered.clear();
    this.#filtered.set(filterSql, statement);
    return statement;
  }
}

function parseMetadata(json: string): Metadata {
  const value: unknown = JSON.parse(json);
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new Error('stored metadata is not a JSON object');
  }
  return value as Metadata;
}
