import type { Statement } from 'better-sqlite3';
import type { SqliteDatabase } from '../db/open-database.ts';
import { corpusBlockSize } from './search-schema.ts';
import type { CorpusRef } from './search-types.ts';

/** A corpus's block of section rowids: [first, end). */
export interface RowidRange {
  first: number;
  end: number;
}

/**
 * Gives each corpus a slot, and so a block of FTS rowids: searching one corpus is an FTS5
 * rowid-range scan. Slots are never reused for another corpus, so a deleted corpus's block
 * simply stays empty.
 */
export class CorpusSlots {
  private readonly findSlot: Statement<[number, number], number>;
  private readonly createSlot: Statement<[number, number]>;
  private readonly lastSectionId: Statement<[number, number], number | null>;

  constructor(db: SqliteDatabase) {
    this.findSlot = db
      .prepare<[number, number], number>(
        'SELECT slot FROM search_corpora WHERE customer_id = ? AND corpus_id = ?',
      )
      .pluck();
    this.createSlot = db.prepare(
      'INSERT INTO search_corpora (customer_id, corpus_id) VALUES (?, ?)',
    );
    this.lastSectionId = db
      .prepare<[number, number], number | null>(
        'SELECT max(id) FROM search_sections WHERE id >= ? AND id < ?',
      )
      .pluck();
  }

  /** The corpus's rowid block, or undefined when nothing was ever indexed into it. */
  range(corpus: CorpusRef): RowidRange | undefined {
    // No cache: a rolled-back transaction could leave a cached slot that does not exist.
    const slot = this.findSlot.get(corpus.customerId, corpus.corpusId);
    if (slot === undefined) return undefined;
    return { first: slot * corpusBlockSize, end: (slot + 1) * corpusBlockSize };
  }

  /** The block, creating the slot on first use; call inside the indexing transaction. */
  ensureRange(corpus: CorpusRef): RowidRange {
    const existing = this.range(corpus);
    if (existing) return existing;
    this.createSlot.run(corpus.customerId, corpus.corpusId);
    const created = this.range(corpus);
    if (!created) throw new Error('corpus slot was not created');
    return created;
  }

  /** The next free section rowid in the block (after the highest one in use). */
  nextSectionId(range: RowidRange): number {
    const last = this.lastSectionId.get(range.first, range.end);
    return last === null || last === undefined ? range.first + 1 : last + 1;
  }
}
