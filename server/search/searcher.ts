import type { SqliteDatabase } from '../db/open-database.ts';
import {
  byRank,
  CandidateRanking,
  type CorpusQuery,
  type MatchTerms,
  type RankedRow,
} from './candidate-ranking.ts';
import type { CorpusSlots } from './corpus-slots.ts';
import { corpusBlockSize } from './fts-layout.ts';
import type { FtsTokenizer } from './fts-tokenizer.ts';
import type { MemoryIndex } from './memory-index.ts';
import { type MemoryCorpus, MemoryRanking } from './memory-ranking.ts';
import { parseMetadataFilter } from './metadata-filter.ts';
import { type CompiledPredicate, compileMetadataPredicate } from './metadata-filter-predicate.ts';
import { type CompiledFilter, compileMetadataFilter } from './metadata-filter-sql.ts';
import { MmrRanking, minMmrCandidates } from './mmr-reranker.ts';
import type { PrefixVocabulary } from './prefix-vocabulary.ts';
import {
  type MatchExpressionInput,
  type QueryTerms,
  type TermJoin,
  termsExpression,
  titleColumnsExpressions,
} from './query-text.ts';
import { type PageHighlight, ResultPage, type ScoredRow, scoreFromRank } from './result-page.ts';
import type { CorpusRef, SearchRequest, SearchResult } from './search-types.ts';
import type { TermStatistics } from './term-statistics.ts';
import { rerankedCandidates, TitleRerank } from './title-rerank.ts';
import { allowedEdits, type TypoCorrection } from './typo-correction.ts';

/**
 * Answers one parsed query over the corpora of a request, without caching: BM25 (title and
 * heading boosted) as FTS5 computes it, porter stems, diacritic folding, the last word completed.
 *
 * Terms are joined with AND; when that finds nothing and there are several words, the query is
 * run again with OR, so one typo'd word among good ones still finds something (BM25 ranks
 * sections matching more of the words first). Words in half the sections or more are left out
 * when other words remain (see term-statistics.ts). The ranking itself runs on the in-memory
 * index with top-k pruning when the engine has one up to date (memory-ranking.ts: exact top k);
 * otherwise on FTS5, where at most `rankedCandidates` matches per corpus are ranked
 * (candidate-ranking.ts).
 */

/** Matches ranked per corpus and query: a few ms of BM25 at worst. */
export const rankedCandidates = 1_000;

/** Query words looked up for typo corrections at most (each scans a slice of the vocabulary). */
const maxCorrectedWords = 4;

const metadataColumns = { doc: 'd.metadata', part: 's.metadata' } as const;

export interface CorpusFilters {
  get(corpus: CorpusRef): CompiledFilter | undefined;
  /** The same filter as a JavaScript test, for the in-memory index. */
  predicate(corpus: CorpusRef): CompiledPredicate | undefined;
}

export class Searcher {
  private readonly slots: CorpusSlots;
  private readonly vocabulary: PrefixVocabulary;
  private readonly statistics: TermStatistics;
  private readonly typos: TypoCorrection;
  private readonly ranking: CandidateRanking;
  private readonly memoryRanking: MemoryRanking;
  private readonly page: ResultPage;
  private readonly mmr: MmrRanking;
  private readonly titles: TitleRerank;
  private readonly titleStage: boolean;

  constructor(
    db: SqliteDatabase,
    parts: {
      slots: CorpusSlots;
      vocabulary: PrefixVocabulary;
      statistics: TermStatistics;
      typos: TypoCorrection;
      tokenizer: FtsTokenizer;
    },
    options: { candidates: number; titleStage: boolean } = {
      candidates: rankedCandidates,
      titleStage: true,
    },
  ) {
    this.titleStage = options.titleStage;
    this.slots = parts.slots;
    this.vocabulary = parts.vocabulary;
    this.statistics = parts.statistics;
    this.typos = parts.typos;
    this.ranking = new CandidateRanking(db, options.candidates);
    this.memoryRanking = new MemoryRanking(db, (word) => parts.statistics.stemOf(word));
    this.page = new ResultPage(db, parts.tokenizer);
    this.mmr = new MmrRanking(db);
    this.titles = new TitleRerank(db, (word) => parts.statistics.stemOf(word));
  }

