import { phraseScore, scoreBound, shareScale } from './bm25.ts';
import { blockSize } from './posting-segment.ts';

/**
 * A position in one query clause's postings within one segment, with what the top-k search
 * needs: the clause's share of a section's score, added in FTS5's phrase order, and the best
 * share any of its sections can give. A probe is only asked about given sections; a driving
 * cursor also lists its postings block by block with each block's best share. Kinds: one term's
 * slice of a PostingSegment (TermCursor), a list merged for the query (merged-postings.ts), and
 * a clause of several of those probed together (composite-cursor.ts).
 */
export interface ProbeCursor {
  /** Postings (an estimate for a composite): the smallest clause drives. */
  readonly size: number;
  /** The best share any posting can give; set by `computeBounds`. */
  maxScore: number;
  /** The current ordinal, or 2^32 once exhausted (above every ordinal). */
  current(): number;
  /** Moves to the first posting at or after `target`, searching the whole list (any order). */
  seek(target: number): void;
  /** `score` plus this clause's phrases at the current posting, added one by one in order. */
  addTo(score: number, norm: number): number;
  /** As `addTo`, or more when a share is costly to read (then its bound is added instead). */
  addBoundTo(score: number, norm: number): number;
  /** Prepares the bounds for the query's average length, and `maxScore`. */
  computeBounds(averageLength: number): void;
  /** The best share of any posting with an ordinal in [from, to]; 0 when there is none. */
  rangeBound(from: number, to: number): number;
}

/** A probe that can list its postings too, at a cost (a merge), when it must drive. */
export interface LazyCursor extends ProbeCursor {
  drive(): DrivingCursor;
}

/** Any cursor of a phrase: one that lists its postings, or one that can be made to. */
export type PhraseCursor = DrivingCursor | LazyCursor;

/** The cursor as one that lists its postings (a lazy one merges them now). */
export const driving = (cursor: PhraseCursor): DrivingCursor =>
  'drive' in cursor ? cursor.drive() : cursor;

export interface DrivingCursor extends ProbeCursor {
  readonly docs: Uint32Array;
  readonly start: number;
  readonly end: number;
  position: number;
  /** Moves forward to the first posting at or after `target`. */
  advanceTo(target: number): void;
  /** Blocks of `blockSize` postings in the list, and the best share of each. */
  readonly blocks: number;
  blockBound(block: number): number;
  /** The postings as a slice of one phrase, to merge into a clause's list. */
  slice(): PostingSlice;
}

/** Postings [start, end) of `docs`/`frequencies`: a term's slice of a segment, or a merged list. */
export interface PostingSlice {
  docs: Uint32Array;
  frequencies: Uint16Array | Uint32Array;
  start: number;
  end: number;
}

export const exhaustedOrdinal = 0x100000000;

/** Galloping then binary search for the first position in [from, end) holding >= target. */
export function gallop(docs: Uint32Array, from: number, end: number, target: number): number {
  let low = from;
  if (low >= end || (docs[low] ?? 0) >= target) return low;
  let step = 1;
  let high = low + 1;
  while (high < end && (docs[high] ?? 0) < target) {
    low = high;
    step *= 2;
    high = low + step;
  }
  if (high > end) high = end;
  // docs[low] < target; the answer is in (low, high].
  while (low + 1 < high) {
    const middle = (low + high) >>> 1;
    if ((docs[middle] ?? 0) < target) low = middle;
    else high = middle;
  }
  return high;
}

/**
 * The best of `blockBound` over the blocks holding postings with ordinals in [from, to], for a
 * list of `blockSize` blocks from `start`; 0 when no posting is in the range.
 */
export function rangeBoundOf(
  cursor: Pick<DrivingCursor, 'docs' | 'start' | 'end' | 'blockBound'>,
  from: number,
  to: number,
): number {
  const first = lowerBound(cursor.docs, cursor.start, cursor.end, from);
  const last = lowerBound(cursor.docs, first, cursor.end, to + 1) - 1;
  if (last < first) return 0;
  let best = 0;
  const lastBlock = Math.floor((last - cursor.start) / blockSize);
  for (let block = Math.floor((first - cursor.start) / blockSize); block <= lastBlock; block += 1) {
    best = Math.max(best, cursor.blockBound(block));
  }
  return best;
}

/** Binary search for the first position in [start, end) holding >= target. */
export function lowerBound(docs: Uint32Array, start: number, end: number, target: number): number {
  let low = start;
  let high = end;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((docs[middle] ?? 0) < target) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** One term's postings in a segment: one phrase. */
export class TermCursor implements DrivingCursor {
  readonly docs: Uint32Array;
  readonly start: number;
  readonly end: number;
  readonly blocks: number;
  position: number;
  maxScore = 0;
  private readonly frequencies: Uint16Array;
  private readonly firstBlock: number;
  private readonly blockMaxShare: Float64Array;
  private readonly builtAverage: number;
  private readonly idf: number;
  private scale = 1;

  constructor(parts: {
    docs: Uint32Array;
    frequencies: Uint16Array;
    start: number;
    end: number;
    firstBlock: number;
    blockMaxShare: Float64Array;
    builtAverage: number;
    idf: number;
  }) {
    this.docs = parts.docs;
    this.frequencies = parts.frequencies;
    this.start = parts.start;
    this.end = parts.end;
    this.position = parts.start;
    this.blocks = Math.ceil((parts.end - parts.start) / blockSize);
    this.firstBlock = parts.firstBlock;
    this.blockMaxShare = parts.blockMaxShare;
    this.builtAverage = parts.builtAverage;
    this.idf = parts.idf;
  }

  get size(): number {
    return this.end - this.start;
  }

  slice(): PostingSlice {
    return { docs: this.docs, frequencies: this.frequencies, start: this.start, end: this.end };
  }

  current(): number {
    return this.position < this.end ? (this.docs[this.position] ?? 0) : exhaustedOrdinal;
  }

  advanceTo(target: number): void {
    this.position = gallop(this.docs, this.position, this.end, target);
  }

  seek(target: number): void {
    this.position = lowerBound(this.docs, this.start, this.end, target);
  }

  addTo(score: number, norm: number): number {
    return score + phraseScore(this.idf, this.frequencies[this.position] ?? 0, norm);
  }

  addBoundTo(score: number, norm: number): number {
    return this.addTo(score, norm);
  }

  blockBound(block: number): number {
    return scoreBound(this.idf, (this.blockMaxShare[this.firstBlock + block] ?? 0) * this.scale);
  }

  rangeBound(from: number, to: number): number {
    return rangeBoundOf(this, from, to);
  }

  computeBounds(averageLength: number): void {
    this.scale = shareScale(this.builtAverage, averageLength);
    let best = 0;
    for (let block = 0; block < this.blocks; block += 1) {
      best = Math.max(best, this.blockMaxShare[this.firstBlock + block] ?? 0);
    }
    this.maxScore = scoreBound(this.idf, best * this.scale);
  }
}
