import { randomInt } from 'node:crypto';
import type { SqliteDatabase } from '../db/open-database.ts';
import { writeTransaction } from '../db/write-transaction.ts';
import { generateSecret, hashSecret } from '../keys/key-format.ts';

export interface Account {
  customerId: number;
  createdAt: number;
}

/** Accounts and their admin tokens. Tokens are stored only as SHA-256 hashes. */
export class AccountStore {
  readonly #db: SqliteDatabase;
  readonly #byTokenHash;
  readonly #byId;
  readonly #insert;
  readonly #setToken;
  readonly #first;

  constructor(db: SqliteDatabase) {
    this.#db = db;
    this.#byTokenHash = db.prepare<[string], { customer_id: number }>(
      'SELECT customer_id FROM accounts WHERE admin_token_hash = ?',
    );
    this.#byId = db.prepare<[number], { customer_id: number; created_at: number }>(
      'SELECT customer_id, created_at FROM accounts WHERE customer_id = ?',
    );
    this.#insert = db.prepare(
      'INSERT INTO accounts (customer_id, admin_token_hash, created_at) VALUES (?, ?, ?)',
    );
    this.#setToken = db.prepare('UPDATE accounts SET admin_token_hash = ? WHERE customer_id = ?');
    this.#first = db.prepare<[], { customer_id: number; created_at: number }>(
      'SELECT customer_id, created_at FROM accounts ORDER BY created_at, customer_id LIMIT 1',
    );
  }

  /** The account an admin token belongs to, or null. */
  findByToken(token: string): number | null {
    return this.#byTokenHash.get(hashSecret(token))?.customer_id ?? null;
  }

  get(customerId: number): Account | null {
    const row = this.#byId.get(customerId);
    return row ? { customerId: row.customer_id, createdAt: row.created_at } : null;
  }

  first(): Account | null {
    const row = this.#first.get();
    return row ? { customerId: row.customer_id, createdAt: row.created_at } : null;
  }

  /** Creates an account; returns its admin token, the only time it is ever available. */
  create(options: { customerId?: number; adminToken?: string } = {}): {
    customerId: number;
    adminToken: string;
  } {
    const adminToken = options.adminToken ?? generateSecret('admin');
    const customerId = options.customerId ?? this.#freeCustomerId();
    this.#insert.run(customerId, hashSecret(adminToken), Date.now());
    return { customerId, adminToken };
  }

  /** Replaces an account's admin token (ADMIN_TOKEN set for an automated deployment). */
  setAdminToken(customerId: number, adminToken: string): void {
    this.#setToken.run(hashSecret(adminToken), customerId);
  }

  /**
   * Makes sure the first account exists. Returns the admin token when this call created it
   * (so it can be shown once), or null when the account already existed.
   */
  ensureFirstAccount(options: { customerId?: number; adminToken?: string }): {
    customerId: number;
    adminToken: string | null;
  } {
    return writeTransaction(this.#db, () => {
      const existing = this.first();
      if (existing) {
        if (options.adminToken) this.setAdminToken(existing.customerId, options.adminToken);
        return { customerId: existing.customerId, adminToken: null };
      }
      return this.create(options);
    })();
  }

  #freeCustomerId(): number {
    // Vectara customer ids are 10-digit numbers; random ones do not reveal how many accounts exist.
    for (;;) {
      const id = randomInt(1_000_000_000, 9_999_999_999);
      if (!this.#byId.get(id)) return id;
    }
  }
}
