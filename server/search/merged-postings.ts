import { phraseScore, scoreBound, tfShare } from './bm25.ts';
import {
  type DrivingCursor,
  exhaustedOrdinal,
  gallop,
  lowerBound,
  type PostingSlice,
  rangeBoundOf,
} from './posting-cursor.ts';
import { blockSize } from './posting-segment.ts';

/**
 * Lists merged for a query. A prefix phrase (the many terms starting with what is being typed)
 * becomes one list with each section's frequencies added up, as FTS5 counts a prefix phrase;
 * a clause of several phrases (the typed word, its prefix, its completions; a misspelt word's
 * corrections) becomes one list, with one frequency per phrase, when it has to drive the search.
 * Removed sections are left out, so each phrase's count of sections is exact (a prefix's IDF
 * needs it). Merging costs the postings merged plus the ordinal span they cover: frequencies are
 * added in a dense array and gathered in one pass, no sort.
 */

export interface MergedList {
  docs: Uint32Array;
  /** Per phrase, aligned with `docs`: 0 where the phrase does not occur. */
  frequencies: Uint32Array[];
  /** Per phrase: sections of this list holding it. */
  hits: number[];
  /** Per phrase, per block of `blockSize` postings: the largest f/(f + norm) (see bm25.ts). */
  blockMaxShare: Float64Array[];
}

export interface MergeSource {
  readonly sections: number;
  readonly deleted: Uint8Array;
  readonly lengths: Uint32Array;
  readonly averageLength: number;
}

export class PostingMerger {
  /** Per ordinal: 1 + its row in `rowFrequencies`, 0 when not seen yet (all zero between merges). */
  private rowOf = new Int32Array(0);
  private rowFrequencies = new Uint32Array(0);
  private gathered = new Uint32Array(0);
  /** Per ordinal: the one phrase's frequency so far (all zero between merges). */
  private dense = new Uint32Array(0);

  /** One list of `phrases` (each the slices whose frequencies it adds up), in ordinal order. */
  merge(source: MergeSource, phrases: readonly PostingSlice[][]): MergedList {
    const [only] = phrases;
    if (phrases.length === 1 && only) return this.mergeOne(source, only);
    if (this.rowOf.length < source.sections) {
      this.rowOf = new Int32Array(source.sections);
      this.gathered = new Uint32Array(source.sections);
    }
    const rowOf = this.rowOf;
    const width = phrases.length;
    let rows = 0;
    let low = exhaustedOrdinal;
    let high = -1;
    phrases.forEach((slices, phrase) => {
      for (const { docs, frequencies, start, end } of slices) {
        if (end <= start) continue;
        // Postings are in ordinal order: the span is known from the ends.
        low = Math.min(low, docs[start] ?? 0);
        high = Math.max(high, docs[end - 1] ?? 0);
        if ((rows + end - start) * width > this.rowFrequencies.length) {
          const size = Math.max((rows + end - start) * width, this.rowFrequencies.length * 2);
          const grown = new Uint32Array(size);
          grown.set(this.rowFrequencies);
          this.rowFrequencies = grown;
        }
        const rowFrequencies = this.rowFrequencies;
        for (let at = start; at < end; at += 1) {
          const ordinal = docs[at] ?? 0;
          let row = rowOf[ordinal] ?? 0;
          if (row === 0) {
            rows += 1;
            row = rows;
            rowOf[ordinal] = row;
          }
          const cell = (row - 1) * width + phrase;
          rowFrequencies[cell] = (rowFrequencies[cell] ?? 0) + (frequencies[at] ?? 0);
        }
      }
    });

    // Gather the ordinals seen, in order, dropping removed sections.
    const { deleted, lengths, averageLength } = source;
    const gathered = this.gathered;
    let count = 0;
    for (let ordinal = low; ordinal <= high; ordinal += 1) {
      const row = rowOf[ordinal] ?? 0;
      if (row === 0) continue;
      if (deleted[ordinal] === 1) {
        rowOf[ordinal] = 0;
        this.rowFrequencies.fill(0, (row - 1) * width, row * width);
        continue;
      }
      gathered[count] = ordinal;
      count += 1;
    }
    const docs = gathered.slice(0, count);
    const frequencies = phrases.map(() => new Uint32Array(count));
    const hits = phrases.map(() => 0);
    const blocks = Math.ceil(count / blockSize);
    const blockMaxShare = phrases.map(() => new Float64Array(blocks));
    const rowFrequencies = this.rowFrequencies;
    for (let at = 0; at < count; at += 1) {
      const ordinal = docs[at] ?? 0;
      const row = rowOf[ordinal] ?? 0;
      rowOf[ordinal] = 0;
      const block = Math.floor(at / blockSize);
      const length = lengths[ordinal] ?? 0;
      const base = (row - 1) * width;
      for (let phrase = 0; phrase < width; phrase += 1) {
        const frequency = rowFrequencies[base + phrase] ?? 0;
        if (frequency === 0) continue;
        rowFrequencies[base + phrase] = 0;
        (frequencies[phrase] as Uint32Array)[at] = frequency;
        hits[phrase] = (hits[phrase] ?? 0) + 1;
        const shares = blockMaxShare[phrase] as Float64Array;
        const share = tfShare(frequency, length, averageLength);
        if (share > (shares[block] ?? 0)) shares[block] = share;
      }
    }
    return { docs, frequencies, hits, blockMaxShare };
  }

