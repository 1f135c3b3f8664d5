import type { Statement } from 'better-sqlite3';
import type { SqliteDatabase } from '../db/open-database.ts';
import type { CorpusRef } from './search-types.ts';
import type { StemProbe } from './stem-probe.ts';

/**
 * The unstemmed words of each corpus, to complete the last word a visitor is typing and to find
 * near words for a typo (see typo-correction.ts). The FTS index holds porter stems ("running" is
 * stored as "run"), so a prefix query for "runni" finds nothing; we look up whole words starting
 * with "runni" here and add them to the query as plain terms, which FTS5 stems like the text.
 *
 * Every word is kept, with `kept` = how many leading letters survive in its stem ("running" →
 * "run": 3). A typed prefix needs the whole word only when it is longer than that and the stem
 * is at least two letters shorter than the word; otherwise the stem-prefix query already finds
 * it. This keeps completions few. Stems come from FTS5's own tokenizer (see stem-probe.ts).
 */

/** Words shorter than this never need completing: prefixes under 3 letters use stem prefixes. */
const minWordLength = 4;
const maxWordLength = 40;
/** Completion only starts at this prefix length; shorter prefixes match stems by prefix. */
export const minCompletionPrefix = 3;
/** Words looked at per corpus, and words added to the query: bounded query cost. */
const scannedPerCorpus = 64;
const maxCompletions = 16;
const highestCodePoint = '\u{10FFFF}';

type InsertWord = Statement<[number, number, string, number]>;

const insertWordSql = `INSERT OR IGNORE INTO search_vocabulary (customer_id, corpus_id, word, kept)
  VALUES (?, ?, ?, ?)`;

export class PrefixVocabulary {
  private readonly probe: StemProbe;
  private readonly insertWord: InsertWord;
  private readonly wordsWithPrefix: Statement<
    [number, number, string, string, number, number],
    string
  >;
  private readonly anyWithPrefix: Statement<[number, number, string, string], number>;
  private readonly deleteCorpusWords: Statement<[number, number]>;

  constructor(db: SqliteDatabase, probe: StemProbe) {
    this.probe = probe;
    this.insertWord = db.prepare(insertWordSql);
    this.wordsWithPrefix = db
      .prepare<[number, number, string, string, number, number], string>(
        `SELECT word FROM search_vocabulary
         WHERE customer_id = ? AND corpus_id = ? AND word > ? AND word < ? AND kept < ?
           AND kept <= length(word) - 2
         ORDER BY word LIMIT ?`,
      )
      .pluck();
    this.anyWithPrefix = db
      .prepare<[number, number, string, string], number>(
        `SELECT 1 FROM search_vocabulary
         WHERE customer_id = ? AND corpus_id = ? AND word >= ? AND word < ? LIMIT 1`,
      )
      .pluck();
    this.deleteCorpusWords = db.prepare(
      'DELETE FROM search_vocabulary WHERE customer_id = ? AND corpus_id = ?',
    );
  }

  /** Adds folded words; call inside the indexing transaction (once per batch is cheapest). */
  add(corpus: CorpusRef, words: Iterable<string>): void {
    addVocabularyWords(this.insertWord, this.probe, corpus, words);
  }

  /** Whole words longer than `prefix` that start with it, shortest first (most likely typed). */
  complete(corpora: CorpusRef[], prefix: string): string[] {
    if ([...prefix].length < minCompletionPrefix) return [];
    const words = new Set<string>();
    for (const corpus of corpora) {
      const found = this.wordsWithPrefix.all(
        corpus.customerId,
        corpus.corpusId,
        prefix,
        prefix + highestCodePoint,
        prefix.length,
        scannedPerCorpus,
      );
      for (const word of found) words.add(word);
    }
    return [...words]
      .sort((a, b) => a.length - b.length || (a < b ? -1 : 1))
      .slice(0, maxCompletions);
  }

  /** Whether a word of the corpora (four letters or more) starts with `prefix`, or is it. */
  hasWordStartingWith(corpora: CorpusRef[], prefix: string): boolean {
    return corpora.some(
      (corpus) =>
        this.anyWithPrefix.get(
          corpus.customerId,
          corpus.corpusId,
          prefix,
          prefix + highestCodePoint,
        ) !== undefined,
    );
  }

  deleteCorpus(corpus: CorpusRef): void {
    this.deleteCorpusWords.run(corpus.customerId, corpus.corpusId);
  }
}

/** Stores words with their kept-stem length; shared by indexing and the schema migration. */
export function addVocabularyWords(
  insertWord: InsertWord,
  probe: StemProbe,
  corpus: CorpusRef,
  words: Iterable<string>,
): void {
  const candidates = [...words].filter(
    (word) => word.length >= minWordLength && word.length <= maxWordLength,
  );
  if (candidates.length === 0) return;
  const stems = probe.stems(candidates);
  candidates.forEach((word, index) => {
    // A word the tokenizer splits in two is not one word of the index; skip it.
    const stem = stems[index];
    if (!stem) return;
    insertWord.run(corpus.customerId, corpus.corpusId, word, commonPrefixLength(word, stem));
  });
}

/** The vocabulary insert, prepared on any connection (the migration has no engine). */
export const prepareInsertWord = (db: SqliteDatabase): InsertWord => db.prepare(insertWordSql);

function commonPrefixLength(a: string, b: string): number {
  let length = 0;
  while (length < a.length && a.charAt(length) === b.charAt(length)) length += 1;
  return length;
}
