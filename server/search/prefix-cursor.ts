import { phraseScore, scoreBound } from './bm25.ts';
import { MergedCursor, type MergedList } from './merged-postings.ts';
import { type DrivingCursor, exhaustedOrdinal, type ProbeCursor } from './posting-cursor.ts';

/**
 * A prefix phrase at FTS5's IDF floor (its terms are in half the sections or more) asked about
 * one section at a time. Whether a section holds it is one bit of a set built from the terms'
 * postings (kept by the caller until the index changes); its frequency, the section's
 * occurrences of those terms added up (as FTS5 counts a prefix), is read from the section's own
 * term list only when the section may enter the top k. Merging the terms' postings into one
 * sorted list costs all of them (a two-letter prefix: most of the index), so that is done only
 * when the phrase must drive the search (`drive()`); the list is kept by the caller too.
 */

export interface ForwardLists {
  readonly forwardStart: Uint32Array;
  readonly forwardTerms: Uint32Array;
  readonly forwardFrequencies: Uint16Array;
}

export class PrefixCursor implements ProbeCursor {
  /** Postings of its terms in the segment: an upper bound of its sections. */
  readonly size: number;
  maxScore = 0;
  private readonly forward: ForwardLists;
  private readonly isTerm: Uint8Array;
  private readonly idf: number;
  private readonly members: () => Uint8Array;
  private readonly merged: () => MergedList;
  private membership: Uint8Array | undefined;
  private driver: MergedCursor | undefined;
  private at = exhaustedOrdinal;

  /**
   * `isTerm[t]` is 1 for the prefix's terms; `members` builds (or fetches) the bit set of
   * sections holding any (bit o of byte o >> 3); `merged` builds (or fetches) its merged list.
   */
  constructor(parts: {
    forward: ForwardLists;
    isTerm: Uint8Array;
    size: number;
    idf: number;
    members: () => Uint8Array;
    merged: () => MergedList;
  }) {
    this.forward = parts.forward;
    this.isTerm = parts.isTerm;
    this.size = parts.size;
    this.idf = parts.idf;
    this.members = parts.members;
    this.merged = parts.merged;
  }

  current(): number {
    return this.driver ? this.driver.current() : this.at;
  }

  seek(target: number): void {
    if (this.driver) {
      this.driver.seek(target);
      return;
    }
    this.membership ??= this.members();
    const member = ((this.membership[target >>> 3] ?? 0) >>> (target & 7)) & 1;
    this.at = member === 1 ? target : exhaustedOrdinal;
  }

  addTo(score: number, norm: number): number {
    if (this.driver) return this.driver.addTo(score, norm);
    if (this.at === exhaustedOrdinal) return score;
    const { forwardStart, forwardTerms, forwardFrequencies } = this.forward;
    let frequency = 0;
    const last = forwardStart[this.at + 1] ?? 0;
    for (let at = forwardStart[this.at] ?? 0; at < last; at += 1) {
      if (this.isTerm[forwardTerms[at] ?? 0] === 1) frequency += forwardFrequencies[at] ?? 0;
    }
    return score + phraseScore(this.idf, frequency, norm);
  }

  /** Its best possible share, without reading the section's terms. */
  addBoundTo(score: number, norm: number): number {
    if (this.driver) return this.driver.addTo(score, norm);
    return this.at === exhaustedOrdinal ? score : score + this.maxScore;
  }

  /** Without the merged list, the bound of any share: f/(f + norm) < 1. */
  computeBounds(): void {
    this.maxScore = this.driver ? this.driver.maxScore : scoreBound(this.idf, 1);
  }

  rangeBound(from: number, to: number): number {
    return this.driver ? this.driver.rangeBound(from, to) : this.maxScore;
  }

  /** The merged list as a driving cursor (merged on first use), bounds computed. */
  drive(): DrivingCursor {
    if (!this.driver) {
      this.driver = new MergedCursor(this.merged(), [this.idf]);
      this.driver.computeBounds();
      this.maxScore = this.driver.maxScore;
    }
    return this.driver;
  }
}
