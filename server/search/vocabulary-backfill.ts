import type { SqliteDatabase } from '../db/open-database.ts';
import { corpusBlockSize } from './fts-layout.ts';
import { addVocabularyWords, prepareInsertWord } from './prefix-vocabulary.ts';
import { foldedWords } from './query-text.ts';
import { StemProbe } from './stem-probe.ts';

/**
 * Search schema 2: version 1 kept only the words its stemmer cut into (for completion); typo
 * tolerance needs every word. This reads each corpus's indexed text once and adds the words it
 * lacks, in the migration's transaction, so an upgraded data folder corrects typos at once.
 */

/** Words gathered before they are written: bounds memory on a very large corpus. */
const wordsPerFlush = 100_000;
const rowsPerPage = 500;

export function backfillVocabulary(db: SqliteDatabase): void {
  const probe = new StemProbe();
  const insertWord = prepareInsertWord(db);
  const corpora = db
    .prepare<[], { slot: number; customer_id: number; corpus_id: number }>(
      'SELECT slot, customer_id, corpus_id FROM search_corpora',
    )
    .all();
  // Pages of rows, not one iterator: the connection cannot write while a statement iterates.
  const texts = db.prepare<
    [bigint, bigint, number],
    { id: bigint; doc_title: string; section_title: string; body: string }
  >(
    `SELECT rowid AS id, doc_title, section_title, body FROM search_fts
     WHERE rowid >= ? AND rowid < ? ORDER BY rowid LIMIT ?`,
  );
  texts.safeIntegers(true);
  for (const { slot, customer_id, corpus_id } of corpora) {
    const corpus = { customerId: customer_id, corpusId: corpus_id };
    let words = new Set<string>();
    const end = (BigInt(slot) + 1n) * BigInt(corpusBlockSize);
    let next = BigInt(slot) * BigInt(corpusBlockSize);
    for (;;) {
      const rows = texts.all(next, end, rowsPerPage);
      for (const row of rows) {
        for (const text of [row.doc_title, row.section_title, row.body]) {
          for (const word of foldedWords(text)) words.add(word);
        }
        next = row.id + 1n;
      }
      if (words.size >= wordsPerFlush || rows.length < rowsPerPage) {
        addVocabularyWords(insertWord, probe, corpus, words);
        words = new Set();
      }
      if (rows.length < rowsPerPage) break;
    }
  }
}
