import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { databaseSchema } from './database-schema.ts';
import { migrate } from './migrations.ts';

export type SqliteDatabase = Database.Database;

export const databaseFileName = 'searchgate.db';

/**
 * The database holds key hashes, the audit log and all indexed content: only the server's user
 * may read it. SQLite gives its -wal and -shm files the database file's permissions.
 */
const privateFolderMode = 0o700;
const privateFileMode = 0o600;

/**
 * Opens (creating if needed) the one SQLite file under the data folder and brings its schema up
 * to date. WAL lets several server processes on one machine share it, and with
 * synchronous=NORMAL a crash loses at most the last transactions, never consistency.
 */
export function openDatabase(dataDir: string): SqliteDatabase {
  let db: SqliteDatabase;
  const file = path.join(dataDir, databaseFileName);
  try {
    if (!existsSync(dataDir)) {
      mkdirSync(dataDir, { recursive: true, mode: privateFolderMode });
      // mkdir's mode is masked by the umask; a 0700 folder must be 0700 whatever the umask.
      chmodSync(dataDir, privateFolderMode);
    }
    closeSync(openSync(file, 'a', privateFileMode));
    // A database created by an earlier release (or copied in) is tightened too.
    for (const suffix of ['', '-wal', '-shm']) {
      if (existsSync(file + suffix)) chmodSync(file + suffix, privateFileMode);
    }
    db = new Database(file);
    db.pragma('journal_mode = WAL');
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new Error(
      `DATA_DIR ${dataDir} cannot be used: it must be a writable folder (${reason})`,
      { cause: err },
    );
  }
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  // Other instances may hold the write lock briefly; wait rather than fail.
  db.pragma('busy_timeout = 5000');
  try {
    migrate(db, databaseSchema);
  } catch (err) {
    db.close();
    throw err;
  }
  return db;
}
