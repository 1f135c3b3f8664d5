import { lengthNorm, phraseScore } from './bm25.ts';
import type { PostingSlice } from './posting-cursor.ts';
import type { TopK } from './top-k.ts';
import type { SegmentView } from './top-k-search.ts';

/**
 * Term-at-a-time evaluation of an AND query whose every clause is dense (each word in a large
 * share of the sections: "the to", "https js"). Bounds cannot prune there (every section scores
 * about alike), and looking each candidate up in the other clauses costs more than reading every
 * posting once: so each phrase's postings are read once, in phrase order, adding its share into a
 * per-section sum (FTS5's order of addition: bit-equal scores), and sections matching every
 * clause are offered to the top k. The cost is the postings read, whatever the query.
 */

/** A phrase: the slices whose frequencies add up (one for a term, several for a prefix). */
export interface DensePhrase {
  slices: PostingSlice[];
  idf: number;
}

export class DenseSearch {
  private scores = new Float64Array(0);
  /** Per section: clauses matched so far. */
  private matched = new Uint16Array(0);
  /** Per section: 1 + the last clause that counted it. */
  private lastClause = new Int32Array(0);
  /** Per section: a prefix phrase's frequency so far. */
  private frequencies = new Uint32Array(0);
  private touched = new Uint32Array(0);
  /** Sections the current phrase reached. */
  private reached = new Uint32Array(0);

  /** `clauses`: each clause's phrases, in query order; `sections`: ordinals in the index. */
  search(view: SegmentView, clauses: DensePhrase[][], sections: number, top: TopK): void {
    if (this.scores.length < sections) {
      this.scores = new Float64Array(sections);
      this.matched = new Uint16Array(sections);
      this.lastClause = new Int32Array(sections);
      this.frequencies = new Uint32Array(sections);
      this.touched = new Uint32Array(sections);
      this.reached = new Uint32Array(sections);
    }
    const { scores, matched, lastClause, frequencies, touched, reached } = this;
    const { deleted, lengths, rowids, averageLength } = view;
    let count = 0;
    clauses.forEach((clause, clauseIndex) => {
      const mark = clauseIndex + 1;
      for (const phrase of clause) {
        // Frequencies first (a prefix's terms add up), then the phrase's share, once per section.
        let phraseCount = 0;
        for (const { docs, frequencies: postingFrequencies, start, end } of phrase.slices) {
          for (let at = start; at < end; at += 1) {
            const ordinal = docs[at] ?? 0;
            if (deleted[ordinal] === 1) continue;
            const before = frequencies[ordinal] ?? 0;
            if (before === 0) {
              if (lastClause[ordinal] === 0) {
                touched[count] = ordinal;
                count += 1;
              }
              reached[phraseCount] = ordinal;
              phraseCount += 1;
            }
            frequencies[ordinal] = before + (postingFrequencies[at] ?? 0);
            if (lastClause[ordinal] !== mark) {
              lastClause[ordinal] = mark;
              matched[ordinal] = (matched[ordinal] ?? 0) + 1;
            }
          }
        }
        for (let i = 0; i < phraseCount; i += 1) {
          const ordinal = reached[i] ?? 0;
          const frequency = frequencies[ordinal] ?? 0;
          frequencies[ordinal] = 0;
          const norm = lengthNorm(lengths[ordinal] ?? 0, averageLength);
          scores[ordinal] = (scores[ordinal] ?? 0) + phraseScore(phrase.idf, frequency, norm);
        }
      }
    });
    for (let i = 0; i < count; i += 1) {
      const ordinal = touched[i] ?? 0;
      const score = scores[ordinal] ?? 0;
      const complete = matched[ordinal] === clauses.length;
      scores[ordinal] = 0;
      matched[ordinal] = 0;
      lastClause[ordinal] = 0;
      if (!complete || !view.inScope(ordinal)) continue;
      const rowid = rowids[ordinal] ?? 0;
      if (top.beats(score, rowid) && view.passes(ordinal)) top.push(score, rowid, ordinal);
    }
  }
}
