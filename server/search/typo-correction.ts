import type { Statement } from 'better-sqlite3';
import type { SqliteDatabase } from '../db/open-database.ts';
import type { CorpusRef } from './search-types.ts';

/**
 * Near words for a query word the corpus does not have, the way docs search boxes forgive typos
 * (Meilisearch, Typesense, Algolia): one edit from 5 letters, two from 9, where an edit is an
 * insertion, deletion, substitution or swap of neighbours ("datetiem"). The first letter must
 * match: typos there are rare, and it keeps the words compared few. Words with a digit are never
 * corrected: in versions, error codes and identifiers a different digit names a different thing.
 *
 * The corpus's words (search_vocabulary) are loaded once per corpus, bucketed by first letter,
 * and kept until the data changes (the engine calls `forget()`); the memory is that of the
 * vocabulary, bounded per corpus by `maxWordsPerCorpus`.
 */

export const minTypoLength = 5;
export const twoTyposLength = 9;
/** Corrections kept per word: the nearest, most frequent first. */
const maxCorrections = 3;
/** Vocabulary loaded per corpus at most, most of a large docs site. */
const maxWordsPerCorpus = 200_000;

const digit = /\p{N}/u;

export function allowedEdits(word: string): number {
  if (digit.test(word)) return 0;
  if (word.length >= twoTyposLength) return 2;
  return word.length >= minTypoLength ? 1 : 0;
}

type Buckets = Map<string, string[]>;

export class TypoCorrection {
  private readonly readWords: Statement<[number, number, number], string>;
  private readonly corpora = new Map<string, Buckets>();

  constructor(db: SqliteDatabase) {
    this.readWords = db
      .prepare<[number, number, number], string>(
        'SELECT word FROM search_vocabulary WHERE customer_id = ? AND corpus_id = ? LIMIT ?',
      )
      .pluck();
  }

  forget(): void {
    this.corpora.clear();
  }

  /**
   * Words of the corpora within the allowed edits of `word`, nearest first; `frequency` breaks
   * ties (sections holding the word). Empty for short words.
   */
  corrections(
    corpora: CorpusRef[],
    word: string,
    frequency: (candidate: string) => number,
  ): string[] {
    const edits = allowedEdits(word);
    if (edits === 0) return [];
    const found = new Map<string, number>();
    for (const corpus of corpora) {
      for (const candidate of this.buckets(corpus).get(word.charAt(0)) ?? []) {
        if (Math.abs(candidate.length - word.length) > edits || candidate === word) continue;
        const distance = editDistance(word, candidate, edits);
        if (distance <= edits) found.set(candidate, distance);
      }
    }
    const scored = [...found].map(([candidate, distance]) => ({
      candidate,
      distance,
      frequency: frequency(candidate),
    }));
    scored.sort(
      (a, b) =>
        a.distance - b.distance ||
        b.frequency - a.frequency ||
        (a.candidate < b.candidate ? -1 : 1),
    );
    return scored
      .filter((entry) => entry.frequency > 0)
      .slice(0, maxCorrections)
      .map((entry) => entry.candidate);
  }

  private buckets(corpus: CorpusRef): Buckets {
    const key = `${corpus.customerId}/${corpus.corpusId}`;
    let buckets = this.corpora.get(key);
    if (!buckets) {
      buckets = new Map();
      for (const word of this.readWords.all(
        corpus.customerId,
        corpus.corpusId,
        maxWordsPerCorpus,
      )) {
        const first = word.charAt(0);
        let bucket = buckets.get(first);
        if (!bucket) {
          bucket = [];
          buckets.set(first, bucket);
        }
        bucket.push(word);
      }
      this.corpora.set(key, buckets);
    }
    return buckets;
  }
}

/**
 * Optimal string alignment distance (Levenshtein plus swaps of neighbours), stopping once it
 * must exceed `limit`: then any value above `limit` is returned.
 */
export function editDistance(a: string, b: string, limit: number): number {
  const width = b.length + 1;
  let before = new Array<number>(width).fill(0);
  let previous = Array.from({ length: width }, (_, j) => j);
  let current = new Array<number>(width).fill(0);
  for (let i = 1; i <= a.length; i += 1) {
    current[0] = i;
    let rowMin = i;
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      let value = Math.min(
        (previous[j] ?? 0) + 1,
        (current[j - 1] ?? 0) + 1,
        (previous[j - 1] ?? 0) + cost,
      );
      if (
        i > 1 &&
        j > 1 &&
        a.charCodeAt(i - 1) === b.charCodeAt(j - 2) &&
        a.charCodeAt(i - 2) === b.charCodeAt(j - 1)
      ) {
        value = Math.min(value, (before[j - 2] ?? 0) + 1);
      }
      current[j] = value;
      if (value < rowMin) rowMin = value;
    }
    if (rowMin > limit) return limit + 1;
    [before, previous, current] = [previous, current, before];
  }
  return previous[b.length] ?? 0;
}
