import type { Statement } from 'better-sqlite3';
import type { SqliteDatabase } from '../db/open-database.ts';
import type { FtsTokenizer } from './fts-tokenizer.ts';
import type { MemoryIndex } from './memory-index.ts';

/**
 * How many sections hold a term, to leave out of the MATCH the words that carry no information.
 * BM25's IDF is log((N - n + 0.5) / (n + 0.5)), which FTS5 clamps to ~0 once a term is in half
 * the sections or more: such a term changes no score, yet bm25() reads its whole doclist on every
 * query ("the" over 100 000 sections: ~3 ms) and the AND merge walks it again.
 *
 * Counts come from the in-memory index when the engine has one up to date (`use()`), else from
 * fts5vocab over the porter stems (the stored form), so query words are stemmed first with FTS5's
 * own tokenizer (fts-tokenizer.ts, which remembers them). FTS5 counts are cached until the
 * data changes (the engine calls `forget()`).
 */

export class TermStatistics {
  private readonly tokenizer: FtsTokenizer;
  private readonly documentCount: Statement<[string], number>;
  private readonly sectionCount: Statement<[], number>;
  private readonly frequencies = new Map<string, number>();
  private sections: number | undefined;
  private index: MemoryIndex | undefined;

  constructor(db: SqliteDatabase, tokenizer: FtsTokenizer) {
    this.tokenizer = tokenizer;
    db.exec(`
      CREATE VIRTUAL TABLE IF NOT EXISTS temp.search_term_rows
        USING fts5vocab(main, search_fts, 'row');
    `);
    this.documentCount = db
      .prepare<[string], number>('SELECT doc FROM temp.search_term_rows WHERE term = ?')
      .pluck();
    // Equal to FTS5's own row count (one FTS row per section), and a plain b-tree count.
    this.sectionCount = db.prepare<[], number>('SELECT count(*) FROM search_sections').pluck();
  }

  /** Counts from this index (equal to the tables) until the next call; undefined: from FTS5. */
  use(index: MemoryIndex | undefined): void {
    this.index = index;
  }

  /** Drops the counts; call whenever the database may have changed. */
  forget(): void {
    this.frequencies.clear();
    this.sections = undefined;
  }

  /** Whether BM25 gives the folded word no weight: it is in at least half of all sections. */
  carriesNoInformation(word: string): boolean {
    const frequency = this.sectionsWith(word);
    const sections = this.index ? this.index.liveRows : this.sectionTotal();
    // log((N - n + 0.5) / (n + 0.5)) <= 0 exactly when 2n >= N: FTS5 then uses 1e-6.
    return frequency !== undefined && sections > 0 && 2 * frequency >= sections;
  }

  private sectionTotal(): number {
    this.sections ??= this.sectionCount.get() ?? 0;
    return this.sections;
  }

  /** Sections (in all corpora) holding the whole word; undefined when it has no single stem. */
  sectionsWith(word: string): number | undefined {
    const stem = this.stemOf(word);
    if (stem === null) return undefined;
    if (this.index) return this.index.rowsWith(this.index.termOf(stem));
    let frequency = this.frequencies.get(stem);
    if (frequency === undefined) {
      frequency = this.documentCount.get(stem) ?? 0;
      this.frequencies.set(stem, frequency);
    }
    return frequency;
  }

  /** Whether FTS5 stores the word as itself, so `"word"*` matches every section `"word"` does. */
  isOwnStem(word: string): boolean {
    return this.stemOf(word) === word;
  }

  /**
   * The completions of a typed word that can match something the word's own phrases cannot:
   * "sources" and "sourced" stem to "sourc" like "source" itself, and each extra phrase costs a
   * doclist read for IDF and would count the same tokens again in the score.
   */
  distinctCompletions(typed: string, completions: string[]): string[] {
    if (completions.length === 0) return completions;
    const seen = new Set([this.stemOf(typed)]);
    return completions.filter((word) => {
      const stem = this.stemOf(word);
      if (stem === null) return true;
      if (seen.has(stem) || stem.startsWith(typed)) return false;
      seen.add(stem);
      return true;
    });
  }

  /** FTS5's stem of one folded word, or null when the tokenizer does not keep it as one token. */
  stemOf(word: string): string | null {
    const tokens = this.tokenizer.tokenize(word);
    return tokens.length === 1 ? (tokens[0] ?? null) : null;
  }
}
