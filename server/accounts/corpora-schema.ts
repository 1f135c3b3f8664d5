import type { SchemaComponent } from '../db/migrations.ts';

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
  ],
};
