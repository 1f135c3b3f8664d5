import type { SqliteDatabase } from '../db/open-database.ts';
import { writeTransaction } from '../db/write-transaction.ts';
import { KeyStoreUnavailableError } from '../errors.ts';
import { utcDay } from '../limits/utc-day.ts';
import { addedSecretHashes, describeChange, KeyChangeListeners } from './key-change-listeners.ts';
import { parseAuditDetails, parseKeyRecord } from './key-record-schema.ts';
import { secretIsLive, usageFromCounts } from './key-settings.ts';
import type {
  ApiKeyRecord,
  AppliedChange,
  AuditEntry,
  KeyChangeFunction,
  KeyChangeListener,
  KeyOutcome,
  KeySecret,
  KeyStore,
  KeyUsage,
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
  readonly #changes = new KeyChangeListeners();

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

  #insertSecrets(id: string, secrets: KeySecret[]): void {
    for (const secret of secrets) {
      this.#statements.insertSecret.run(secret.hash, id, secret.validUntil);
    }
  }

  #getRecord(customerId: number, id: string): ApiKeyRecord | null {
    const row = this.#statements.getKey.get(id, customerId);
    return row ? parseKeyRecord(row.record) : null;
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
    this.#changes.emit({ keyId: record.id, newSecretHashes: addedSecretHashes(null, record) });
  }

  findBySecretHash(hash: string): Promise<ApiKeyRecord | null> {
    return this.#run(() => {
      const now = Date.now();
      const row = this.#statements.findBySecret.get(hash, now);
      if (!row) return null;
      const record = parseKeyRecord(row.record);
      return secretIsLive(record, hash, now) ? record : null;
    });
  }

  get(customerId: number, id: string): Promise<ApiKeyRecord | null> {
    return this.#run(() => this.#getRecord(customerId, id));
  }

  list(customerId: number): Promise<ApiKeyRecord[]> {
    return this.#run(() =>
      this.#statements.listKeys.all(customerId).map((row) => parseKeyRecord(row.record)),
    );
  }

  async change(
    customerId: number,
    id: string,
    change: KeyChangeFunction,
  ): Promise<AppliedChange | null> {
    const applied = await this.#run(
      writeTransaction(this.#db, (): AppliedChange | null => {
        const before = this.#getRecord(customerId, id);
        if (!before) return null;
        const after = change(before);
        if (after === null) {
          // Secrets go with the key (ON DELETE CASCADE); usage has no foreign key because
          // counting must never fail a request, so it is removed here.
          this.#statements.deleteKey.run(id, customerId);
          this.#statements.deleteUsage.run(id);
          return { before, after };
        }
        this.#statements.updateKey.run(JSON.stringify(after), id);
        if (after.secrets !== before.secrets) {
          this.#statements.deleteSecrets.run(id);
          this.#insertSecrets(id, after.secrets);
        }
        return { before, after };
      }),
    );
    if (applied) this.#changes.emit(describeChange(id, applied));
    return applied;
  }

  async recordUsage(id: string, outcome: KeyOutcome, at: number, count: number): Promise<void> {
    await this.#run(() => this.#statements.countUsage.run(id, utcDay(at), outcome, count, at));
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
        details: parseAuditDetails(row.details),
      })),
    );
  }

  onChange(listener: KeyChangeListener): () => void {
    return this.#changes.add(listener);
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
    this.#changes.clear();
  }
}