  /** Bytes of merged prefix lists kept between queries (see memory-ranking.ts). */
  prefixCacheBytes(): number {
    return this.memoryRanking.cachedBytes();
  }

  /** `index`: the in-memory index when it is up to date, else undefined (FTS5 ranks). */
  search(
    req: SearchRequest,
    query: QueryTerms,
    filters: CorpusFilters,
    index?: MemoryIndex,
  ): SearchResult {
    const empty: SearchResult = { hits: [], documents: [], documentIndex: [] };
    this.statistics.use(index);
    const corpora = uniqueCorpora(req.corpora);
    const queries: CorpusQuery[] = [];
    const memoryCorpora: MemoryCorpus[] = [];
    for (const corpus of corpora) {
      const range = this.slots.range(corpus);
      if (!range) continue;
      queries.push({ range, filter: filters.get(corpus) ?? null });
      memoryCorpora.push({
        slot: range.first / corpusBlockSize,
        filter: filters.predicate(corpus) ?? null,
      });
    }
    if (queries.length === 0) return empty;

    const last = query.terms.at(-1) ?? '';
    const completions = query.lastIsPrefix ? this.vocabulary.complete(corpora, last) : [];
    const prefixExpansions = this.statistics.distinctCompletions(last, completions);
    const corrections = this.typoCorrections(corpora, query, completions);
    const informative = this.informativeTerms(query, prefixExpansions);
    const ranked = (terms: QueryTerms, join: TermJoin) => {
      const input: MatchExpressionInput = { ...terms, prefixExpansions, corrections, join };
      // A word that is several tokens (a phrase to FTS5) is left to FTS5.
      const prepared = index ? this.memoryRanking.prepare(index, input) : undefined;
      if (prepared) return (limit: number) => prepared.rank(memoryCorpora, limit);
      const rarest = join === 'AND' ? this.rarestWholeWord(terms, corrections) : undefined;
      const match = {
        terms: termsExpression(input),
        titleTerms: titleColumnsExpressions(input, rarest?.word),
        atMost: rarest?.sections,
      };
      return (limit: number) => this.rankAcrossCorpora(queries, match, limit);
    };

    const wanted = req.start + req.numResults;
    const diversity = req.reranker?.type === 'mmr' ? req.reranker.diversityBias : 0;
    // The title stage and MMR choose among more BM25 results than the page shows.
    const fetched = Math.max(wanted, rerankedCandidates, diversity > 0 ? minMmrCandidates : 0);
    let rows = ranked(informative, 'AND')(fetched);
    // Fall back to OR only when AND matches nothing at all, not merely on a page past the end.
    const noAndMatch = () => req.start === 0 || ranked(informative, 'AND')(1).length === 0;
    if (rows.length === 0 && query.terms.length > 1 && noAndMatch()) {
      rows = ranked(query, 'OR')(fetched);
    }
    const titlesOf = index
      ? (row: RankedRow) => index.titlesAt(row.ordinal ?? index.ordinalOf(row.id))
      : undefined;
    const scored = this.titleStage
      ? this.titles.rerank(rows, query, titlesOf)
      : rows.map((row) => ({ id: row.id, relevance: scoreFromRank(row.rank) }));
    const ordered: ScoredRow[] =
      diversity > 0
        ? this.mmr.rerank(scored, diversity, wanted)
        : scored.map((row) => ({ id: row.id, score: row.relevance }));
    const page = ordered.slice(req.start, wanted);
    // Highlight every query word, left-out ones too: OR marks the same tokens as AND would.
    const highlight = this.highlightOf({ ...query, prefixExpansions, corrections, join: 'OR' });
    return this.page.build(page, highlight, req.context);
  }

