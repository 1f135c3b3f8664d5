import { tfShare } from './bm25.ts';

/**
 * An immutable inverted index over a range of section ordinals, in flat typed arrays: for each
 * term its postings (section ordinal and column-weighted frequency) in ordinal order, and per
 * block of `blockSize` postings the largest BM25 frequency share f/(f + norm(length)) of any of
 * them, computed with the average length at build time; a query scales it to its own average
 * (bm25.ts) and multiplies by the IDF to bound the best score in the block (block-max pruning).
 */

export const blockSize = 64;
const blockShift = 6;

/** What a segment is built from: the index's per-section term lists (see memory-index.ts). */
export interface ForwardIndex {
  readonly termCount: number;
  readonly forwardStart: Uint32Array;
  readonly forwardTerms: Uint32Array;
  readonly forwardFrequencies: Uint16Array;
  readonly lengths: Uint32Array;
  readonly deleted: Uint8Array;
}

let segmentsBuilt = 0;

export class PostingSegment {
  /** Distinct per segment built, so caches can key on it. */
  readonly id = ++segmentsBuilt;
  /** Term t's postings are [termStart[t], termStart[t + 1]); terms past `terms` have none. */
  readonly termStart: Uint32Array;
  readonly docs: Uint32Array;
  readonly frequencies: Uint16Array;
  /** Term t's blocks are [blockStart[t], blockStart[t + 1]). */
  readonly blockStart: Uint32Array;
  /** Per block: the largest f/(f + norm) of its postings, at `averageLength`. */
  readonly blockMaxShare: Float64Array;
  /** The average section length the shares were computed with. */
  readonly averageLength: number;
  /** The ordinals it covers: [first, end). */
  readonly first: number;
  readonly end: number;

  constructor(parts: {
    termStart: Uint32Array;
    docs: Uint32Array;
    frequencies: Uint16Array;
    blockStart: Uint32Array;
    blockMaxShare: Float64Array;
    averageLength: number;
    first: number;
    end: number;
  }) {
    this.termStart = parts.termStart;
    this.docs = parts.docs;
    this.frequencies = parts.frequencies;
    this.blockStart = parts.blockStart;
    this.blockMaxShare = parts.blockMaxShare;
    this.averageLength = parts.averageLength;
    this.first = parts.first;
    this.end = parts.end;
  }

  get terms(): number {
    return this.termStart.length - 1;
  }

  get postings(): number {
    return this.docs.length;
  }

  /** Postings of `term` here (0 for a term newer than the segment). */
  count(term: number): number {
    if (term >= this.terms) return 0;
    return (this.termStart[term + 1] ?? 0) - (this.termStart[term] ?? 0);
  }

  /** The block holding posting `position` of `term` (position relative to the term's start). */
  blockOf(term: number, position: number): number {
    return (this.blockStart[term] ?? 0) + (position >>> blockShift);
  }

  bytes(): number {
    return (
      this.termStart.byteLength +
      this.docs.byteLength +
      this.frequencies.byteLength +
      this.blockStart.byteLength +
      this.blockMaxShare.byteLength
    );
  }
}

/**
 * Inverts the live sections with ordinals in [first, end): a counting sort, three passes.
 * `averageLength`: the index's average section length now (for the block bounds).
 */
export function invertSections(
  forward: ForwardIndex,
  first: number,
  end: number,
  averageLength: number,
): PostingSegment {
  const { termCount, forwardStart, forwardTerms, forwardFrequencies, lengths, deleted } = forward;
  const termStart = new Uint32Array(termCount + 1);
  for (let ordinal = first; ordinal < end; ordinal += 1) {
    if (deleted[ordinal] === 1) continue;
    const last = forwardStart[ordinal + 1] ?? 0;
    for (let at = forwardStart[ordinal] ?? 0; at < last; at += 1) {
      const term = forwardTerms[at] ?? 0;
      termStart[term + 1] = (termStart[term + 1] ?? 0) + 1;
    }
  }
  for (let term = 0; term < termCount; term += 1) {
    termStart[term + 1] = (termStart[term + 1] ?? 0) + (termStart[term] ?? 0);
  }
  const total = termStart[termCount] ?? 0;
  const docs = new Uint32Array(total);
  const frequencies = new Uint16Array(total);
  const fill = termStart.slice(0, termCount);
  for (let ordinal = first; ordinal < end; ordinal += 1) {
    if (deleted[ordinal] === 1) continue;
    const last = forwardStart[ordinal + 1] ?? 0;
    for (let at = forwardStart[ordinal] ?? 0; at < last; at += 1) {
      const term = forwardTerms[at] ?? 0;
      const position = fill[term] ?? 0;
      fill[term] = position + 1;
      docs[position] = ordinal;
      frequencies[position] = forwardFrequencies[at] ?? 0;
    }
  }

  const blockStart = new Uint32Array(termCount + 1);
  for (let term = 0; term < termCount; term += 1) {
    const count = (termStart[term + 1] ?? 0) - (termStart[term] ?? 0);
    blockStart[term + 1] = (blockStart[term] ?? 0) + ((count + blockSize - 1) >>> blockShift);
  }
  const blockMaxShare = new Float64Array(blockStart[termCount] ?? 0);
  for (let term = 0; term < termCount; term += 1) {
    const start = termStart[term] ?? 0;
    const stop = termStart[term + 1] ?? 0;
    const firstBlock = blockStart[term] ?? 0;
    for (let position = start; position < stop; position += 1) {
      const block = firstBlock + ((position - start) >>> blockShift);
      const length = lengths[docs[position] ?? 0] ?? 0;
      const share = tfShare(frequencies[position] ?? 0, length, averageLength);
      if (share > (blockMaxShare[block] ?? 0)) blockMaxShare[block] = share;
    }
  }
  return new PostingSegment({
    termStart,
    docs,
    frequencies,
    blockStart,
    blockMaxShare,
    averageLength,
    first,
    end,
  });
}
