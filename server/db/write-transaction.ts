import type { SqliteDatabase } from './open-database.ts';

/**
 * A transaction that takes the write lock when it begins (`BEGIN IMMEDIATE`). A deferred
 * transaction that reads first and writes later cannot wait for another process's lock: SQLite
 * answers SQLITE_BUSY at once instead of honouring busy_timeout. Every writer uses this.
 */
export function writeTransaction<Args extends unknown[], Result>(
  db: SqliteDatabase,
  work: (...args: Args) => Result,
): (...args: Args) => Result {
  const transaction = db.transaction(work);
  return (...args: Args) => transaction.immediate(...args);
}
