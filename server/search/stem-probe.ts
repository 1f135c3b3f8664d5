import Database, { type Statement } from 'better-sqlite3';
import { ftsTokenizer } from './fts-layout.ts';

/**
 * FTS5's own porter stems of words, from a scratch FTS5 table with the index's tokenizer read
 * back through fts5vocab: the stems are exactly the stored ones. The table lives in a private
 * in-memory database, so stemming at query time writes nothing to the data folder's connection
 * (queries keep working on a read-only database). Shared by the prefix vocabulary (indexing),
 * the term statistics and the title stage (queries).
 */
export class StemProbe {
  private readonly insertProbe: Statement<[bigint, string]>;
  private readonly readStems: Statement<[], { doc: number; term: string; offset: number }>;
  private readonly clearProbe: Statement<[]>;

  constructor() {
    const db = new Database(':memory:');
    db.exec(`
      CREATE VIRTUAL TABLE IF NOT EXISTS search_stem_probe
        USING fts5(word, tokenize = '${ftsTokenizer}');
      CREATE VIRTUAL TABLE IF NOT EXISTS search_stem_terms
        USING fts5vocab(search_stem_probe, 'instance');
    `);
    this.insertProbe = db.prepare('INSERT INTO search_stem_probe (rowid, word) VALUES (?, ?)');
    this.readStems = db.prepare('SELECT doc, term, offset FROM search_stem_terms');
    this.clearProbe = db.prepare('DELETE FROM search_stem_probe');
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
