import { mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { databaseSchema } from '../../../server/db/database-schema.ts';
import { migrate, type SchemaComponent, schemaVersions } from '../../../server/db/migrations.ts';
import { databaseFileName, openDatabase } from '../../../server/db/open-database.ts';

const folders: string[] = [];
const tempFolder = () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sg-migrations-'));
  folders.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of folders.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const notes = (applied: string[]): SchemaComponent => ({
  name: 'notes',
  migrations: [
    {
      version: 1,
      description: 'notes table',
      up: (db) => {
        applied.push('1');
        db.exec('CREATE TABLE IF NOT EXISTS notes (id INTEGER PRIMARY KEY, text TEXT NOT NULL)');
      },
    },
    {
      version: 2,
      description: 'notes get a title',
      up: (db) => {
        applied.push('2');
        db.exec("ALTER TABLE notes ADD COLUMN title TEXT NOT NULL DEFAULT ''");
      },
    },
  ],
});

describe('schema migrations', () => {
  it('applies pending migrations once, in order, and records the version', () => {
    const db = new Database(':memory:');
    const applied: string[] = [];
    migrate(db, [notes(applied)]);
    migrate(db, [notes(applied)]);
    expect(applied).toEqual(['1', '2']);
    expect(schemaVersions(db)).toEqual({ notes: 2 });
    db.prepare("INSERT INTO notes (text, title) VALUES ('a', 'b')").run();
  });

  it('adopts tables written before versions were recorded (version 1 is IF NOT EXISTS)', () => {
    const db = new Database(':memory:');
    db.exec('CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT NOT NULL)');
    db.prepare("INSERT INTO notes (text) VALUES ('kept')").run();
    migrate(db, [notes([])]);
    expect(db.prepare('SELECT text, title FROM notes').all()).toEqual([
      { text: 'kept', title: '' },
    ]);
  });

  it('refuses a database written by a newer release, and changes nothing', () => {
    const db = new Database(':memory:');
    migrate(db, [notes([])]);
    const older: SchemaComponent = { name: 'notes', migrations: notes([]).migrations.slice(0, 1) };
    expect(() => migrate(db, [older])).toThrow(
      /newer Searchgate \(notes schema 2, this release knows 1\)/,
    );
    expect(schemaVersions(db)).toEqual({ notes: 2 });
  });

  it('rolls a failed migration back whole', () => {
    const db = new Database(':memory:');
    const broken: SchemaComponent = {
      name: 'notes',
      migrations: [
        ...notes([]).migrations,
        {
          version: 3,
          description: 'fails half way',
          up: (d) => {
            d.exec('CREATE TABLE half (id INTEGER)');
            throw new Error('boom');
          },
        },
      ],
    };
    expect(() => migrate(db, [broken])).toThrow('boom');
    expect(schemaVersions(db)).toEqual({});
    expect(
      db.prepare("SELECT name FROM sqlite_master WHERE name IN ('notes', 'half')").all(),
    ).toEqual([]);
  });

  it('rejects a list whose versions are not 1, 2, 3…', () => {
    const db = new Database(':memory:');
    const gap: SchemaComponent = {
      name: 'gap',
      migrations: [{ version: 2, description: 'no first', up: () => {} }],
    };
    expect(() => migrate(db, [gap])).toThrow(/numbered 1, 2, 3/);
  });

  it('every component of the real schema is numbered from 1 without gaps', () => {
    for (const component of databaseSchema) {
      expect(component.migrations.map((m) => m.version)).toEqual(
        component.migrations.map((_, i) => i + 1),
      );
    }
  });

  it('opens a data folder private to the server user, and records every component', () => {
    const dir = path.join(tempFolder(), 'data');
    const db = openDatabase(dir);
    db.exec('CREATE TABLE IF NOT EXISTS probe (id INTEGER)');
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    for (const suffix of ['', '-wal', '-shm']) {
      expect(statSync(path.join(dir, databaseFileName + suffix)).mode & 0o777).toBe(0o600);
    }
    expect(Object.keys(schemaVersions(db)).sort()).toEqual(
      databaseSchema.map((c) => c.name).sort(),
    );
    db.close();
  });

  it('two processes opening one new data folder at once both end up migrated', () => {
    const dir = tempFolder();
    const first = openDatabase(dir);
    const second = openDatabase(dir);
    expect(schemaVersions(second)).toEqual(schemaVersions(first));
    first.close();
    second.close();
  });
});