  /** One phrase (a prefix's terms): frequencies added in one dense array, gathered in order. */
  private mergeOne(source: MergeSource, slices: readonly PostingSlice[]): MergedList {
    if (this.dense.length < source.sections) {
      this.dense = new Uint32Array(source.sections);
      this.gathered = new Uint32Array(source.sections);
      this.rowOf = new Int32Array(source.sections);
    }
    const dense = this.dense;
    let low = exhaustedOrdinal;
    let high = -1;
    for (const { docs, frequencies, start, end } of slices) {
      if (end <= start) continue;
      low = Math.min(low, docs[start] ?? 0);
      high = Math.max(high, docs[end - 1] ?? 0);
      for (let at = start; at < end; at += 1) {
        const ordinal = docs[at] ?? 0;
        dense[ordinal] = (dense[ordinal] ?? 0) + (frequencies[at] ?? 0);
      }
    }
    const { deleted, lengths, averageLength } = source;
    const gathered = this.gathered;
    let count = 0;
    for (let ordinal = low; ordinal <= high; ordinal += 1) {
      if (dense[ordinal] === 0) continue;
      if (deleted[ordinal] === 1) dense[ordinal] = 0;
      else {
        gathered[count] = ordinal;
        count += 1;
      }
    }
    const docs = gathered.slice(0, count);
    const frequencies = new Uint32Array(count);
    const shares = new Float64Array(Math.ceil(count / blockSize));
    for (let at = 0; at < count; at += 1) {
      const ordinal = docs[at] ?? 0;
      const frequency = dense[ordinal] ?? 0;
      dense[ordinal] = 0;
      frequencies[at] = frequency;
      const share = tfShare(frequency, lengths[ordinal] ?? 0, averageLength);
      const block = Math.floor(at / blockSize);
      if (share > (shares[block] ?? 0)) shares[block] = share;
    }
    return { docs, frequencies: [frequencies], hits: [count], blockMaxShare: [shares] };
  }
}

/** Bytes a merged list holds, for the cache's budget. */
export const mergedListBytes = (list: MergedList): number =>
  list.docs.byteLength * (1 + list.frequencies.length) +
  list.blockMaxShare.reduce((sum, shares) => sum + shares.byteLength, 0);

/**
 * A cursor over a merged list; `idfs` per phrase, in the clause's phrase order. The list was
 * merged at the index's current average length (it is rebuilt when the index changes), so its
 * shares need no scaling.
 */
export class MergedCursor implements DrivingCursor {
  readonly docs: Uint32Array;
  readonly start = 0;
  readonly end: number;
  readonly blocks: number;
  position = 0;
  maxScore = 0;
  private readonly list: MergedList;
  private readonly idfs: readonly number[];
  private bounds = new Float64Array(0);

  constructor(list: MergedList, idfs: readonly number[]) {
    this.list = list;
    this.docs = list.docs;
    this.end = list.docs.length;
    this.blocks = Math.ceil(this.end / blockSize);
    this.idfs = idfs;
  }

  get size(): number {
    return this.end;
  }

  current(): number {
    return this.position < this.end ? (this.docs[this.position] ?? 0) : exhaustedOrdinal;
  }

  advanceTo(target: number): void {
    this.position = gallop(this.docs, this.position, this.end, target);
  }

  seek(target: number): void {
    this.position = lowerBound(this.docs, 0, this.end, target);
  }

  /** The first phrase's postings (a prefix list is one phrase), to merge into a clause. */
  slice(): PostingSlice {
    return {
      docs: this.docs,
      frequencies: this.list.frequencies[0] ?? new Uint32Array(0),
      start: 0,
      end: this.end,
    };
  }

  addTo(score: number, norm: number): number {
    let total = score;
    const { frequencies } = this.list;
    for (let phrase = 0; phrase < frequencies.length; phrase += 1) {
      const frequency = frequencies[phrase]?.[this.position] ?? 0;
      if (frequency > 0) total += phraseScore(this.idfs[phrase] ?? 0, frequency, norm);
    }
    return total;
  }

  addBoundTo(score: number, norm: number): number {
    return this.addTo(score, norm);
  }

  blockBound(block: number): number {
    return this.bounds[block] ?? 0;
  }

  rangeBound(from: number, to: number): number {
    return rangeBoundOf(this, from, to);
  }

  computeBounds(): void {
    const bounds = new Float64Array(this.blocks);
    this.list.blockMaxShare.forEach((shares, phrase) => {
      const idf = this.idfs[phrase] ?? 0;
      for (let block = 0; block < this.blocks; block += 1) {
        const share = shares[block] ?? 0;
        if (share > 0) bounds[block] = (bounds[block] ?? 0) + scoreBound(idf, share);
      }
    });
    this.bounds = bounds;
    this.maxScore = bounds.reduce((best, bound) => Math.max(best, bound), 0);
  }
}
