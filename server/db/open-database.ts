import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';

export type SqliteDatabase = Database.Database;

export const databaseFileName = 'searchgate.db';

/**
 * Opens (creating if needed) the one SQLite file under the data folder.
 * WAL lets several server processes on one machine share it, and with
 * synchronous=NORMAL a crash loses at most the last transactions, never consistency.
 */
export function openDatabase(dataDir: string): SqliteDatabase {
  let db: SqliteDatabase;
  try {
    mkdirSync(dataDir, { recursive: true });
    db = new Database(path.join(dataDir, databaseFileName));
    db.pragma('journal_mode = WAL');
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new Error(
      `DATA_DIR ${dataDir} cannot be used: it must be a writable folder (${reason})`,
      {
        cause: err,
      },
    );
  }
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  // Other instances may hold the write lock briefly; wait rather than fail.
  db.pragma('busy_timeout = 5000');
  return db;
}
