/**
 * BM25 exactly as FTS5's bm25() computes it (sqlite3.c, fts5Bm25Function), so the in-memory
 * index ranks as the FTS5 queries did: per phrase, IDF = log((N - n + 0.5) / (n + 0.5)),
 * floored at 1e-6; f = the phrase's matches weighted by column; D = the row's tokens in all
 * columns; score = Σ IDF · f·(k1 + 1) / (f + k1·(1 - b + b·D/avgdl)). The expressions are
 * written in FTS5's order of operations, so equal inputs give bit-equal scores.
 */

export const k1 = 1.2;
export const b = 0.75;
/** The IDF FTS5 gives a phrase in half the rows or more (where log(...) would be <= 0). */
export const idfFloor = 1e-6;

/**
 * FTS5's IDF of a phrase found in `hits` of `rows` rows. `ln` must be the C library's log for
 * bit-equal scores: V8's Math.log differs from it in the last bit for a few percent of inputs.
 */
export function inverseDocumentFrequency(
  rows: number,
  hits: number,
  ln: (x: number) => number = Math.log,
): number {
  const idf = ln((rows - hits + 0.5) / (hits + 0.5));
  return idf <= 0 ? idfFloor : idf;
}

/** The length part of the denominator, once per row: k1·(1 - b + b·D/avgdl). */
export function lengthNorm(length: number, averageLength: number): number {
  return k1 * (1 - b + (b * length) / averageLength);
}

/** One phrase's share of a row's score. */
export function phraseScore(idf: number, frequency: number, norm: number): number {
  return idf * ((frequency * (k1 + 1)) / (frequency + norm));
}

/**
 * The part of a phrase's score that depends on the row, f/(f + norm), so phraseScore is about
 * idf·(k1 + 1)·share. Computed at one average length `built`, a share bounds the share at any
 * other average `now` once scaled by `shareScale(built, now)`: norm falls at most in proportion
 * as the average grows (norm = k1(1 - b) + k1·b·D/avgdl), and rises when it shrinks.
 */
export function tfShare(frequency: number, length: number, averageLength: number): number {
  return frequency / (frequency + lengthNorm(length, averageLength));
}

export function shareScale(built: number, now: number): number {
  return built > 0 && now > built ? now / built : 1;
}

/** An upper bound of phraseScore for a row whose share is at most `share` (+ rounding slack). */
export function scoreBound(idf: number, share: number): number {
  return idf * (k1 + 1) * share * (1 + 1e-12);
}
