import type { Statement } from 'better-sqlite3';
import { LRUCache } from 'lru-cache';
import type { SqliteDatabase } from '../db/open-database.ts';
import { idfFloor, inverseDocumentFrequency } from './bm25.ts';
import type { RankedRow } from './candidate-ranking.ts';
import { CompositeCursor } from './composite-cursor.ts';
import { DenseSearch } from './dense-search.ts';
import { corpusBlockSize } from './fts-layout.ts';
import { type MemoryIndex, parseObject } from './memory-index.ts';
import {
  MergedCursor,
  type MergedList,
  mergedListBytes,
  PostingMerger,
} from './merged-postings.ts';
import type { CompiledPredicate, FilterSubject } from './metadata-filter-predicate.ts';
import { type PostingSlice, type ProbeCursor, TermCursor } from './posting-cursor.ts';
import type { PostingSegment } from './posting-segment.ts';
import { PrefixCursor } from './prefix-cursor.ts';
import type { MatchExpressionInput } from './query-text.ts';
import { TopK } from './top-k.ts';
import { type SegmentView, searchAllClauses, searchAnyPhrase } from './top-k-search.ts';

/**
 * Ranks a query on the in-memory index (memory-index.ts): the same phrases, in the same order,
 * as the MATCH expression the FTS5 path builds (query-text.ts), scored as bm25() scores them,
 * with top-k pruning (top-k-search.ts). For each query word: the word; when it is the word being
 * typed, also the prefix of its stem and the listed completions; then its typo corrections.
 *
 * A prefix is one phrase, as in FTS5 (a row's matches of every term starting with it add up, and
 * its IDF counts the rows holding any of them), over the `maxPrefixTerms` most frequent such
 * terms: a two-letter prefix may start thousands of words, and the rarest change nothing a
 * visitor would see. A prefix is read from each candidate section's own term list; only when it
 * must drive the search are its terms merged into one list per segment, kept
 * (`prefixCacheBytes`) until the index changes: visitors type the same short prefixes over and
 * over, and this is FTS5's own prefix index, built on demand. Returns undefined when a word is
 * not one token of the index (FTS5 reads it as a phrase of several): the FTS5 path answers those.
 */

/** Terms a typed prefix stands for at most, the most frequent first. */
export const maxPrefixTerms = 64;
/** Merged prefix lists kept for the next queries, in bytes (8 per posting). */
export const prefixCacheBytes = 32 * 2 ** 20;
/** An AND query whose every clause is in this share of the sections is read term at a time. */
const denseShare = 1 / 4;
/** Filters whose verdicts per document are kept (a widget sends one filter with every query). */
const maxRememberedFilters = 16;
/** Document row ids a verdict array covers at most (one byte each). */
const maxVerdictRows = 4_000_000;
/** Logarithms remembered (a few per query, repeated while the index is unchanged). */
const maxRememberedLogarithms = 10_000;

export interface MemoryCorpus {
  slot: number;
  filter: CompiledPredicate | null;
}

/** A query ready to rank over any corpora of the index it was prepared on. */
export interface PreparedQuery {
  /** The best `limit` sections of the corpora, best first (FTS5's order, ties by rowid). */
  rank(corpora: MemoryCorpus[], limit: number): RankedRow[];
}

/** A phrase: one term, or the terms of a prefix (their occurrences add up). */
type Phrase = { kind: 'term'; term: number } | { kind: 'prefix'; terms: number[] };

export class MemoryRanking {
  private readonly stemOf: (word: string) => string | null;
  private readonly readPartMetadata: Statement<[number], string>;
  private readonly sqliteLn: Statement<[number], number>;
  private readonly logarithms = new Map<number, number>();
  private readonly merger = new PostingMerger();
  private readonly dense = new DenseSearch();
  /** Sections holding any of a prefix's terms, by index version and terms. */
  private readonly prefixSections = new Map<string, number>();
  private stamps = new Uint32Array(0);
  private readonly filterVerdicts = new Map<string, Uint8Array>();
  private stamp = 0;
  private readonly prefixLists = new LRUCache<string, MergedList>({
    maxSize: prefixCacheBytes,
    sizeCalculation: (list) => Math.max(1, mergedListBytes(list)),
  });
  private readonly prefixSets = new LRUCache<string, Uint8Array>({
    maxSize: prefixCacheBytes / 4,
    sizeCalculation: (set) => Math.max(1, set.byteLength),
  });

