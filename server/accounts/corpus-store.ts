import type { SqliteDatabase } from '../db/open-database.ts';
import { writeTransaction } from '../db/write-transaction.ts';

export interface Corpus {
  customerId: number;
  corpusId: number;
  name: string;
  description: string;
  enabled: boolean;
  createdAt: number;
}

interface CorpusRow {
  customer_id: number;
  corpus_id: number;
  name: string;
  description: string;
  enabled: number;
  created_at: number;
}

const fromRow = (row: CorpusRow): Corpus => ({
  customerId: row.customer_id,
  corpusId: row.corpus_id,
  name: row.name,
  description: row.description,
  enabled: row.enabled === 1,
  createdAt: row.created_at,
});

/** Corpora per account. Ids are small integers counted per account, as Vectara's are. */
export class CorpusStore {
  readonly #db: SqliteDatabase;
  readonly #get;
  readonly #list;
  readonly #nextId;
  readonly #insert;
  readonly #delete;

  constructor(db: SqliteDatabase) {
    this.#db = db;
    this.#get = db.prepare<[number, number], CorpusRow>(
      'SELECT * FROM corpora WHERE customer_id = ? AND corpus_id = ?',
    );
    this.#list = db.prepare<[number], CorpusRow>(
      'SELECT * FROM corpora WHERE customer_id = ? ORDER BY corpus_id',
    );
    // A deleted corpus's id is never handed out again, so old keys cannot reach new content.
    this.#nextId = db.prepare<[number], { id: number }>(
      `INSERT INTO corpus_counters (customer_id, last_corpus_id) VALUES (?, 1)
       ON CONFLICT (customer_id) DO UPDATE SET last_corpus_id = last_corpus_id + 1
       RETURNING last_corpus_id AS id`,
    );
    this.#insert = db.prepare(
      'INSERT INTO corpora (customer_id, corpus_id, name, description, enabled, created_at) VALUES (?, ?, ?, ?, 1, ?)',
    );
    this.#delete = db.prepare('DELETE FROM corpora WHERE customer_id = ? AND corpus_id = ?');
  }

  get(customerId: number, corpusId: number): Corpus | null {
    const row = this.#get.get(customerId, corpusId);
    return row ? fromRow(row) : null;
  }

  list(customerId: number): Corpus[] {
    return this.#list.all(customerId).map(fromRow);
  }

  create(customerId: number, fields: { name: string; description?: string }): Corpus {
    return writeTransaction(this.#db, () => {
      const id = this.#nextId.get(customerId)?.id;
      if (id === undefined) throw new Error('corpus id counter did not answer');
      const createdAt = Date.now();
      this.#insert.run(customerId, id, fields.name, fields.description ?? '', createdAt);
      return {
        customerId,
        corpusId: id,
        name: fields.name,
        description: fields.description ?? '',
        enabled: true,
        createdAt,
      };
    })();
  }

  /** Removes the corpus row; its documents are removed by the caller in the same transaction. */
  delete(customerId: number, corpusId: number): boolean {
    return this.#delete.run(customerId, corpusId).changes > 0;
  }
}
