import type { SqliteDatabase } from '../db/open-database.ts';
import { writeTransaction } from '../db/write-transaction.ts';
import { KeyStoreUnavailableError } from '../errors.ts';
import { utcDay } from '../limits/utc-day.ts';
import { applySettings, secretIsLive, usageFromCounts } from './key-settings.ts';
import type {
  ApiKeyRecord,
  AuditEntry,
  KeyOutcome,
  KeySecret,
  KeySettings,
  KeyStore,
  KeyUsage,
  SecretsChange,
} from './key-store.ts';

interface RecordRow {
  record: string;
}

/**
 * The embedded key store: tables in the same SQLite file as the search index, so `npm start`
 * needs nothing else. The record is kept as JSON (read whole, never queried by field); secrets
 * get their own table because they are looked up on every request.
 */
export class SqliteKeyStore implements KeyStore {
  readonly #db: SqliteDatabase;
  readonly #listeners = new Set<(keyId: string | null) => void>();
  /** Usage writes that failed; they never fail the request. */
  usageWriteFailures = 0;

  readonly #statements;

  constructor(db: SqliteDatabase) {
    this.#db = db;
    this.#statements = {
      insertKey: db.prepare(
        'INSERT INTO api_keys (id, customer_id, created_at, record) VALUES (?, ?, ?, ?)',
      ),
      updateKey: db.prepare('UPDATE api_keys SET record = ? WHERE id = ?'),
      deleteKey: db.prepare('DELETE FROM api_keys WHERE id = ? AND customer_id = ?'),
      getKey: db.prepare<[string, number], RecordRow>(
        'SELECT record FROM api_keys WHERE id = ? AND customer_id = ?',
      ),
      listKeys: db.prepare<[number], RecordRow>(
        'SELECT record FROM api_keys WHERE customer_id = ? ORDER BY created_at, rowid',
      ),
      findBySecret: db.prepare<[string, number], RecordRow>(
        `SELECT k.record FROM api_key_secrets s JOIN api_keys k ON k.id = s.key_id
         WHERE s.hash = ? AND (s.valid_until IS NULL OR s.valid_until > ?)`,
      ),
      insertSecret: db.prepare(
        'INSERT INTO api_key_secrets (hash, key_id, valid_until) VALUES (?, ?, ?)',
      ),
      deleteSecrets: db.prepare('DELETE FROM api_key_secrets WHERE key_id = ?'),
      countUsage: db.prepare(
        `INSERT INTO key_usage (key_id, day, outcome, count, last_used_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (key_id, day, outcome) DO UPDATE SET count = count + excluded.count,
           last_used_at = max(last_used_at, excluded.last_used_at)`,
      ),
      usageToday: db.prepare<[string, string], { outcome: string; count: number }>(
        'SELECT outcome, count FROM key_usage WHERE key_id = ? AND day = ?',
      ),
      lastUsed: db.prepare<[string], { at: number | null }>(
        'SELECT max(last_used_at) AS at FROM key_usage WHERE key_id = ?',
      ),
      deleteUsage: db.prepare('DELETE FROM key_usage WHERE key_id = ?'),
      insertAudit: db.prepare(
        `INSERT INTO audit_log (customer_id, at, actor, action, key_id, details)
         VALUES (?, ?, ?, ?, ?, ?)`,
      ),
      listAudit: db.prepare<
        [number, number],
        { at: number; actor: string; action: AuditEntry['action']; key_id: string; details: string }
      >(
        `SELECT at, actor, action, key_id, details FROM audit_log WHERE customer_id = ?
         ORDER BY id DESC LIMIT ?`,
      ),
    };
  }

  /** SQLite errors (disk full, locked past busy_timeout) are infrastructure: fail closed. */
  #run<T>(work: () => T): Promise<T> {
    try {
      return Promise.resolve(work());
    } catch (error) {
      return Promise.reject(new KeyStoreUnavailableError(error));
    }
  }

  #notify(keyId: string | null): void {
    for (const listener of this.#listeners) {
      try {
        listener(keyId);
      } catch {
        // One faulty listener must not keep the others from dropping stale state.
      }
    }
  }

  #insertSecrets(id: string, secrets: KeySecret[]): void {
    for (const secret of secrets) {
      this.#statements.insertSecret.run(secret.hash, id, secret.validUntil);
    }
  }

  #getRecord(customerId: number, id: string): ApiKeyRecord | null {
    const row = this.#statements.getKey.get(id, customerId);
    return row ? (JSON.parse(row.record) as ApiKeyRecord) : null;
  }

  async create(record: ApiKeyRecord): Promise<void> {
    await this.#run(
      writeTransaction(this.#db, () => {
        this.#statements.insertKey.run(
          record.id,
          record.customerId,
          record.createdAt,
          JSON.stringify(record),
        );
        this.#insertSecrets(record.id, record.secrets);
      }),
    );
    this.#notify(record.id);
  }

  findBySecretHash(hash: string): Promise<ApiKeyRecord | null> {
    return this.#run(() => {
      const now = Date.now();
      const row = this.#statements.findBySecret.get(hash, now);
      if (!row) return null;
      const record = JSON.parse(row.record) as ApiKeyRecord;
      return secretIsLive(record, hash, now) ? record : null;
    });
  }

  get(customerId: number, id: string): Promise<ApiKeyRecord | null> {
    return this.#run(() => this.#getRecord(customerId, id));
  }

  list(customerId: number): Promise<ApiKeyRecord[]> {
    return this.#run(() =>
      this.#statements.listKeys
        .all(customerId)
        .map((row) => JSON.parse(row.record) as ApiKeyRecord),
    );
  }

  #change(
    customerId: number,
    id: string,
    apply: (record: ApiKeyRecord) => ApiKeyRecord,
  ): Promise<ApiKeyRecord | null> {
    const updated = this.#run(
      writeTransaction(this.#db, () => {
        const current = this.#getRecord(customerId, id);
        if (!current) return null;
        const next = apply(current);
        this.#statements.updateKey.run(JSON.stringify(next), id);
        if (next.secrets !== current.secrets) {
          this.#statements.deleteSecrets.run(id);
          this.#insertSecrets(id, next.secrets);
        }
        return next;
      }),
    );
    return updated.then((record) => {
      if (record) this.#notify(id);
      return record;
    });
  }

  update(customerId: number, id: string, settings: KeySettings): Promise<ApiKeyRecord | null> {
    return this.#change(customerId, id, (record) => applySettings(record, settings));
  }

  replaceSecrets(
    customerId: number,
    id: string,
    secrets: SecretsChange,
  ): Promise<ApiKeyRecord | null> {
    return this.#change(customerId, id, (record) => ({
      ...record,
      secrets: (typeof secrets === 'function' ? secrets(record) : secrets).map((s) => ({ ...s })),
    }));
  }

  async delete(customerId: number, id: string): Promise<boolean> {
    const deleted = await this.#run(
      writeTransaction(this.#db, () => {
        // Secrets go with the key (ON DELETE CASCADE); usage has no foreign key because
        // counting must never fail a request, so it is removed here.
        const { changes } = this.#statements.deleteKey.run(id, customerId);
        if (changes > 0) this.#statements.deleteUsage.run(id);
        return changes > 0;
      }),
    );
    if (deleted) this.#notify(id);
    return deleted;
  }

  async recordUsage(id: string, outcome: KeyOutcome, at: number, count = 1): Promise<void> {
    try {
      this.#statements.countUsage.run(id, utcDay(at), outcome, count, at);
    } catch {
      this.usageWriteFailures++;
    }
  }

  usage(ids: string[], now: number): Promise<Map<string, KeyUsage>> {
    return this.#run(() => {
      const day = utcDay(now);
      const result = new Map<string, KeyUsage>();
      for (const id of ids) {
        const counts = this.#statements.usageToday.all(id, day);
        const lastUsedAt = this.#statements.lastUsed.get(id)?.at ?? null;
        result.set(
          id,
          usageFromCounts(
            counts.map((c) => [c.outcome, c.count]),
            lastUsedAt,
          ),
        );
      }
      return result;
    });
  }

  async appendAudit(entry: AuditEntry): Promise<void> {
    await this.#run(() =>
      this.#statements.insertAudit.run(
        entry.customerId,
        entry.at,
        entry.actor,
        entry.action,
        entry.keyId,
        JSON.stringify(entry.details),
      ),
    );
  }

  listAudit(customerId: number, limit: number): Promise<AuditEntry[]> {
    return this.#run(() =>
      this.#statements.listAudit.all(customerId, limit).map((row) => ({
        at: row.at,
        customerId,
        actor: row.actor,
        action: row.action,
        keyId: row.key_id,
        details: JSON.parse(row.details) as Record<string, unknown>,
      })),
    );
  }

  onChange(listener: (keyId: string | null) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  async ping(): Promise<boolean> {
    try {
      this.#db.prepare('SELECT 1').get();
      return true;
    } catch {
      return false;
    }
  }

  /** The database is shared with the search engine; whoever opened it closes it. */
  async close(): Promise<void> {
    this.#listeners.clear();
  }
}
