import type { SchemaComponent } from '../db/migrations.ts';

/** Accounts and the hashes of their admin tokens. */
export const accountsSchema: SchemaComponent = {
  name: 'accounts',
  migrations: [
    {
      version: 1,
      description: 'accounts with admin token hashes',
      up: (db) =>
        db.exec(`CREATE TABLE IF NOT EXISTS accounts (
          customer_id INTEGER PRIMARY KEY,
          admin_token_hash TEXT NOT NULL UNIQUE,
          created_at INTEGER NOT NULL
        )`),
    },
  ],
};
