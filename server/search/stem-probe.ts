import type { Statement } from 'better-sqlite3';
import type { SqliteDatabase } from '../db/open-database.ts';
import { ftsTokenizer } from './fts-layout.ts';

/**
 * FTS5's own porter stems of words, from a scratch FTS5 table (temp schema, so per connection)
 * with the index's tokenizer read back through fts5vocab: the stems are exactly the stored ones.
 * Shared by the prefix vocabulary (at indexing) and the term statistics (at query time).
 */
export class StemProbe {
  private readonly insertProbe: Statement<[bigint, string]>;
  private readonly readStems: Statement<[], { doc: number; term: string; offset: number }>;
  private readonly clearProbe: Statement<[]>;

  constructor(db: SqliteDatabase) {
    db.exec(`
      CREATE VIRTUAL TABLE IF NOT EXISTS temp.search_stem_probe
        USING fts5(word, tokenize = '${ftsTokenizer}');
      CREATE VIRTUAL TABLE IF NOT EXISTS temp.search_stem_terms
        USING fts5vocab(temp, search_stem_probe, 'instance');
    `);
    this.insertProbe = db.prepare('INSERT INTO temp.search_stem_probe (rowid, word) VALUES (?, ?)');
    this.readStems = db.prepare('SELECT doc, term, offset FROM temp.search_stem_terms');
    this.clearProbe = db.prepare('DELETE FROM temp.search_stem_probe');
  }

  /**
   * The stem of each word, in order; null where the tokenizer does not keep the word as exactly
   * one token (it splits it, or drops it).
   */
  stems(words: readonly string[]): Array<string | null> {
    this.clearProbe.run();
    words.forEach((word, index) => {
      this.insertProbe.run(BigInt(index + 1), word);
    });
    const found = new Map<number, string | null>();
    for (const { doc, term, offset } of this.readStems.all()) {
      found.set(doc, offset === 0 && !found.has(doc) ? term : null);
    }
    this.clearProbe.run();
    return words.map((_, index) => found.get(index + 1) ?? null);
  }
}
