import { exhaustedOrdinal, type PhraseCursor, type ProbeCursor } from './posting-cursor.ts';

/**
 * A clause of several phrases (the word being typed: the word, its prefix, its completions; a
 * misspelt word: its corrections): each phrase keeps its own cursor, and the clause's share of a
 * section is theirs added in phrase order. Probed, it costs a binary search per phrase; to drive
 * the search, its phrases drive one after the other (top-k-search.ts), none merged.
 */
export class CompositeCursor implements ProbeCursor {
  /** One per phrase, in phrase order. */
  readonly parts: readonly PhraseCursor[];
  maxScore = 0;

  constructor(parts: PhraseCursor[]) {
    this.parts = parts;
  }

  get size(): number {
    return this.parts.reduce((sum, part) => sum + part.size, 0);
  }

  current(): number {
    let ordinal = exhaustedOrdinal;
    for (const part of this.parts) ordinal = Math.min(ordinal, part.current());
    return ordinal;
  }

  seek(target: number): void {
    for (const part of this.parts) part.seek(target);
  }

  addTo(score: number, norm: number): number {
    const ordinal = this.current();
    let total = score;
    for (const part of this.parts) if (part.current() === ordinal) total = part.addTo(total, norm);
    return total;
  }

  addBoundTo(score: number, norm: number): number {
    const ordinal = this.current();
    let total = score;
    for (const part of this.parts) {
      if (part.current() === ordinal) total = part.addBoundTo(total, norm);
    }
    return total;
  }

  rangeBound(from: number, to: number): number {
    let bound = 0;
    for (const part of this.parts) bound += part.rangeBound(from, to);
    return bound;
  }

  computeBounds(averageLength: number): void {
    let bound = 0;
    for (const part of this.parts) {
      part.computeBounds(averageLength);
      bound += part.maxScore;
    }
    this.maxScore = bound;
  }
}
