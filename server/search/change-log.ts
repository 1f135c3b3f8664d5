import type { Statement } from 'better-sqlite3';
import type { SqliteDatabase } from '../db/open-database.ts';

/**
 * Which section rowids each write touched, in commit order, so that every process sharing the
 * data folder can bring its in-memory index (memory-index.ts) up to date by re-reading only
 * those rows. A writer records ranges inside its own transaction: a crash loses the log entry
 * with the write it describes, never one without the other. Readers remember the last sequence
 * number they applied; the log keeps the latest `keptEntries` entries, and a reader that fell
 * further behind than that rebuilds from the tables.
 */

export interface TouchedRange {
  /** First rowid touched. */
  first: number;
  /** One past the last rowid touched. */
  end: number;
}

/** Log entries kept: about as many document writes. */
export const keptEntries = 10_000;

export class ChangeLog {
  private readonly insert: Statement<[number, number]>;
  private readonly latestSeq: Statement<[], number | null>;
  private readonly oldestSeq: Statement<[], number | null>;
  private readonly entriesAfter: Statement<
    [number],
    { seq: number; first_id: number; end_id: number }
  >;
  private readonly trimBefore: Statement<[number]>;

  constructor(db: SqliteDatabase) {
    this.insert = db.prepare('INSERT INTO search_changes (first_id, end_id) VALUES (?, ?)');
    this.latestSeq = db.prepare<[], number | null>('SELECT max(seq) FROM search_changes').pluck();
    this.oldestSeq = db.prepare<[], number | null>('SELECT min(seq) FROM search_changes').pluck();
    this.entriesAfter = db.prepare(
      'SELECT seq, first_id, end_id FROM search_changes WHERE seq > ? ORDER BY seq',
    );
    this.trimBefore = db.prepare('DELETE FROM search_changes WHERE seq < ?');
  }

  /** Records that rowids [first, end) changed; call inside the write transaction. */
  record(first: number, end: number): void {
    if (end > first) this.insert.run(first, end);
  }

  /** Drops all but the latest `keptEntries` entries; call inside the write transaction. */
  trim(): void {
    const latest = this.latestSeq.get() ?? 0;
    if (latest > keptEntries) this.trimBefore.run(latest - keptEntries + 1);
  }

  /** The latest sequence number, 0 when nothing was ever logged. */
  latest(): number {
    return this.latestSeq.get() ?? 0;
  }

  /**
   * The ranges touched after `seq`, merged, and the sequence number they bring a reader to; or
   * undefined when entries after `seq` were trimmed (the reader must rebuild).
   */
  after(seq: number): { ranges: TouchedRange[]; latest: number } | undefined {
    const oldest = this.oldestSeq.get();
    if (oldest !== null && oldest !== undefined && oldest > seq + 1) return undefined;
    const entries = this.entriesAfter.all(seq);
    const ranges = mergeRanges(
      entries.map((entry) => ({ first: entry.first_id, end: entry.end_id })),
    );
    return { ranges, latest: entries.at(-1)?.seq ?? seq };
  }
}

/** Overlapping or adjacent ranges joined, in rowid order. */
export function mergeRanges(ranges: TouchedRange[]): TouchedRange[] {
  const sorted = [...ranges].sort((a, b) => a.first - b.first);
  const merged: TouchedRange[] = [];
  for (const range of sorted) {
    const last = merged.at(-1);
    if (last && range.first <= last.end) last.end = Math.max(last.end, range.end);
    else merged.push({ ...range });
  }
  return merged;
}
