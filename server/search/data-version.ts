import type { Statement } from 'better-sqlite3';
import type { SqliteDatabase } from '../db/open-database.ts';

/**
 * Tells whether the search data may have changed since the last look, so caches can be dropped.
 * `PRAGMA data_version` changes when ANOTHER connection commits (other server instances share
 * the data folder); this connection's own commits do not change it, so the engine reports its
 * own writes with `markWritten()`. The check costs a couple of microseconds.
 */
export class DataVersion {
  private readonly readVersion: Statement<[], number>;
  private seen: number | undefined;
  private written = true;

  constructor(db: SqliteDatabase) {
    this.readVersion = db.prepare<[], number>('PRAGMA data_version').pluck();
  }

  markWritten(): void {
    this.written = true;
  }

  /** True when there was a write (here or elsewhere) since the previous call returned. */
  changed(): boolean {
    const version = this.readVersion.get();
    const changed = this.written || version !== this.seen;
    this.seen = version;
    this.written = false;
    return changed;
  }
}
