import { ApiError } from '../errors.ts';
import { generateKeyId, generateSecret, hashSecret, isKeyId, parseSecret } from './key-format.ts';
import {
  type ApiKeyRecord,
  type AuditEntry,
  defaultKeyLimits,
  type KeyLimits,
  type KeySettings,
  type KeyStore,
  type KeyType,
  type KeyUsage,
} from './key-store.ts';
import type { KeyVerifier } from './key-verifier.ts';
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
 * The owner's operations on keys. Every change is audited and dropped from this instance's
 * cache before the call returns; the store broadcasts it to the other instances.
 */
export class KeyService {
  readonly #store: KeyStore;
  readonly #verifier: KeyVerifier;
  readonly #usage: UsageBuffer;
  readonly #now: () => number;

  constructor(
    store: KeyStore,
    verifier: KeyVerifier,
    usage: UsageBuffer,
    now: () => number = Date.now,
  ) {
    this.#store = store;
    this.#verifier = verifier;
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
    this.#verifier.noteKnown(key.secrets[0]?.hash ?? '');
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
    if (!key)
      throw new ApiError('KEY_NOT_FOUND', `No API key ${describeRef(idOrSecret)} in this account.`);
    return key;
  }

  async setEnabled(by: Actor, idOrSecret: string, enabled: boolean): Promise<ApiKeyRecord> {
    const key = await this.resolve(by.customerId, idOrSecret);
    const updated = await this.#mustUpdate(by.customerId, key.id, { enabled });
    await this.#audit(by, enabled ? 'enable' : 'disable', key.id, {});
    return updated;
  }

  async update(by: Actor, idOrSecret: string, settings: KeySettings): Promise<ApiKeyRecord> {
    const key = await this.resolve(by.customerId, idOrSecret);
    // Partial limits are merged by the store with the key as it is then, not as read here.
    const updated = await this.#mustUpdate(by.customerId, key.id, settings);
    await this.#audit(by, 'update', key.id, { ...settings });
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
    const key = await this.resolve(by.customerId, idOrSecret);
    const now = this.#now();
    const secret = generateSecret(key.type);
    const graceUntil = now + graceSeconds * 1000;
    // Computed from the key as it is when the store applies the change: a concurrent rotation
    // (say, a grace-0 rotation to kill a leaked secret) is built on, never undone.
    const updated = await this.#store.replaceSecrets(by.customerId, key.id, (current) => [
      { hash: hashSecret(secret), validUntil: null },
      ...current.secrets
        .filter((s) => s.validUntil === null || s.validUntil > now)
        .map((s) => ({
          hash: s.hash,
          validUntil: s.validUntil === null ? graceUntil : Math.min(s.validUntil, graceUntil),
        }))
        .filter((s) => s.validUntil > now),
    ]);
    if (!updated) throw new ApiError('KEY_NOT_FOUND', `No API key ${key.id} in this account.`);
    this.#verifier.invalidate(key.id);
    this.#verifier.noteKnown(hashSecret(secret));
    await this.#audit(by, 'rotate', key.id, { graceSeconds });
    return { key: updated, secret };
  }

  async delete(by: Actor, idOrSecret: string): Promise<void> {
    const key = await this.resolve(by.customerId, idOrSecret);
    if (!(await this.#store.delete(by.customerId, key.id))) {
      throw new ApiError('KEY_NOT_FOUND', `No API key ${key.id} in this account.`);
    }
    this.#verifier.invalidate(key.id);
    await this.#audit(by, 'delete', key.id, { description: key.description });
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

  async #mustUpdate(customerId: number, id: string, settings: KeySettings): Promise<ApiKeyRecord> {
    const updated = await this.#store.update(customerId, id, settings);
    if (!updated) throw new ApiError('KEY_NOT_FOUND', `No API key ${id} in this account.`);
    this.#verifier.invalidate(id);
    return updated;
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

/** Names a key in a message without echoing a secret back. */
const describeRef = (idOrSecret: string) =>
  parseSecret(idOrSecret) === null
    ? JSON.stringify(idOrSecret.slice(0, 80))
    : '(given by its secret)';