  constructor(db: SqliteDatabase, stemOf: (word: string) => string | null) {
    this.stemOf = stemOf;
    this.readPartMetadata = db
      .prepare<[number], string>('SELECT metadata FROM search_sections WHERE id = ?')
      .pluck();
    this.sqliteLn = db.prepare<[number], number>('SELECT ln(?)').pluck();
  }

  /** The C library's log, as FTS5's bm25 takes it (through SQLite's own ln()). */
  private readonly ln = (x: number): number => {
    let value = this.logarithms.get(x);
    if (value === undefined) {
      value = this.sqliteLn.get(x) ?? Math.log(x);
      if (this.logarithms.size >= maxRememberedLogarithms) this.logarithms.clear();
      this.logarithms.set(x, value);
    }
    return value;
  };

  /** Bytes held by the merged prefix lists kept. */
  cachedBytes(): number {
    return this.prefixLists.calculatedSize + this.prefixSets.calculatedSize;
  }

  /** The query ready to rank; undefined when a word is not one token of the index. */
  prepare(index: MemoryIndex, input: MatchExpressionInput): PreparedQuery | undefined {
    const clauses = this.phrases(index, input);
    if (clauses === undefined) return undefined;
    const segments = index.segments();
    const rows = index.liveRows;
    // IDF per phrase over the whole index: a term's live sections, a prefix's (any of its terms).
    const idfs = clauses.map((clause) =>
      clause.map((phrase) => {
        const hits =
          phrase.kind === 'term'
            ? index.rowsWith(phrase.term)
            : this.sectionsWithAny(index, segments, phrase.terms);
        return inverseDocumentFrequency(rows, hits, this.ln);
      }),
    );
    // A prefix's terms marked, for reading its frequency from a section's own term list.
    const isPrefixTerm = new Uint8Array(index.termCount);
    for (const phrase of clauses.flat()) {
      if (phrase.kind === 'prefix') for (const term of phrase.terms) isPrefixTerm[term] = 1;
    }
    const cursorOf = (segment: PostingSegment, phrase: Phrase, idf: number) => {
      if (phrase.kind === 'term') return termCursor(segment, phrase.term, idf);
      const size = phrase.terms.reduce((sum, term) => sum + segment.count(term), 0);
      if (size === 0) return undefined;
      // A prefix with weight is merged at once: its block bounds prune. One at FTS5's IDF floor
      // (in half the sections) adds next to nothing to any score: it is merged only if it must
      // drive, and otherwise read from the sections found by the other words.
      if (idf > idfFloor) {
        const list = this.prefixList(index, segment, phrase.terms);
        if (list.docs.length === 0) return undefined;
        return new MergedCursor(list, [idf]);
      }
      return new PrefixCursor({
        forward: index,
        isTerm: isPrefixTerm,
        size,
        idf,
        members: () => this.prefixMembers(index, segment, phrase.terms),
        merged: () => this.prefixList(index, segment, phrase.terms),
      });
    };
    return {
      rank: (corpora, limit) => {
        if (rows === 0 || corpora.length === 0 || limit <= 0) return [];
        const top = new TopK(limit);
        const view = this.view(index, corpora);
        for (const segment of segments) {
          if (input.join === 'AND' && this.denseIn(segment, clauses, idfs)) {
            const dense = clauses.map((clause, at) =>
              clause.map((phrase, position) => ({
                slices: slicesOf(segment, phrase.kind === 'term' ? [phrase.term] : phrase.terms),
                idf: idfs[at]?.[position] ?? 0,
              })),
            );
            this.dense.search(view, dense, index.sections, top);
            continue;
          }
          // Phrases with no postings here are left out: they add nothing to any score.
          const clauseCursors = clauses.map((clause, at) =>
            clause.flatMap((phrase, position) => {
              const cursor = cursorOf(segment, phrase, idfs[at]?.[position] ?? 0);
              return cursor ? [cursor] : [];
            }),
          );
          if (input.join === 'OR') {
            searchAnyPhrase(view, clauseCursors.flat(), top);
          } else if (clauseCursors.every((found) => found.length > 0)) {
            // AND: a clause with nothing in this segment leaves it nothing to match.
            const probes: ProbeCursor[] = clauseCursors.map((found) =>
              found.length === 1 && found[0] ? found[0] : new CompositeCursor(found),
            );
            searchAllClauses(view, probes, top);
          }
        }
        return top
          .sorted()
          .map((row) => ({ id: row.rowid, rank: -row.score, ordinal: row.ordinal }));
      },
    };
  }

