import { createHash } from 'node:crypto';
import type { Statement } from 'better-sqlite3';
import type { SqliteDatabase } from '../db/open-database.ts';
import { writeTransaction } from '../db/write-transaction.ts';
import {
  byRank,
  CandidateRanking,
  type CorpusQuery,
  type MatchTerms,
  type RankedRow,
} from './candidate-ranking.ts';
import { CorpusSlots } from './corpus-slots.ts';
import { DataVersion } from './data-version.ts';
import { parseMetadataFilter } from './metadata-filter.ts';
import { type CompiledFilter, compileMetadataFilter } from './metadata-filter-sql.ts';
import { PageHighlighter } from './page-highlighter.ts';
import { PrefixVocabulary } from './prefix-vocabulary.ts';
import {
  foldedWords,
  parseQueryText,
  type QueryTerms,
  type TermJoin,
  termsExpression,
  titleColumnsExpressions,
} from './query-text.ts';
import {
  defaultResultCacheBytes,
  estimateResultBytes,
  ResultCache,
  type ResultCacheStats,
} from './result-cache.ts';
import type {
  CorpusRef,
  DocumentInput,
  IndexOutcome,
  Metadata,
  SearchDocument,
  SearchHit,
  SearchRequest,
  SearchResult,
} from './search-types.ts';
import { chunkSectionText, maxSectionChars } from './section-chunks.ts';
import { buildSnippet, withoutMarkers } from './snippet.ts';
import { TermStatistics } from './term-statistics.ts';

/**
 * The embedded search engine: SQLite FTS5 with BM25 (title and heading boosted), porter
 * stemming, diacritic folding and search-as-you-type on the last word.
 *
 * Terms are joined with AND; when that finds nothing and there are several words, the
 * query is run again with OR, so one typo'd word among good ones still finds something
 * (BM25 ranks sections matching more of the words first).
 *
 * FTS5 has no top-k pruning, so at most `rankedCandidates` matches per corpus are ranked: exact
 * up to that many matches, and for broader queries the newest matches plus the title/heading
 * matches (see candidate-ranking.ts). Words in half the sections or more are left out of the
 * MATCH when other words remain (see term-statistics.ts). Results are cached until the data
 * changes, here or in another process sharing the file (see data-version.ts).
 */

export interface FtsEngineOptions {
  /** Estimated bytes of results kept for repeated requests; 0 turns the cache off (benchmarks). */
  resultCacheBytes?: number;
  /** Matches ranked per corpus and query at most. Default `rankedCandidates`. */
  rankedCandidates?: number;
}

interface StoredDocument {
  id: number;
  content_hash: string;
}

interface SectionDetails {
  part_metadata: string;
  document_id: string;
  customer_id: number;
  corpus_id: number;
  doc_metadata: string;
}

const metadataColumns = { doc: 'd.metadata', part: 's.metadata' } as const;
/** Matches ranked per corpus and query: a few ms of BM25 at worst. */
export const rankedCandidates = 1_000;

export class FtsEngine {
  private readonly db: SqliteDatabase;
  private readonly vocabulary: PrefixVocabulary;
  private readonly slots: CorpusSlots;
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
  private readonly ranking: CandidateRanking;
  private readonly statistics: TermStatistics;
  private readonly dataVersion: DataVersion;
  private readonly results: ResultCache<SearchResult>;
  private readonly highlighter: PageHighlighter;
  private readonly sectionDetails: Statement<[number], SectionDetails>;
  private readonly indexBatch: (corpus: CorpusRef, docs: DocumentInput[]) => IndexOutcome[];

