import type { Statement } from 'better-sqlite3';
import type { SqliteDatabase } from '../db/open-database.ts';
import type { FtsTokenizer } from './fts-tokenizer.ts';
import { PageHighlighter } from './page-highlighter.ts';
import type { ContextConfig, SearchDocument, SearchHit, SearchResult } from './search-types.ts';
import { buildSnippet } from './snippet.ts';
import { parseStoredMetadata } from './stored-metadata.ts';
import { type HighlightTerms, TokenHighlighter } from './token-highlighter.ts';

/**
 * Turns the ranked rows of one page into hits: snippets, section and document metadata, the
 * document list. Only the rows returned are read, so this costs the page, not the matches.
 */

/**
 * What to mark in the snippets: query terms and prefixes (marked in JavaScript), or, for a query
 * word FTS5 reads as a phrase of several tokens, the MATCH expression (marked by FTS5).
 */
export type PageHighlight = { terms: HighlightTerms } | { expression: string };

/** A section of the page and the score shown for it. */
export interface ScoredRow {
  id: number;
  score: number;
}

interface SectionDetails {
  id: number;
  part_metadata: string;
  document_id: string;
  customer_id: number;
  corpus_id: number;
  doc_metadata: string;
}

export class ResultPage {
  private readonly highlighter: PageHighlighter;
  private readonly tokenHighlighter: TokenHighlighter;
  private readonly readBodies: Statement<[string], { id: number; body: string }>;
  private readonly sectionDetails: Statement<[string], SectionDetails>;

  constructor(db: SqliteDatabase, tokenizer: FtsTokenizer) {
    this.highlighter = new PageHighlighter(db);
    this.tokenHighlighter = new TokenHighlighter(tokenizer);
    // A page's rows in one statement each (a JSON list of ids), not one statement per hit.
    this.readBodies = db.prepare(
      `SELECT s.id, f.body FROM search_sections s JOIN search_fts f ON f.rowid = s.id
       WHERE s.id IN (SELECT value FROM json_each(?))`,
    );
    this.sectionDetails = db.prepare(
      `SELECT s.id, s.metadata AS part_metadata, d.document_id, d.customer_id, d.corpus_id,
              d.metadata AS doc_metadata
       FROM search_sections s JOIN search_documents d ON d.id = s.doc_id
       WHERE s.id IN (SELECT value FROM json_each(?))`,
    );
  }

  build(page: ScoredRow[], highlight: PageHighlight, context: ContextConfig): SearchResult {
    const hits: SearchHit[] = [];
    const documents: SearchDocument[] = [];
    const documentIndex: number[] = [];
    const documentPositions = new Map<string, number>();
    const ids = page.map((row) => row.id);
    const marked = this.mark(ids, highlight);
    const details = new Map(this.sectionDetails.all(JSON.stringify(ids)).map((d) => [d.id, d]));
    for (const row of page) {
      const found = details.get(row.id);
      if (!found) continue;
      const corpus = { customerId: found.customer_id, corpusId: found.corpus_id };
      const key = JSON.stringify([found.customer_id, found.corpus_id, found.document_id]);
      let position = documentPositions.get(key);
      if (position === undefined) {
        position = documents.length;
        documentPositions.set(key, position);
        documents.push({
          corpus,
          documentId: found.document_id,
          metadata: parseStoredMetadata(found.doc_metadata, `document ${found.document_id}`),
        });
      }
      hits.push({
        text: buildSnippet(marked.get(row.id) ?? '', context),
        score: row.score,
        corpus,
        documentId: found.document_id,
        metadata: parseStoredMetadata(found.part_metadata, `section ${row.id}`),
      });
      documentIndex.push(position);
    }
    return { hits, documents, documentIndex };
  }

  private mark(ids: number[], highlight: PageHighlight): Map<number, string> {
    if ('expression' in highlight) return this.highlighter.mark(ids, highlight.expression);
    const marked = new Map<number, string>();
    for (const { id, body } of this.readBodies.all(JSON.stringify(ids))) {
      marked.set(id, this.tokenHighlighter.mark(body, highlight.terms));
    }
    return marked;
  }
}

/** bm25 is negative, more negative is better; map it to 0..1, higher better, same order. */
export function scoreFromRank(rank: number): number {
  const relevance = Math.max(0, -rank);
  return relevance / (relevance + 1);
}
