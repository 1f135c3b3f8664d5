import type { SchemaComponent } from '../db/migrations.ts';

/** The embedded key store's tables (used when REDIS_URL is not set). */
export const sqliteKeySchema: SchemaComponent = {
  name: 'keys',
  migrations: [
    {
      version: 1,
      description: 'API keys, their secret hashes, usage counters and the audit log',
      up: (db) =>
        db.exec(`
  CREATE TABLE IF NOT EXISTS api_keys (
    id TEXT PRIMARY KEY,
    customer_id INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    record TEXT NOT NULL
  );
  CREATE INDEX IF NOT EXISTS api_keys_by_customer ON api_keys (customer_id, created_at);
  CREATE TABLE IF NOT EXISTS api_key_secrets (
    hash TEXT PRIMARY KEY,
    key_id TEXT NOT NULL REFERENCES api_keys (id) ON DELETE CASCADE,
    valid_until INTEGER
  );
  CREATE INDEX IF NOT EXISTS api_key_secrets_by_key ON api_key_secrets (key_id);
  CREATE TABLE IF NOT EXISTS key_usage (
    key_id TEXT NOT NULL,
    day TEXT NOT NULL,
    outcome TEXT NOT NULL,
    count INTEGER NOT NULL,
    last_used_at INTEGER NOT NULL,
    PRIMARY KEY (key_id, day, outcome)
  );
  CREATE TABLE IF NOT EXISTS audit_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    customer_id INTEGER NOT NULL,
    at INTEGER NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    key_id TEXT NOT NULL,
    details TEXT NOT NULL
  );
  CREATE INDEX IF NOT EXISTS audit_log_by_customer ON audit_log (customer_id, id);
      `),
    },
  ],
};