  constructor(db: SqliteDatabase, options: FtsEngineOptions = {}) {
    this.db = db;
    this.vocabulary = new PrefixVocabulary(db);
    this.slots = new CorpusSlots(db);
    this.ranking = new CandidateRanking(db, options.rankedCandidates ?? rankedCandidates);
    this.statistics = new TermStatistics(db);
    this.dataVersion = new DataVersion(db);
    this.results = new ResultCache(
      options.resultCacheBytes ?? defaultResultCacheBytes,
      estimateResultBytes,
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
    // Snippets and metadata only for the page returned.
    this.highlighter = new PageHighlighter(db);
    this.sectionDetails = db.prepare(
      `SELECT s.metadata AS part_metadata, d.document_id, d.customer_id, d.corpus_id,
              d.metadata AS doc_metadata
       FROM search_sections s JOIN search_documents d ON d.id = s.doc_id WHERE s.id = ?`,
    );
    this.indexBatch = writeTransaction(db, (corpus: CorpusRef, docs: DocumentInput[]) => {
      const words = new Set<string>();
      const outcomes = docs.map((doc) => this.indexOne(corpus, doc, words));
      this.vocabulary.add(corpus, words);
      return outcomes;
    });
  }

  /** Indexes a batch in one transaction; a document id already in the corpus is replaced. */
  indexDocuments(corpus: CorpusRef, docs: DocumentInput[]): IndexOutcome[] {
    this.dataVersion.markWritten();
    return this.indexBatch(corpus, docs);
  }

  deleteDocument(corpus: CorpusRef, documentId: string): boolean {
    this.dataVersion.markWritten();
    return writeTransaction(this.db, () => {
      const stored = this.findDocument.get(corpus.customerId, corpus.corpusId, documentId);
      if (!stored) return false;
      this.removeDocument(stored.id);
      return true;
    })();
  }

  /** Removes every document of the corpus and its completion words; returns how many docs. */
  deleteCorpus(corpus: CorpusRef): number {
    this.dataVersion.markWritten();
    return writeTransaction(this.db, () => {
      const range = this.slots.range(corpus);
      if (range) {
        this.deleteRangeFts.run(BigInt(range.first), BigInt(range.end));
        this.deleteRangeSections.run(range.first, range.end);
      }
      this.vocabulary.deleteCorpus(corpus);
      return this.deleteCorpusDocuments.run(corpus.customerId, corpus.corpusId).changes;
    })();
  }

  /** What the result cache holds and how often it answered, for operators' metrics. */
  resultCacheStats(): ResultCacheStats {
    return this.results.stats();
  }

  countDocuments(corpus: CorpusRef): number {
    return this.countCorpusDocuments.get(corpus.customerId, corpus.corpusId) ?? 0;
  }

  /** Throws FilterSyntaxError (before any search work) when a metadata filter does not parse. */
  search(req: SearchRequest): SearchResult {
    const query = parseQueryText(req.query);
    if (query.terms.length === 0 || req.numResults <= 0) {
      compileFilters(req.corpora); // a bad filter is still reported
      return { hits: [], documents: [], documentIndex: [] };
    }
    if (this.dataVersion.changed()) {
      this.results.clear();
      this.statistics.forget();
    }
    // Keyed by the parsed words, so "Install" and "install " share an entry where they match alike.
    const key = JSON.stringify([
      query,
      req.corpora.map((c) => [c.customerId, c.corpusId, c.metadataFilter ?? '']),
      req.start,
      req.numResults,
      req.context,
    ]);
    // A cached entry's filters compiled when it was stored: a hit needs no parsing at all.
    const cached = this.results.get(key);
    if (cached) return cached;
    const filters = compileFilters(req.corpora);
    // Frozen, so a cached result can be handed out as it is (no copy per hit) and never altered.
    const result = deepFreeze(this.searchUncached(req, query, filters));
    this.results.set(key, result);
    return result;
  }

  private searchUncached(
    req: SearchRequest,
    query: QueryTerms,
    filters: ReturnType<typeof compileFilters>,
  ): SearchResult {
    const empty: SearchResult = { hits: [], documents: [], documentIndex: [] };
    const corpora = uniqueCorpora(req.corpora);
    const queries: CorpusQuery[] = [];
    for (const corpus of corpora) {
      const range = this.slots.range(corpus);
      if (range) queries.push({ range, filter: filters.get(corpus) ?? null });
    }
    if (queries.length === 0) return empty;

    const last = query.terms.at(-1) ?? '';
    const completions = query.lastIsPrefix ? this.vocabulary.complete(corpora, last) : [];
    const prefixExpansions = this.statistics.distinctCompletions(last, completions);
    const informative = this.informativeTerms(query, prefixExpansions);
    const ranked = (terms: QueryTerms, join: TermJoin) => {
      const input = { ...terms, prefixExpansions, join };
      const rarest = join === 'AND' ? this.rarestWholeWord(terms) : undefined;
      const match = {
        terms: termsExpression(input),
        titleTerms: titleColumnsExpressions(input, rarest?.word),
        atMost: rarest?.sections,
      };
      return (limit: number) => this.rankAcrossCorpora(queries, match, limit);
    };

    const wanted = req.start + req.numResults;
    let rows = ranked(informative, 'AND')(wanted);
    // Fall back to OR only when AND matches nothing at all, not merely on a page past the end.
    const noAndMatch = () => req.start === 0 || ranked(informative, 'AND')(1).length === 0;
    if (rows.length === 0 && query.terms.length > 1 && noAndMatch()) {
      rows = ranked(query, 'OR')(wanted);
    }
    const page = rows.slice(req.start, wanted);
    // Highlight every query word, left-out ones too: OR marks the same tokens as AND would.
    const highlightTerms = termsExpression({ ...query, prefixExpansions, join: 'OR' });
    return this.buildResult(page, highlightTerms, req);
  }

  /**
   * The query without words that are in half the sections or more (BM25 weight ~0), as long
   * as another word remains: they would cost a full doclist read and change no ranking.
   * The word being typed goes too when it is such a word with no other completions: then its
   * prefix phrase matches a superset of it and weighs ~0 as well.
   */
  private informativeTerms(query: QueryTerms, prefixExpansions: string[]): QueryTerms {
    if (query.terms.length < 2) return query;
    const typed = query.lastIsPrefix ? query.terms.at(-1) : undefined;
    const whole = typed === undefined ? query.terms : query.terms.slice(0, -1);
    const kept = whole.filter((word) => !this.statistics.carriesNoInformation(word));
    const keepTyped =
      typed !== undefined &&
      (prefixExpansions.length > 0 ||
        !this.statistics.isOwnStem(typed) ||
        !this.statistics.carriesNoInformation(typed));
    if (keepTyped) kept.push(typed);
    if (kept.length === query.terms.length || kept.length === 0) return query;
    return { terms: kept, lastIsPrefix: keepTyped };
  }

  private indexOne(corpus: CorpusRef, doc: DocumentInput, words: Set<string>): IndexOutcome {
    const docMetadata: Metadata = { ...doc.metadata };
    if (doc.title !== undefined) docMetadata.title = doc.title;
    const chunkChars = Math.min(maxSectionChars, doc.maxCharsPerChunk ?? maxSectionChars);
    const sections = doc.sections.flatMap((section) => {
      const metadata: Metadata = { ...section.metadata };
      if (section.title !== undefined) metadata.title = section.title;
      const title = section.title ?? '';
      // Long sections become several, each with the heading and metadata of the whole.
      return chunkSectionText(section.text, chunkChars).map((text) => ({ title, text, metadata }));
    });
    const outcome = { ...measure(doc), sections: sections.length };
    const hash = contentHash(docMetadata, doc.description ?? null, sections);
    const stored = this.findDocument.get(corpus.customerId, corpus.corpusId, doc.documentId);
    if (stored?.content_hash === hash) return { ...outcome, status: 'unchanged' };

    const metadataJson = JSON.stringify(docMetadata);
    let docRowId: number;
    if (stored) {
      this.deleteDocumentFts.run(stored.id);
      this.deleteDocumentSections.run(stored.id);
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
    let sectionId = this.slots.nextSectionId(range);
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
    return { ...outcome, status: stored ? 'updated' : 'created' };
  }

  private removeDocument(docRowId: number): void {
    this.deleteDocumentFts.run(docRowId);
    this.deleteDocumentSections.run(docRowId);
    this.deleteDocumentRow.run(docRowId);
  }

  /** Top `limit` rows over all corpora, best first; bounded ranking per corpus. */
  private rankAcrossCorpora(queries: CorpusQuery[], match: MatchTerms, limit: number): RankedRow[] {
    const rows: RankedRow[] = [];
    for (const query of queries) rows.push(...this.ranking.rank(query, match, limit));
    if (queries.length > 1) rows.sort(byRank);
    return rows.slice(0, limit);
  }

  /**
   * The whole word in the fewest sections: its count bounds the AND matches, and it is the word
   * whose presence in a title weighs most (highest IDF).
   */
  private rarestWholeWord(query: QueryTerms): { word: string; sections: number } | undefined {
    const whole = query.lastIsPrefix ? query.terms.slice(0, -1) : query.terms;
    let rarest: { word: string; sections: number } | undefined;
    for (const word of whole) {
      const sections = this.statistics.sectionsWith(word);
      if (sections !== undefined && (rarest === undefined || sections < rarest.sections)) {
        rarest = { word, sections };
      }
    }
    return rarest;
  }

  private buildResult(page: RankedRow[], terms: string, req: SearchRequest): SearchResult {
    const hits: SearchHit[] = [];
    const documents: SearchDocument[] = [];
    const documentIndex: number[] = [];
    const documentPositions = new Map<string, number>();
    const marked = this.highlighter.mark(
      page.map((row) => row.id),
      terms,
    );
    for (const row of page) {
      const found = this.sectionDetails.get(row.id);
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
          metadata: JSON.parse(found.doc_metadata) as Metadata,
        });
      }
      hits.push({
        text: buildSnippet(marked.get(row.id) ?? '', req.context),
        score: scoreFromRank(row.rank),
        corpus,
        documentId: found.document_id,
        metadata: JSON.parse(found.part_metadata) as Metadata,
      });
      documentIndex.push(position);
    }
    return { hits, documents, documentIndex };
  }
}

