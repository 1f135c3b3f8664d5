import type { SchemaComponent } from '../db/migrations.ts';
import type { SqliteDatabase } from '../db/open-database.ts';
import { corpusKeyFromName } from './corpus-key.ts';

/** Corpora per account, and the per-account counter that never hands out an id twice. */
export const corporaSchema: SchemaComponent = {
  name: 'corpora',
  migrations: [
    {
      version: 1,
      description: 'corpora with numeric ids per account',
      up: (db) =>
        db.exec(`CREATE TABLE IF NOT EXISTS corpora (
          customer_id INTEGER NOT NULL,
          corpus_id INTEGER NOT NULL,
          name TEXT NOT NULL,
          description TEXT NOT NULL DEFAULT '',
          enabled INTEGER NOT NULL DEFAULT 1,
          created_at INTEGER NOT NULL,
          PRIMARY KEY (customer_id, corpus_id)
        );
        CREATE TABLE IF NOT EXISTS corpus_counters (
          customer_id INTEGER PRIMARY KEY,
          last_corpus_id INTEGER NOT NULL
        )`),
    },
    {
      version: 2,
      description:
        'corpora get a key (v2 corpus_key), unique per account; existing ones <slug>_<id>',
      up: addCorpusKeys,
    },
    {
      version: 3,
      description: 'a corpus may be linked to a corpus on the upstream Vectara account',
      up: (db) => db.exec('ALTER TABLE corpora ADD COLUMN upstream_corpus_key TEXT'),
    },
  ],
};

function addCorpusKeys(db: SqliteDatabase): void {
  db.exec('ALTER TABLE corpora ADD COLUMN corpus_key TEXT');
  const rows = db
    .prepare<[], { customer_id: number; corpus_id: number; name: string }>(
      'SELECT customer_id, corpus_id, name FROM corpora',
    )
    .all();
  const setKey = db.prepare(
    'UPDATE corpora SET corpus_key = ? WHERE customer_id = ? AND corpus_id = ?',
  );
  // The id makes each key unique in its account, whatever the names.
  for (const row of rows)
    setKey.run(corpusKeyFromName(row.name, row.corpus_id), row.customer_id, row.corpus_id);
  db.exec('CREATE UNIQUE INDEX corpora_by_key ON corpora (customer_id, corpus_key)');
}
