import { phraseScore, scoreBound } from './bm25.ts';
import { MergedCursor, type MergedList } from './merged-postings.ts';
import { type DrivingCursor, exhaustedOrdinal, type ProbeCursor } from './posting-cursor.ts';

/**
 * A prefix phrase (every term starting with what is being typed) asked about one section at a
 * time from the section's own term list: its frequency is the section's occurrences of those
 * terms added up, as FTS5 counts a prefix. Merging the terms' postings into one list costs all
 * of them (a two-letter prefix: most of the index), so that is done only when the phrase must
 * drive the search (`drive()`), and the merged list is kept by the caller until the index changes.
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
  private readonly merged: () => MergedList;
  private driver: MergedCursor | undefined;
  private at = exhaustedOrdinal;
  private frequency = 0;

  /** `isTerm[t]` is 1 for the prefix's terms; `merged` builds (or fetches) its merged list. */
  constructor(parts: {
    forward: ForwardLists;
    isTerm: Uint8Array;
    size: number;
    idf: number;
    merged: () => MergedList;
  }) {
    this.forward = parts.forward;
    this.isTerm = parts.isTerm;
    this.size = parts.size;
    this.idf = parts.idf;
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
    const { forwardStart, forwardTerms, forwardFrequencies } = this.forward;
    let frequency = 0;
    const last = forwardStart[target + 1] ?? 0;
    for (let at = forwardStart[target] ?? 0; at < last; at += 1) {
      if (this.isTerm[forwardTerms[at] ?? 0] === 1) frequency += forwardFrequencies[at] ?? 0;
    }
    this.frequency = frequency;
    this.at = frequency > 0 ? target : exhaustedOrdinal;
  }

  addTo(score: number, norm: number): number {
    if (this.driver) return this.driver.addTo(score, norm);
    return score + phraseScore(this.idf, this.frequency, norm);
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
