import type { SqliteDatabase } from './open-database.ts';
import { writeTransaction } from './write-transaction.ts';

/**
 * Ordered schema migrations, one list per component (accounts, corpora, keys, search), so each
 * part of the house owns its tables. Version 1 of every list is the schema as the first release
 * wrote it, with `IF NOT EXISTS`: a database from before versions were recorded is adopted as is.
 */
export interface Migration {
  version: number;
  description: string;
  up(db: SqliteDatabase): void;
}

export interface SchemaComponent {
  name: string;
  migrations: readonly Migration[];
}

export class SchemaVersionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SchemaVersionError';
  }
}

/** Applies every pending migration of every component, each component in its own transaction. */
export function migrate(db: SqliteDatabase, components: readonly SchemaComponent[]): void {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_versions (
    component TEXT PRIMARY KEY,
    version INTEGER NOT NULL,
    migrated_at INTEGER NOT NULL
  )`);
  const current = db.prepare<[string], { version: number }>(
    'SELECT version FROM schema_versions WHERE component = ?',
  );
  const record = db.prepare(
    `INSERT INTO schema_versions (component, version, migrated_at) VALUES (?, ?, ?)
     ON CONFLICT (component) DO UPDATE SET version = excluded.version, migrated_at = excluded.migrated_at`,
  );
  for (const component of components) {
    checkOrder(component);
    const latest = component.migrations.at(-1)?.version ?? 0;
    // Immediate: two instances starting on one data folder apply each migration exactly once.
    writeTransaction(db, () => {
      const from = current.get(component.name)?.version ?? 0;
      if (from > latest) {
        throw new SchemaVersionError(
          `The database was written by a newer Searchgate (${component.name} schema ${from}, this release knows ${latest}); upgrade Searchgate or restore a backup.`,
        );
      }
      for (const migration of component.migrations) {
        if (migration.version > from) migration.up(db);
      }
      if (latest > from) record.run(component.name, latest, Date.now());
    })();
  }
}

/** Versions are 1, 2, 3, … with no gap: a typo in a version must fail every test, not a deploy. */
function checkOrder(component: SchemaComponent): void {
  component.migrations.forEach((migration, i) => {
    if (migration.version !== i + 1) {
      throw new Error(
        `${component.name} migrations must be numbered 1, 2, 3…: found ${migration.version} at position ${i + 1}`,
      );
    }
  });
}

/** The versions recorded in a database, for tests and `searchgate` diagnostics. */
export function schemaVersions(db: SqliteDatabase): Record<string, number> {
  const rows = db
    .prepare<[], { component: string; version: number }>(
      'SELECT component, version FROM schema_versions ORDER BY component',
    )
    .all();
  return Object.fromEntries(rows.map((row) => [row.component, row.version]));
}
