import type { Statement } from 'better-sqlite3';
import type { SqliteDatabase } from '../db/open-database.ts';
import type { RowidRange } from './corpus-slots.ts';
import type { CompiledFilter } from './metadata-filter-sql.ts';
import { rankFunction } from './search-schema.ts';

/**
 * Picks which matches of one corpus get BM25-ranked, and ranks them.
 *
 * FTS5 has no top-k pruning: bm25() costs about a microsecond per row, so ranking every match of
 * "the" over 100 000 sections costs ~75 ms. So we rank only some candidates:
 * - when there are no more than `cap` matches in all, every match: the ranking is EXACT;
 * - otherwise (a broad query) first up to `cap` sections with a query word in the document title,
 *   then in the section heading, then the newest matches: the rest of `cap`, and at least a
 *   quarter of it (so at most 1¼ × `cap`). Title and heading carry the 8×/4× weights, so they
 *   hold the best hits, and a page indexed early ("Installation") is never dropped for recent
 *   body-only mentions. With several words only the rarest is looked for in the titles (cheap).
 * Then one bm25 query ranks exactly those candidates (scores comparable across corpora).
 */

export interface RankedRow {
  id: number;
  rank: number;
  /** The section's ordinal in the in-memory index, when it ranked the row. */
  ordinal?: number;
}

export interface MatchTerms {
  /** The MATCH expression ranked. */
  terms: string;
  /** Matches with a query word in the document title, then heading: for broad queries only. */
  titleTerms: string[];
  /** Known upper bound on the matches (from term counts), when there is one. */
  atMost: number | undefined;
}

export interface CorpusQuery {
  range: RowidRange;
  filter: CompiledFilter | null;
}

interface Statements {
  /** Matching rowids, newest first, in [first, end), passing the filter if any. */
  newest: Statement<unknown[], number>;
  /** Every match in [first, end) passing the filter, best first. */
  rankAll: Statement<unknown[], RankedRow>;
}

/** Filtered queries compile to a handful of shapes; keep their prepared statements. */
const maxCachedFilterStatements = 64;

export class CandidateRanking {
  private readonly db: SqliteDatabase;
  private readonly cap: number;
  private readonly unfiltered: Statements;
  private readonly filtered = new Map<string, Statements>();
  private readonly rankListed: Statement<[string, bigint, bigint, string, number], RankedRow>;

  constructor(db: SqliteDatabase, cap: number) {
    this.db = db;
    this.cap = cap;
    this.unfiltered = this.prepare(null);
    // `+rowid`: the IN list must not reach FTS5 as a rowid constraint, which it would serve with
    // one MATCH setup (and bm25 IDF pass) per listed id. Instead FTS5 walks [first, last] and bm25
    // runs only for listed rows (SQLite reads `rank` lazily, after the IN test).
    this.rankListed = db.prepare(
      `SELECT rowid AS id, rank FROM search_fts
       WHERE search_fts MATCH ? AND rank MATCH '${rankFunction}' AND rowid >= ? AND rowid <= ?
         AND +rowid IN (SELECT value FROM json_each(?))
       ORDER BY +rank, id LIMIT ?`,
    );
  }

  /** The best `limit` rows of one corpus, best first. */
  rank(query: CorpusQuery, match: MatchTerms, limit: number): RankedRow[] {
    const { range, filter } = query;
    const { terms, titleTerms } = match;
    const statements = filter ? this.filteredStatements(filter.sql) : this.unfiltered;
    const params = filter?.params ?? [];
    const candidates = Math.max(this.cap, limit);
    const first = BigInt(range.first);
    if (match.atMost !== undefined && match.atMost <= candidates) {
      // Few matches for certain: rank them all in one query, no need to look first.
      return statements.rankAll.all(terms, first, BigInt(range.end), ...params, limit);
    }
    // Rowids only: no bm25 yet, so walking one past the cap to learn "broad or not" is cheap.
    const newest = statements.newest.all(
      terms,
      first,
      BigInt(range.end),
      ...params,
      candidates + 1,
    );
    if (newest.length <= candidates) {
      // Every match is a candidate: rank them all (EXACT), no list needed.
      return newest.length === 0
        ? []
        : statements.rankAll.all(terms, first, BigInt(range.end), ...params, limit);
    }
    // Broad: document-title matches, then heading matches, then the newest matches.
    const listed: number[] = [];
    const seen = new Set<number>();
    const add = (ids: number[], upTo: number) => {
      for (const id of ids) {
        if (listed.length >= upTo) return;
        if (!seen.has(id)) listed.push(id);
        seen.add(id);
      }
    };
    for (const columns of titleTerms) {
      if (listed.length >= candidates) break;
      add(
        statements.newest.all(columns, first, BigInt(range.end), ...params, candidates),
        candidates,
      );
    }
    // Title rows found by one word may not match the whole query: always keep a share of the
    // newest matches, which do, so a broad query never runs out of candidates.
    const window = Math.max(
      candidates - listed.length,
      Math.min(candidates, Math.max(limit, candidates / 4)),
    );
    add(newest, listed.length + window);
    // One bm25 query for all candidates: bm25 reads each term's whole doclist once per query
    // (for IDF), so ranking the groups apart would pay that more than once.
    const low = listed.reduce((a, b) => Math.min(a, b));
    const high = listed.reduce((a, b) => Math.max(a, b));
    return this.rankListed.all(terms, BigInt(low), BigInt(high), JSON.stringify(listed), limit);
  }

  private filteredStatements(filterSql: string): Statements {
    const cached = this.filtered.get(filterSql);
    if (cached) return cached;
    const statements = this.prepare(filterSql);
    if (this.filtered.size >= maxCachedFilterStatements) {
      const oldest = this.filtered.keys().next().value;
      if (oldest !== undefined) this.filtered.delete(oldest);
    }
    this.filtered.set(filterSql, statements);
    return statements;
  }

  private prepare(filterSql: string | null): Statements {
    const from = filterSql
      ? `search_fts JOIN search_sections s ON s.id = search_fts.rowid
         JOIN search_documents d ON d.id = s.doc_id`
      : 'search_fts';
    const filter = filterSql ? `AND ${filterSql}` : '';
    const newest = this.db
      .prepare<unknown[], number>(
        `SELECT search_fts.rowid FROM ${from}
         WHERE search_fts MATCH ? AND search_fts.rowid >= ? AND search_fts.rowid < ? ${filter}
         ORDER BY search_fts.rowid DESC LIMIT ?`,
      )
      .pluck();
    // `+rank`: ORDER BY rank itself would switch FTS5 to its own sorter, which is no cheaper.
    const rankAll = this.db.prepare<unknown[], RankedRow>(
      `SELECT search_fts.rowid AS id, search_fts.rank AS rank FROM ${from}
       WHERE search_fts MATCH ? AND search_fts.rank MATCH '${rankFunction}'
         AND search_fts.rowid >= ? AND search_fts.rowid < ? ${filter}
       ORDER BY +search_fts.rank, search_fts.rowid LIMIT ?`,
    );
    return { newest, rankAll };
  }
}

export const byRank = (a: RankedRow, b: RankedRow) => a.rank - b.rank || a.id - b.id;