  /**
   * Whether every clause of an AND query is in at least `denseShare` of the segment's sections:
   * then reading each posting once (dense-search.ts) beats looking candidates up. One clause
   * alone is read so only with a prefix at the IDF floor: its bound (it may add up to its IDF
   * to any section) is as large as the scores, and would otherwise be read section by section.
   */
  private denseIn(segment: PostingSegment, clauses: Phrase[][], idfs: number[][]): boolean {
    const [only] = clauses;
    const floorPrefix = only?.some(
      (phrase, position) => phrase.kind === 'prefix' && (idfs[0]?.[position] ?? 0) <= idfFloor,
    );
    if (clauses.length < 2 && !floorPrefix) return false;
    const least = (segment.end - segment.first) * denseShare;
    return clauses.every(
      (clause) =>
        clause.reduce(
          (sum, phrase) =>
            sum +
            (phrase.kind === 'term'
              ? segment.count(phrase.term)
              : phrase.terms.reduce((total, term) => total + segment.count(term), 0)),
          0,
        ) >= least,
    );
  }

  /**
   * Live sections holding any of `terms`, without merging their postings: once one term is in
   * half the sections, the IDF is FTS5's floor whatever the exact count; else each section is
   * stamped once (no allocation). Remembered until the index changes.
   */
  private sectionsWithAny(index: MemoryIndex, segments: PostingSegment[], terms: number[]): number {
    let most = 0;
    for (const term of terms) most = Math.max(most, index.rowsWith(term));
    if (2 * most >= index.liveRows) return most;
    const key = `${index.version}:${terms.join(',')}`;
    const known = this.prefixSections.get(key);
    if (known !== undefined) return known;
    if (this.stamps.length < index.sections) this.stamps = new Uint32Array(index.sections);
    this.stamp = this.stamp >= 0xfffffffe ? 1 : this.stamp + 1;
    if (this.stamp === 1) this.stamps.fill(0);
    const { stamps, stamp } = this;
    const deleted = index.deleted;
    let count = 0;
    for (const segment of segments) {
      for (const term of terms) {
        const start = segment.termStart[term] ?? 0;
        const end = start + segment.count(term);
        for (let at = start; at < end; at += 1) {
          const ordinal = segment.docs[at] ?? 0;
          if (stamps[ordinal] === stamp || deleted[ordinal] === 1) continue;
          stamps[ordinal] = stamp;
          count += 1;
        }
      }
    }
    if (this.prefixSections.size >= maxRememberedLogarithms) this.prefixSections.clear();
    this.prefixSections.set(key, count);
    return count;
  }

  /** The query's phrases, grouped by query word; undefined when a word is not one token. */
  private phrases(index: MemoryIndex, input: MatchExpressionInput): Phrase[][] | undefined {
    const lastIndex = input.terms.length - 1;
    const clauses: Phrase[][] = [];
    for (const [position, word] of input.terms.entries()) {
      const clause: Phrase[] = [];
      const add = (candidate: string) => {
        const stem = this.stemOf(candidate);
        if (stem === null) return false;
        clause.push({ kind: 'term', term: index.termOf(stem) });
        return true;
      };
      if (!add(word)) return undefined;
      if (input.lastIsPrefix && position === lastIndex) {
        const stem = this.stemOf(word) ?? word;
        clause.push({
          kind: 'prefix',
          terms: mostFrequent(index, index.termsStartingWith(stem)),
        });
        for (const expansion of input.prefixExpansions) if (!add(expansion)) return undefined;
      }
      for (const correction of input.corrections?.get(word) ?? []) {
        if (!add(correction)) return undefined;
      }
      clauses.push(clause);
    }
    return clauses;
  }

  /** Per document row: 0 not tested yet, 1 passes, 2 fails; kept per filter until the index changes. */
  private verdictsOf(index: MemoryIndex, key: string): Uint8Array | undefined {
    // Row ids are dense (INTEGER PRIMARY KEY): past a few million, keep nothing.
    if (index.maxDocRow >= maxVerdictRows) return undefined;
    const versioned = `${index.version}:${key}`;
    let verdicts = this.filterVerdicts.get(versioned);
    if (!verdicts) {
      if (this.filterVerdicts.size >= maxRememberedFilters) this.filterVerdicts.clear();
      verdicts = new Uint8Array(index.maxDocRow + 1);
      this.filterVerdicts.set(versioned, verdicts);
    }
    return verdicts;
  }

