import type { SqliteDatabase } from '../db/open-database.ts';
import { writeTransaction } from '../db/write-transaction.ts';
import { corpusKeyFromName } from './corpus-key.ts';

export interface Corpus {
  customerId: number;
  /** v1's numeric id, counted per account. */
  corpusId: number;
  /** v2's `corpus_key`, unique in the account. */
  key: string;
  name: string;
  description: string;
  enabled: boolean;
  createdAt: number;
  /** Companion mode: the corpus key on the upstream Vectara account; null = indexed here. */
  upstreamCorpusKey: string | null;
}

export interface NewCorpus {
  /** Made from the name and id when absent. */
  key?: string | undefined;
  name: string;
  description?: string | undefined;
  upstreamCorpusKey?: string | null | undefined;
}

interface CorpusRow {
  customer_id: number;
  corpus_id: number;
  corpus_key: string;
  name: string;
  description: string;
  enabled: number;
  created_at: number;
  upstream_corpus_key: string | null;
}

const fromRow = (row: CorpusRow): Corpus => ({
  customerId: row.customer_id,
  corpusId: row.corpus_id,
  key: row.corpus_key,
  name: row.name,
  description: row.description,
  enabled: row.enabled === 1,
  createdAt: row.created_at,
  upstreamCorpusKey: row.upstream_corpus_key,
});

/** Corpora per account. Ids are small integers counted per account, as Vectara's are. */
export class CorpusStore {
  readonly #db: SqliteDatabase;
  readonly #get;
  readonly #getByKey;
  readonly #list;
  readonly #nextId;
  readonly #insert;
  readonly #delete;

  constructor(db: SqliteDatabase) {
    this.#db = db;
    this.#get = db.prepare<[number, number], CorpusRow>(
      'SELECT * FROM corpora WHERE customer_id = ? AND corpus_id = ?',
    );
    this.#getByKey = db.prepare<[number, string], CorpusRow>(
      'SELECT * FROM corpora WHERE customer_id = ? AND corpus_key = ?',
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
      `INSERT INTO corpora (customer_id, corpus_id, corpus_key, name, description, enabled,
         created_at, upstream_corpus_key)
       VALUES (?, ?, ?, ?, ?, 1, ?, ?)`,
    );
    this.#delete = db.prepare('DELETE FROM corpora WHERE customer_id = ? AND corpus_id = ?');
  }

  get(customerId: number, corpusId: number): Corpus | null {
    const row = this.#get.get(customerId, corpusId);
    return row ? fromRow(row) : null;
  }

  getByKey(customerId: number, key: string): Corpus | null {
    const row = this.#getByKey.get(customerId, key);
    return row ? fromRow(row) : null;
  }

  list(customerId: number): Corpus[] {
    return this.#list.all(customerId).map(fromRow);
  }

  /** Creates a corpus, or returns null when its key is already taken in the account. */
  create(customerId: number, fields: NewCorpus): Corpus | null {
    return writeTransaction(this.#db, () => {
      if (fields.key !== undefined && this.#getByKey.get(customerId, fields.key)) return null;
      const id = this.#nextId.get(customerId)?.id;
      if (id === undefined) throw new Error('corpus id counter did not answer');
      const corpus: Corpus = {
        customerId,
        corpusId: id,
        key: fields.key ?? corpusKeyFromName(fields.name, id),
        name: fields.name,
        description: fields.description ?? '',
        enabled: true,
        createdAt: Date.now(),
        upstreamCorpusKey: fields.upstreamCorpusKey ?? null,
      };
      // A generated key can collide only with a key someone chose to look like one.
      if (fields.key === undefined && this.#getByKey.get(customerId, corpus.key)) {
        corpus.key = `${corpus.key}_${Date.now().toString(36)}`;
      }
      this.#insert.run(
        customerId,
        id,
        corpus.key,
        corpus.name,
        corpus.description,
        corpus.createdAt,
        corpus.upstreamCorpusKey,
      );
      return corpus;
    })();
  }

  /** Removes the corpus row; its documents are removed by the caller in the same transaction. */
  delete(customerId: number, corpusId: number): boolean {
    return this.#delete.run(customerId, corpusId).changes > 0;
  }
}
