import Database, { type Statement } from 'better-sqlite3';
import type { SqliteDatabase } from '../db/open-database.ts';
import { ftsTokenizer } from './fts-layout.ts';
import { matchEndMarker, matchStartMarker } from './snippet.ts';

/**
 * Marks the matched words in the bodies of one result page, for the snippets.
 *
 * highlight() on the main table costs one MATCH setup per hit (FTS5 serves `rowid IN (…)` one id
 * at a time), and a prefix term re-merges its doclists over the whole corpus each time: ~20 ms
 * for a page of "github…". Instead the page's bodies are copied into a tiny temp FTS5 table with
 * the same tokenizer and highlighted there with the same expression: the same tokens are marked
 * (stems, prefixes, folding), but every doclist is a page long.
 */
export class PageHighlighter {
  private readonly readBody: Statement<[bigint], string>;
  private readonly insertText: Statement<[number, string]>;
  private readonly indexTexts: Statement<[]>;
  private readonly clearIndex: Statement<[]>;
  private readonly clearTexts: Statement<[]>;
  private readonly highlight: Statement<[string, string, string], { id: number; marked: string }>;

  constructor(db: SqliteDatabase) {
    // A private in-memory database holds the page: searching must not write to the main
    // connection (not even its temp schema), so queries keep working on a read-only index.
    const scratch = new Database(':memory:');
    // External content: 'delete-all' empties the index at once, where deleting rows one by one
    // would leave tombstones for FTS5 to merge on every page.
    scratch.exec(`
      CREATE TABLE IF NOT EXISTS temp.search_page_text (id INTEGER PRIMARY KEY, body TEXT NOT NULL);
      CREATE VIRTUAL TABLE IF NOT EXISTS temp.search_page USING fts5(
        body, content = 'search_page_text', content_rowid = 'id',
        tokenize = '${ftsTokenizer}'
      );
    `);
    // A rowid lookup without MATCH reads only the stored content row.
    this.readBody = db
      .prepare<[bigint], string>('SELECT body FROM search_fts WHERE rowid = ?')
      .pluck();
    this.insertText = scratch.prepare('INSERT INTO temp.search_page_text (id, body) VALUES (?, ?)');
    this.indexTexts = scratch.prepare(
      "INSERT INTO temp.search_page (search_page) VALUES ('rebuild')",
    );
    this.clearIndex = scratch.prepare(
      "INSERT INTO temp.search_page (search_page) VALUES ('delete-all')",
    );
    this.clearTexts = scratch.prepare('DELETE FROM temp.search_page_text');
    this.highlight = scratch.prepare(
      `SELECT rowid AS id, highlight(search_page, 0, ?, ?) AS marked FROM temp.search_page
       WHERE search_page MATCH ?`,
    );
  }

  /** Body text with matches wrapped in the snippet markers, by section rowid. */
  mark(ids: number[], terms: string): Map<number, string> {
    const marked = new Map<number, string>();
    if (ids.length === 0) return marked;
    // Index positions in the temp table, so even the largest rowids stay small integers.
    const texts: string[] = [];
    for (const [position, id] of ids.entries()) {
      const body = this.readBody.get(BigInt(id)) ?? '';
      texts.push(body);
      this.insertText.run(position, body);
    }
    try {
      this.indexTexts.run();
      for (const row of this.highlight.all(matchStartMarker, matchEndMarker, terms)) {
        const id = ids[row.id];
        if (id !== undefined) marked.set(id, row.marked);
      }
    } finally {
      this.clearIndex.run();
      this.clearTexts.run();
    }
    // A section the expression does not match in its body (title-only hit) shows unmarked text.
    for (const [position, id] of ids.entries()) {
      if (!marked.has(id)) marked.set(id, texts[position] ?? '');
    }
    return marked;
  }
}
