import { ApiError } from '../errors.ts';
import { generateKeyId, generateSecret, hashSecret, isKeyId, parseSecret } from './key-format.ts';
import { applySettings } from './key-settings.ts';
import {
  type ApiKeyRecord,
  type AuditEntry,
  defaultKeyLimits,
  type KeyChangeFunction,
  type KeyLimits,
  type KeySettings,
  type KeyStore,
  type KeyType,
  type KeyUsage,
} from './key-store.ts';
import type { UsageBuffer } from './usage-buffer.ts';

export interface CreateKeyInput {
  description: string;
  type: KeyType;
  corpusIds: number[];
  expiresAt?: number | null;
  allowedOrigins?: string[];
  limits?: Partial<KeyLimits>;
}

/** Who performs an owner action, for the audit log. */
export interface Actor {
  customerId: number;
  actor: string;
}

/**
 * The owner's operations on keys. Every change is one compare-and-set in the store (which tells
 * every instance's verifier, this one's before the call returns) and one audit entry.
 */
export class KeyService {
  readonly #store: KeyStore;
  readonly #usage: UsageBuffer;
  readonly #now: () => number;

  constructor(store: KeyStore, usage: UsageBuffer, now: () => number = Date.now) {
    this.#store = store;
    this.#usage = usage;
    this.#now = now;
  }

  /** Creates a key; the returned secret is shown once and never stored. */
  async create(by: Actor, input: CreateKeyInput): Promise<{ key: ApiKeyRecord; secret: string }> {
    const secret = generateSecret(input.type);
    const key: ApiKeyRecord = {
      id: generateKeyId(),
      customerId: by.customerId,
      description: input.description,
      type: input.type,
      corpusIds: [...new Set(input.corpusIds)],
      enabled: true,
      createdAt: this.#now(),
      expiresAt: input.expiresAt ?? null,
      allowedOrigins: input.allowedOrigins ?? [],
      limits: { ...defaultKeyLimits, ...input.limits },
      secrets: [{ hash: hashSecret(secret), validUntil: null }],
    };
    await this.#store.create(key);
    await this.#audit(by, 'create', key.id, {
      type: key.type,
      corpusIds: key.corpusIds,
      description: key.description,
    });
    return { key, secret };
  }

  /** Finds a key by its public id, or by its secret (Vectara clients pass the key itself). */
  async resolve(customerId: number, idOrSecret: string): Promise<ApiKeyRecord> {
    const key = isKeyId(idOrSecret)
      ? await this.#store.get(customerId, idOrSecret)
      : await this.#findBySecret(customerId, idOrSecret);
    if (!key) throw keyNotFound(idOrSecret);
    return key;
  }

  async setEnabled(by: Actor, idOrSecret: string, enabled: boolean): Promise<ApiKeyRecord> {
    const updated = await this.#change(by.customerId, idOrSecret, (current) =>
      applySettings(current, { enabled }),
    );
    await this.#audit(by, enabled ? 'enable' : 'disable', updated.id, {});
    return updated;
  }

  async update(by: Actor, idOrSecret: string, settings: KeySettings): Promise<ApiKeyRecord> {
    // Partial limits merge with the key as it is when the change applies, not as read before.
    const updated = await this.#change(by.customerId, idOrSecret, (current) =>
      applySettings(current, settings),
    );
    await this.#audit(by, 'update', updated.id, { ...settings });
    return updated;
  }

  /**
   * Issues a new secret with the same settings. The old secret keeps working for
   * `graceSeconds` (0 = refused at once), so a leaked key is replaced without downtime.
   */
  async rotate(
    by: Actor,
    idOrSecret: string,
    graceSeconds: number,
  ): Promise<{ key: ApiKeyRecord; secret: string }> {
    const now = this.#now();
    const graceUntil = now + graceSeconds * 1000;
    let secret = '';
    // Computed from the key as it is when the store applies the change: a concurrent rotation
    // (say, a grace-0 rotation to kill a leaked secret) is built on, never undone.
    const updated = await this.#change(by.customerId, idOrSecret, (current) => {
      secret = generateSecret(current.type);
      return {
        ...current,
        secrets: [
          { hash: hashSecret(secret), validUntil: null },
          ...current.secrets
            .filter((s) => s.validUntil === null || s.validUntil > now)
            .map((s) => ({
              hash: s.hash,
              validUntil: s.validUntil === null ? graceUntil : Math.min(s.validUntil, graceUntil),
            }))
            .filter((s) => s.validUntil > now),
        ],
      };
    });
    await this.#audit(by, 'rotate', updated.id, { graceSeconds });
    return { key: updated, secret };
  }

  async delete(by: Actor, idOrSecret: string): Promise<void> {
    const id = await this.#idOf(by.customerId, idOrSecret);
    const applied = await this.#store.change(by.customerId, id, () => null);
    if (!applied) throw keyNotFound(idOrSecret);
    await this.#audit(by, 'delete', id, { description: applied.before.description });
  }

  list(customerId: number): Promise<ApiKeyRecord[]> {
    return this.#store.list(customerId);
  }

  /** Usage counters, including this instance's requests not yet written in a batch. */
  async usage(keyIds: string[]): Promise<Map<string, KeyUsage>> {
    await this.#usage.flush();
    return this.#store.usage(keyIds, this.#now());
  }

  audit(customerId: number, limit: number): Promise<AuditEntry[]> {
    return this.#store.listAudit(customerId, limit);
  }

  async #findBySecret(customerId: number, secret: string): Promise<ApiKeyRecord | null> {
    const key = await this.#store.findBySecretHash(hashSecret(secret));
    return key && key.customerId === customerId ? key : null;
  }

  /** A key id as given, or the id of the key a secret opens: no store read for an id. */
  async #idOf(customerId: number, idOrSecret: string): Promise<string> {
    if (isKeyId(idOrSecret)) return idOrSecret;
    return (await this.resolve(customerId, idOrSecret)).id;
  }

  /** One store read and one compare-and-set, whatever the change. */
  async #change(
    customerId: number,
    idOrSecret: string,
    change: KeyChangeFunction,
  ): Promise<ApiKeyRecord> {
    const id = await this.#idOf(customerId, idOrSecret);
    const applied = await this.#store.change(customerId, id, change);
    if (!applied?.after) throw keyNotFound(idOrSecret);
    return applied.after;
  }

  #audit(by: Actor, action: AuditEntry['action'], keyId: string, details: Record<string, unknown>) {
    return this.#store.appendAudit({
      at: this.#now(),
      customerId: by.customerId,
      actor: by.actor,
      action,
      keyId,
      details,
    });
  }
}

const keyNotFound = (idOrSecret: string) =>
  new ApiError('KEY_NOT_FOUND', `No API key ${describeRef(idOrSecret)} in this account.`);

/** Names a key in a message without echoing a secret back. */
const describeRef = (idOrSecret: string) =>
  parseSecret(idOrSecret) === null
    ? JSON.stringify(idOrSecret.slice(0, 80))
    : '(given by its secret)';