  /** The bit set of the segment's sections holding any of `terms` (bit o of byte o >> 3). */
  private prefixMembers(index: MemoryIndex, segment: PostingSegment, terms: number[]): Uint8Array {
    const key = `${segment.id}:${index.version}:${terms.join(',')}`;
    let members = this.prefixSets.get(key);
    if (!members) {
      members = new Uint8Array((index.sections >>> 3) + 1);
      for (const term of terms) {
        const start = segment.termStart[term] ?? 0;
        const end = start + segment.count(term);
        for (let at = start; at < end; at += 1) {
          const ordinal = segment.docs[at] ?? 0;
          members[ordinal >>> 3] = (members[ordinal >>> 3] ?? 0) | (1 << (ordinal & 7));
        }
      }
      this.prefixSets.set(key, members);
    }
    return members;
  }

  private prefixList(index: MemoryIndex, segment: PostingSegment, terms: number[]): MergedList {
    const key = `${segment.id}:${index.version}:${terms.join(',')}`;
    let list = this.prefixLists.get(key);
    if (!list) {
      const slices = terms.map((term) => ({
        docs: segment.docs,
        frequencies: segment.frequencies,
        start: segment.termStart[term] ?? 0,
        end: (segment.termStart[term] ?? 0) + segment.count(term),
      }));
      list = this.merger.merge(index, [slices]);
      this.prefixLists.set(key, list);
    }
    return list;
  }

  private view(index: MemoryIndex, corpora: MemoryCorpus[]): SegmentView {
    const bySlot = new Map(corpora.map((corpus) => [corpus.slot, corpus]));
    const { rowids, docRows } = index;
    const slotOf = (ordinal: number) => Math.floor((rowids[ordinal] ?? 0) / corpusBlockSize);
    // Most indexes hold the asked corpora only: then every section is in scope.
    const everything = index.liveRows === corpora.reduce((sum, c) => sum + index.rowsIn(c.slot), 0);
    const single = corpora.length === 1 ? corpora[0] : undefined;
    const readPart = this.readPartMetadata;
    // One subject for the whole query, pointed at each section tested in turn.
    const subject: FilterSubject & { ordinal: number } = {
      ordinal: 0,
      doc() {
        return index.documentMetadata(docRows[this.ordinal] ?? 0);
      },
      part() {
        return parseObject(readPart.get(rowids[this.ordinal] ?? 0) ?? '{}');
      },
    };
    return {
      deleted: index.deleted,
      lengths: index.lengths,
      rowids,
      averageLength: index.averageLength,
      inScope: everything ? () => true : (ordinal) => bySlot.has(slotOf(ordinal)),
      passes: (ordinal) => {
        const filter = (single ?? bySlot.get(slotOf(ordinal)))?.filter;
        if (!filter) return true;
        subject.ordinal = ordinal;
        if (filter.readsParts) return filter.test(subject);
        // A filter on document metadata only has one verdict per document, kept until the index
        // changes: a widget sends the same filter with every query.
        const docRow = docRows[ordinal] ?? 0;
        const verdicts = this.verdictsOf(index, filter.key);
        if (!verdicts) return filter.test(subject);
        const known = verdicts[docRow] ?? 0;
        if (known !== 0) return known === 1;
        const verdict = filter.test(subject);
        verdicts[docRow] = verdict ? 1 : 2;
        return verdict;
      },
    };
  }
}

/** The postings of `terms` in the segment, one slice each (a missing term has none). */
function slicesOf(segment: PostingSegment, terms: number[]): PostingSlice[] {
  return terms
    .filter((term) => term >= 0 && segment.count(term) > 0)
    .map((term) => ({
      docs: segment.docs,
      frequencies: segment.frequencies,
      start: segment.termStart[term] ?? 0,
      end: (segment.termStart[term] ?? 0) + segment.count(term),
    }));
}

function termCursor(segment: PostingSegment, term: number, idf: number): TermCursor | undefined {
  if (term < 0 || segment.count(term) === 0) return undefined;
  return new TermCursor({
    docs: segment.docs,
    frequencies: segment.frequencies,
    start: segment.termStart[term] ?? 0,
    end: segment.termStart[term + 1] ?? 0,
    firstBlock: segment.blockStart[term] ?? 0,
    blockMaxShare: segment.blockMaxShare,
    builtAverage: segment.averageLength,
    idf,
  });
}

/** The `maxPrefixTerms` terms held by the most rows. */
function mostFrequent(index: MemoryIndex, terms: number[]): number[] {
  if (terms.length <= maxPrefixTerms) return terms;
  return terms
    .map((term) => ({ term, rows: index.rowsWith(term) }))
    .sort((a, b) => b.rows - a.rows || a.term - b.term)
    .slice(0, maxPrefixTerms)
    .map((entry) => entry.term);
}
