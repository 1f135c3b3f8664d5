import Database, { type Statement } from 'better-sqlite3';
import { ftsTokenizer } from './fts-layout.ts';

/**
 * FTS5's own tokens of short texts (porter stems, folded), from a scratch FTS5 table with the
 * index's tokenizer read back through fts5vocab: the tokens are exactly the stored ones. The table
 * lives in a private in-memory database, so stemming at query time writes nothing to the data
 * folder's connection (queries keep working on a read-only database). Shared by the prefix
 * vocabulary (indexing), the term statistics, the title stage and the section tokenizer.
 */
export class StemProbe {
  private readonly insertProbe: Statement<[bigint, string]>;
  private readonly readTokens: Statement<[], { doc: number; term: string; offset: number }>;
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
    this.readTokens = db.prepare('SELECT doc, term, offset FROM search_stem_terms');
    this.clearProbe = db.prepare('DELETE FROM search_stem_probe');
  }

  /**
   * The stem of each word, in order; null where the tokenizer does not keep the word as exactly
   * one token (it splits it, or drops it).
   */
  stems(words: readonly string[]): Array<string | null> {
    return this.tokens(words).map((tokens) => (tokens.length === 1 ? (tokens[0] ?? null) : null));
  }

  /** Every token FTS5 makes of each text, in text order (an empty list when it makes none). */
  tokens(texts: readonly string[]): string[][] {
    this.clearProbe.run();
    texts.forEach((text, index) => {
      this.insertProbe.run(BigInt(index + 1), text);
    });
    const found = texts.map(() => [] as Array<{ term: string; offset: number }>);
    for (const { doc, term, offset } of this.readTokens.all())
      found[doc - 1]?.push({ term, offset });
    this.clearProbe.run();
    return found.map((tokens) =>
      tokens.sort((a, b) => a.offset - b.offset).map((token) => token.term),
    );
  }
}
