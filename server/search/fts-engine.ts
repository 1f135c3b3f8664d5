import type { SqliteDatabase } from '../db/open-database.ts';
import { CorpusSlots } from './corpus-slots.ts';
import { DataVersion } from './data-version.ts';
import { FtsTokenizer } from './fts-tokenizer.ts';
import {
  type MemoryIndexOptions,
  type MemoryIndexStatus,
  MemoryIndexSync,
} from './memory-index-sync.ts';
import { PrefixVocabulary } from './prefix-vocabulary.ts';
import { parseQueryText } from './query-text.ts';
import {
  defaultResultCacheBytes,
  estimateResultBytes,
  ResultCache,
  type ResultCacheStats,
} from './result-cache.ts';
import { SearchIndexer } from './search-indexer.ts';
import type {
  CorpusRef,
  DocumentInput,
  IndexOutcome,
  SearchRequest,
  SearchResult,
} from './search-types.ts';
import { compileFilters, rankedCandidates, Searcher } from './searcher.ts';
import { StemProbe } from './stem-probe.ts';
import { TermStatistics } from './term-statistics.ts';
import { TypoCorrection } from './typo-correction.ts';

/**
 * The embedded search engine, as the routes see it: an indexer (search-indexer.ts) and a
 * searcher (searcher.ts) over one SQLite database, an in-memory copy of the index for fast
 * ranking kept equal to the tables (memory-index-sync.ts), and a result cache in front of the
 * searcher that is dropped whenever the data changes, here or in another process sharing the
 * file (see data-version.ts).
 */

export interface FtsEngineOptions {
  /** Estimated bytes of results kept for repeated requests; 0 turns the cache off (benchmarks). */
  resultCacheBytes?: number;
  /** Matches ranked per corpus and query at most. Default `rankedCandidates`. */
  rankedCandidates?: number;
  /** false: the BM25 order alone, without the title stage (tests of the first stage). */
  titleStage?: boolean;
  /** The in-memory index's bounds; `false` ranks on FTS5 alone (tests of that path). */
  memoryIndex?: MemoryIndexOptions | false;
}

export class FtsEngine {
  private readonly indexer: SearchIndexer;
  private readonly searcher: Searcher;
  private readonly statistics: TermStatistics;
  private readonly typos: TypoCorrection;
  private readonly dataVersion: DataVersion;
  private readonly results: ResultCache<SearchResult>;
  private readonly memory: MemoryIndexSync | undefined;
  private memoryGeneration = 0;

  constructor(db: SqliteDatabase, options: FtsEngineOptions = {}) {
    const probe = new StemProbe();
    // One tokenizer (and its memo of runs and stems) for indexing, statistics and highlighting.
    const tokenizer = new FtsTokenizer(probe);
    const slots = new CorpusSlots(db);
    const vocabulary = new PrefixVocabulary(db, probe);
    this.statistics = new TermStatistics(db, tokenizer);
    this.typos = new TypoCorrection(db);
    this.indexer = new SearchIndexer(db, slots, vocabulary);
    this.searcher = new Searcher(
      db,
      { slots, vocabulary, statistics: this.statistics, typos: this.typos, tokenizer },
      {
        candidates: options.rankedCandidates ?? rankedCandidates,
        titleStage: options.titleStage ?? true,
      },
    );
    this.dataVersion = new DataVersion(db);
    this.results = new ResultCache(
      options.resultCacheBytes ?? defaultResultCacheBytes,
      estimateResultBytes,
    );
    if (options.memoryIndex !== false) {
      this.memory = new MemoryIndexSync(db, tokenizer, options.memoryIndex);
      this.memory.warm();
    }
  }

  /** Indexes a batch in one transaction; a document id already in the corpus is replaced. */
  indexDocuments(corpus: CorpusRef, docs: DocumentInput[]): IndexOutcome[] {
    this.dataVersion.markWritten();
    const outcomes = this.indexer.indexDocuments(corpus, docs);
    this.memory?.afterWrite();
    return outcomes;
  }

  deleteDocument(corpus: CorpusRef, documentId: string): boolean {
    this.dataVersion.markWritten();
    const deleted = this.indexer.deleteDocument(corpus, documentId);
    this.memory?.afterWrite();
    return deleted;
  }

  /** Removes every document of the corpus and its completion words; returns how many docs. */
  deleteCorpus(corpus: CorpusRef): number {
    this.dataVersion.markWritten();
    const deleted = this.indexer.deleteCorpus(corpus);
    this.memory?.afterWrite();
    return deleted;
  }

  /**
   * The in-memory index's state and size, for operators' metrics and the benchmark: `bytes`
   * counts the index and the merged prefix lists kept beside it.
   */
  memoryIndexStatus(): MemoryIndexStatus | undefined {
    const status = this.memory?.status();
    return status && { ...status, bytes: status.bytes + this.searcher.prefixCacheBytes() };
  }

  countDocuments(corpus: CorpusRef): number {
    return this.indexer.countDocuments(corpus);
  }

  /** What the result cache holds and how often it answered, for operators' metrics. */
  resultCacheStats(): ResultCacheStats {
    return this.results.stats();
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
      this.typos.forget();
      this.memory?.markStale();
    }
    // Small catch-ups run here; a large one runs in the background while FTS5 answers.
    const index = this.memory?.current();
    if (this.memory && this.memory.generation !== this.memoryGeneration) {
      // The same query may rank differently in memory than on FTS5 (exact top k).
      this.memoryGeneration = this.memory.generation;
      this.results.clear();
    }
    // Keyed by the parsed words, so "Install" and "install " share an entry where they match alike.
    const key = JSON.stringify([
      query,
      req.corpora.map((c) => [c.customerId, c.corpusId, c.metadataFilter ?? '']),
      req.start,
      req.numResults,
      req.context,
      req.reranker ?? null,
    ]);
    // A cached entry's filters compiled when it was stored: a hit needs no parsing at all.
    const cached = this.results.get(key);
    if (cached) return cached;
    const filters = compileFilters(req.corpora);
    // Frozen, so a cached result can be handed out as it is (no copy per hit) and never altered.
    const result = deepFreeze(this.searcher.search(req, query, filters, index));
    this.results.set(key, result);
    return result;
  }
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const item of Object.values(value)) deepFreeze(item);
  }
  return value;
}