  /** The terms and prefix to mark; FTS5 marks them when a word is several tokens (a phrase). */
  private highlightOf(input: MatchExpressionInput): PageHighlight {
    const words = [...input.terms, ...input.prefixExpansions];
    for (const near of input.corrections?.values() ?? []) words.push(...near);
    const terms = new Set<string>();
    for (const word of words) {
      const stem = this.statistics.stemOf(word);
      if (stem === null) return { expression: termsExpression(input) };
      terms.add(stem);
    }
    const typed = input.lastIsPrefix ? input.terms.at(-1) : undefined;
    const prefix = typed === undefined ? null : this.statistics.stemOf(typed);
    return { terms: { terms, prefixes: prefix === null ? [] : [prefix] } };
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

  /** Top `limit` rows over all corpora, best first; bounded ranking per corpus. */
  private rankAcrossCorpora(queries: CorpusQuery[], match: MatchTerms, limit: number): RankedRow[] {
    const rows: RankedRow[] = [];
    for (const query of queries) rows.push(...this.ranking.rank(query, match, limit));
    if (queries.length > 1) rows.sort(byRank);
    return rows.slice(0, limit);
  }

  /**
   * Near words for each query word the corpora do not have at all (a whole word in no section,
   * a typed prefix that starts no word), so "vacum" finds "vacuum". Only words missing entirely
   * are corrected: a rare real word is what the visitor meant.
   */
  private typoCorrections(
    corpora: CorpusRef[],
    query: QueryTerms,
    completions: string[],
  ): Map<string, string[]> {
    const corrections = new Map<string, string[]>();
    const lastIndex = query.terms.length - 1;
    let looked = 0;
    query.terms.forEach((word, index) => {
      // Bounded work: a 32-word query of gibberish looks up corrections for a few words only.
      if (allowedEdits(word) === 0 || looked >= maxCorrectedWords) return;
      const typed = query.lastIsPrefix && index === lastIndex;
      const missing = typed
        ? completions.length === 0 && !this.vocabulary.hasWordStartingWith(corpora, word)
        : this.statistics.sectionsWith(word) === 0;
      if (!missing) return;
      looked += 1;
      const near = this.typos.corrections(
        corpora,
        word,
        (candidate) => this.statistics.sectionsWith(candidate) ?? 0,
      );
      if (near.length > 0) corrections.set(word, near);
    });
    return corrections;
  }

  /**
   * The whole word in the fewest sections: its count bounds the AND matches, and it is the word
   * whose presence in a title weighs most (highest IDF). Corrected words are not counted: their
   * matches are their corrections'.
   */
  private rarestWholeWord(
    query: QueryTerms,
    corrections: ReadonlyMap<string, string[]>,
  ): { word: string; sections: number } | undefined {
    const whole = (query.lastIsPrefix ? query.terms.slice(0, -1) : query.terms).filter(
      (word) => !corrections.has(word),
    );
    let rarest: { word: string; sections: number } | undefined;
    for (const word of whole) {
      const sections = this.statistics.sectionsWith(word);
      if (sections !== undefined && (rarest === undefined || sections < rarest.sections)) {
        rarest = { word, sections };
      }
    }
    return rarest;
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
export function compileFilters(corpora: SearchRequest['corpora']): CorpusFilters {
  const byCorpus = new Map<string, { sql: CompiledFilter; predicate: CompiledPredicate }>();
  for (const { customerId, corpusId, metadataFilter = '' } of corpora) {
    const ast = parseMetadataFilter(metadataFilter);
    if (ast) {
      byCorpus.set(`${customerId}/${corpusId}`, {
        sql: compileMetadataFilter(ast, metadataColumns),
        predicate: compileMetadataPredicate(ast),
      });
    }
  }
  const find = (corpus: CorpusRef) => byCorpus.get(`${corpus.customerId}/${corpus.corpusId}`);
  return {
    get: (corpus) => find(corpus)?.sql,
    predicate: (corpus) => find(corpus)?.predicate,
  };
}