/** Each corpus once, in request order (the route may list one twice). */
function uniqueCorpora(corpora: SearchRequest['corpora']): CorpusRef[] {
  const seen = new Map<string, CorpusRef>();
  for (const { customerId, corpusId } of corpora) {
    seen.set(`${customerId}/${corpusId}`, { customerId, corpusId });
  }
  return [...seen.values()];
}

/** Parses every filter up front, so a bad one fails before any search work. */
function compileFilters(corpora: SearchRequest['corpora']): {
  get(corpus: CorpusRef): CompiledFilter | undefined;
} {
  const byCorpus = new Map<string, CompiledFilter>();
  for (const { customerId, corpusId, metadataFilter = '' } of corpora) {
    const ast = parseMetadataFilter(metadataFilter);
    if (ast) byCorpus.set(`${customerId}/${corpusId}`, compileMetadataFilter(ast, metadataColumns));
  }
  return { get: (corpus) => byCorpus.get(`${corpus.customerId}/${corpus.corpusId}`) };
}

/** bm25 is negative, more negative is better; map it to 0..1, higher better, same order. */
export function scoreFromRank(rank: number): number {
  const relevance = Math.max(0, -rank);
  return relevance / (relevance + 1);
}

const countCharacters = (text: string | undefined) => {
  let count = 0;
  for (const _ of text ?? '') count += 1;
  return count;
};

const metadataCharacters = (metadata: Metadata) =>
  Object.keys(metadata).length === 0 ? 0 : countCharacters(JSON.stringify(metadata));

/** Sizes the way Vectara's quotaConsumed reports them: text chars and metadata chars. */
function measure(doc: DocumentInput): Omit<IndexOutcome, 'status'> {
  let chars = countCharacters(doc.title) + countCharacters(doc.description);
  let metadataChars = metadataCharacters(doc.metadata);
  for (const section of doc.sections) {
    chars += countCharacters(section.title) + countCharacters(section.text);
    metadataChars += metadataCharacters(section.metadata);
  }
  return { sections: doc.sections.length, chars, metadataChars };
}

function contentHash(
  metadata: Metadata,
  description: string | null,
  sections: Array<{ title: string; text: string; metadata: Metadata }>,
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

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const item of Object.values(value)) deepFreeze(item);
  }
  return value;
}
