import type { Statement } from 'better-sqlite3';
import type { SqliteDatabase } from '../db/open-database.ts';
import { foldedWords } from './query-text.ts';
import type { ScoredRow } from './result-page.ts';

/**
 * Maximal Marginal Relevance (Carbonell & Goldstein, 1998), as Vectara's `mmr` reranker: pick
 * results one at a time, each maximising
 *   (1 − bias) · relevance − bias · (highest similarity to a result already picked),
 * so near-duplicate sections (the same paragraph on ten versioned pages) stop filling a page.
 * Similarity is the Jaccard overlap of the sections' word sets (heading and body); relevance is
 * the BM25 score mapped to 0..1. Work is bounded: at most `maxMmrCandidates` sections are read
 * (each up to `maxComparedChars`), only the results asked for are picked, and each pick updates
 * one similarity per remaining candidate (a merge of two sorted arrays of word ids).
 */

/** The relevance-ranked sections MMR chooses from, at least (when fewer are asked for). */
export const minMmrCandidates = 50;
/** ...and at most: past these, results follow in relevance order. */
export const maxMmrCandidates = 100;
/** Characters of a section compared; chunked sections are no longer than this. */
const maxComparedChars = 4_000;

/** A result in MMR order; `score` is the MMR objective shifted into 0..1. */
export type Reranked = ScoredRow;

export class MmrRanking {
  private readonly readText: Statement<[bigint], { title: string; body: string }>;

  constructor(db: SqliteDatabase) {
    this.readText = db.prepare(
      'SELECT section_title AS title, body FROM search_fts WHERE rowid = ?',
    );
  }

  /**
   * The first `count` results in MMR order with their scores. `rows`: best first, with
   * `relevance` in 0..1. Past the first `maxMmrCandidates`, results follow in relevance order.
   */
  rerank(
    rows: Array<{ id: number; relevance: number }>,
    diversityBias: number,
    count: number,
  ): Reranked[] {
    const bias = Number.isFinite(diversityBias) ? Math.min(1, Math.max(0, diversityBias)) : 0;
    const pool = rows.slice(0, maxMmrCandidates);
    const ids = new Map<string, number>();
    const words = pool.map((row) => this.wordIdsOf(row.id, ids));
    const picked = mmrOrder(
      pool.map((row) => row.relevance),
      (a, b) => jaccard(words[a] ?? [], words[b] ?? []),
      bias,
      count,
    );
    const reranked = picked.map(({ index, score }) => ({ id: pool[index]?.id ?? 0, score }));
    // Past the pool, relevance order; scored so the list stays sorted by score.
    let floor = reranked.at(-1)?.score ?? 1;
    for (const row of rows.slice(pool.length, Math.max(pool.length, count))) {
      floor = Math.min(floor, (1 - bias) * row.relevance);
      reranked.push({ id: row.id, score: floor });
    }
    return reranked.slice(0, count);
  }

  /** The section's distinct words as sorted ids (ids shared across one rerank). */
  private wordIdsOf(id: number, ids: Map<string, number>): number[] {
    const found = this.readText.get(BigInt(id));
    if (!found) return [];
    const distinct = new Set<number>();
    for (const word of foldedWords(`${found.title} ${found.body.slice(0, maxComparedChars)}`)) {
      let wordId = ids.get(word);
      if (wordId === undefined) {
        wordId = ids.size;
        ids.set(word, wordId);
      }
      distinct.add(wordId);
    }
    return [...distinct].sort((a, b) => a - b);
  }
}

/**
 * Greedy MMR over candidates given by relevance (0..1) and a pairwise similarity (0..1).
 * Each candidate keeps its highest similarity to the picked set, updated once per pick, so the
 * cost is candidates × picks similarity calls. Scores never increase from one pick to the next.
 */
export function mmrOrder(
  relevance: number[],
  similarity: (a: number, b: number) => number,
  bias: number,
  count = relevance.length,
): Array<{ index: number; score: number }> {
  const highestSimilarity = relevance.map(() => 0);
  const remaining = new Set(relevance.keys());
  const order: Array<{ index: number; score: number }> = [];
  while (remaining.size > 0 && order.length < count) {
    let best = -1;
    let bestScore = Number.NEGATIVE_INFINITY;
    for (const index of remaining) {
      const score =
        (1 - bias) * (relevance[index] ?? 0) + bias * (1 - (highestSimilarity[index] ?? 0));
      // Ties go to the more relevant (earlier) candidate: `remaining` iterates in rank order.
      if (score > bestScore) {
        best = index;
        bestScore = score;
      }
    }
    remaining.delete(best);
    order.push({ index: best, score: bestScore });
    for (const index of remaining) {
      const shared = similarity(best, index);
      if (shared > (highestSimilarity[index] ?? 0)) highestSimilarity[index] = shared;
    }
  }
  return order;
}

/** |A ∩ B| / |A ∪ B| of two sorted id arrays; empty sets are not alike (nothing says they are). */
export function jaccard(a: readonly number[], b: readonly number[]): number {
  if (a.length === 0 || b.length === 0) return 0;
  let shared = 0;
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const x = a[i] ?? 0;
    const y = b[j] ?? 0;
    if (x === y) {
      shared += 1;
      i += 1;
      j += 1;
    } else if (x < y) i += 1;
    else j += 1;
  }
  return shared / (a.length + b.length - shared);
}
