import { createHash, randomBytes, randomInt } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applySettings } from '../../server/keys/key-settings.ts';
import {
  type ApiKeyRecord,
  type AuditEntry,
  defaultKeyLimits,
  type KeyChange,
  type KeySecret,
  type KeySettings,
  type KeyStore,
} from '../../server/keys/key-store.ts';

export interface KeyStoreFixture {
  store: KeyStore;
  /** Opens another instance on the same backing data, when the store is shared (Redis). */
  openPeer?: () => Promise<KeyStore>;
  cleanup(): Promise<void>;
}

const newHash = () => createHash('sha256').update(randomBytes(16)).digest('hex');
const newCustomerId = () => randomInt(1, 2 ** 31);

export function makeKeyRecord(overrides: Partial<ApiKeyRecord> = {}): ApiKeyRecord {
  return {
    id: `key_${randomBytes(8).toString('hex')}`,
    customerId: newCustomerId(),
    description: 'docs search',
    type: 'API_KEY_TYPE__SERVING',
    corpusIds: [1],
    enabled: true,
    createdAt: Date.now(),
    expiresAt: null,
    allowedOrigins: [],
    limits: { ...defaultKeyLimits },
    secrets: [{ hash: newHash(), validUntil: null }],
    ...overrides,
  };
}

/** The owner's changes, written as KeyService writes them: through `change`. */
export const updateKey = async (
  store: KeyStore,
  customerId: number,
  id: string,
  settings: KeySettings,
) => (await store.change(customerId, id, (r) => applySettings(r, settings)))?.after ?? null;

export const replaceSecrets = async (
  store: KeyStore,
  customerId: number,
  id: string,
  secrets: KeySecret[],
) => (await store.change(customerId, id, (r) => ({ ...r, secrets })))?.after ?? null;

export const deleteKey = async (store: KeyStore, customerId: number, id: string) =>
  (await store.change(customerId, id, () => null)) !== null;

/** Collects the changes a store announces, so tests can wait for a given key's. */
function recordChanges(store: KeyStore) {
  const changes: KeyChange[] = [];
  const seen: (string | null)[] = [];
  const stop = store.onChange((change) => {
    changes.push(change);
    seen.push(change.keyId);
  });
  return {
    seen,
    changes,
    stop,
    waitFor: (id: string | null) =>
      expect.poll(() => seen.includes(id), { timeout: 5_000 }).toBe(true),
  };
}

/** The behaviour every KeyStore must have; run against each implementation. */
export function runKeyStoreSuite(
  name: string,
  makeStore: () => Promise<KeyStoreFixture>,
  /** Stores that several instances share (Redis) also prove that changes reach the others. */
  options: { sharedAcrossInstances: boolean } = { sharedAcrossInstances: false },
) {
  describe(`KeyStore contract: ${name}`, () => {
    let fixture: KeyStoreFixture;
    let store: KeyStore;

    beforeEach(async () => {
      fixture = await makeStore();
      store = fixture.store;
    });
    afterEach(async () => {
      await fixture.cleanup();
    });

    it('creates a key and finds it by id, by account and by secret hash', async () => {
      const customerId = newCustomerId();
      const first = makeKeyRecord({
        customerId,
        createdAt: 1_000,
        allowedOrigins: ['https://a.example'],
      });
      const second = makeKeyRecord({
        customerId,
        createdAt: 2_000,
        type: 'API_KEY_TYPE__SERVING_INDEXING',
      });
      // Created newest first, listed oldest first.
      await store.create(second);
      await store.create(first);

      expect(await store.get(customerId, first.id)).toEqual(first);
      expect((await store.list(customerId)).map((k) => k.id)).toEqual([first.id, second.id]);
      expect(await store.list(customerId + 1)).toEqual([]);
      const secret = second.secrets[0]?.hash ?? '';
      expect(await store.findBySecretHash(secret)).toEqual(second);
      expect(await store.findBySecretHash(newHash())).toBeNull();
      expect(await store.get(customerId, 'key_missing')).toBeNull();
    });

    it('updates each setting and keeps the others', async () => {
      const key = makeKeyRecord();
      await store.create(key);
      const changes = {
        description: 'renamed',
        enabled: false,
        expiresAt: Date.now() + 86_400_000,
        allowedOrigins: ['https://*.example.com'],
        limits: { perMinute: 10, perIpPerMinute: 2, dailyQuota: 500 },
        corpusIds: [1, 2, 3],
      };
      let expected = key;
      for (const [field, value] of Object.entries(changes)) {
        const updated = await updateKey(store, key.customerId, key.id, { [field]: value });
        expected = { ...expected, [field]: value };
        expect(updated).toEqual(expected);
        expect(await store.get(key.customerId, key.id)).toEqual(expected);
      }
      // Back to no expiry and no daily quota: null is a value, not "unchanged".
      const cleared = await updateKey(store, key.customerId, key.id, {
        expiresAt: null,
        limits: { ...changes.limits, dailyQuota: null },
        enabled: true,
      });
      expect(cleared?.expiresAt).toBeNull();
      expect(cleared?.limits.dailyQuota).toBeNull();
      expect(cleared?.enabled).toBe(true);
      expect(await updateKey(store, key.customerId, 'key_missing', { enabled: false })).toBeNull();
    });

    it('rotates: the old secret works during its grace, an expired one is never found', async () => {
      const key = makeKeyRecord();
      await store.create(key);
      const oldHash = key.secrets[0]?.hash ?? '';
      const newSecret = { hash: newHash(), validUntil: null };
      const graced = { hash: oldHash, validUntil: Date.now() + 60_000 };

      const rotated = await replaceSecrets(store, key.customerId, key.id, [newSecret, graced]);
      expect(rotated?.secrets).toEqual([newSecret, graced]);
      expect((await store.findBySecretHash(newSecret.hash))?.id).toBe(key.id);
      expect((await store.findBySecretHash(oldHash))?.id).toBe(key.id);

      // Rotating again with no grace (0 = at once) ends the old secrets.
      const newest = { hash: newHash(), validUntil: null };
      const expired = { hash: newSecret.hash, validUntil: Date.now() - 1 };
      await replaceSecrets(store, key.customerId, key.id, [newest, expired]);
      expect(await store.findBySecretHash(newSecret.hash)).toBeNull();
      expect(await store.findBySecretHash(oldHash)).toBeNull();
      expect((await store.findBySecretHash(newest.hash))?.id).toBe(key.id);
      expect(await replaceSecrets(store, key.customerId, 'key_missing', [newest])).toBeNull();
    });

    it('stops finding a grace secret once its validUntil has passed', async () => {
      const key = makeKeyRecord();
      await store.create(key);
      const oldHash = key.secrets[0]?.hash ?? '';
      await replaceSecrets(store, key.customerId, key.id, [
        { hash: newHash(), validUntil: null },
        { hash: oldHash, validUntil: Date.now() + 300 },
      ]);
      await expect.poll(() => store.findBySecretHash(oldHash), { timeout: 5_000 }).toBeNull();
      // And it stays gone: its end has passed, for good.
      expect(await store.findBySecretHash(oldHash)).toBeNull();
    });

    it('deletes for good', async () => {
      const key = makeKeyRecord();
      const graceHash = newHash();
      await store.create(key);
      await replaceSecrets(store, key.customerId, key.id, [
        ...key.secrets,
        { hash: graceHash, validUntil: Date.now() + 60_000 },
      ]);
      await store.recordUsage(key.id, 'ok', Date.now(), 1);

      expect(await deleteKey(store, key.customerId, key.id)).toBe(true);
      expect(await store.get(key.customerId, key.id)).toBeNull();
      expect(await store.list(key.customerId)).toEqual([]);
      expect(await store.findBySecretHash(key.secrets[0]?.hash ?? '')).toBeNull();
      expect(await store.findBySecretHash(graceHash)).toBeNull();
      expect(await updateKey(store, key.customerId, key.id, { enabled: true })).toBeNull();
      expect(await deleteKey(store, key.customerId, key.id)).toBe(false);
      expect((await store.usage([key.id], Date.now())).get(key.id)?.requestsToday).toBe(0);
    });

    it("keeps accounts apart: one account cannot read or change another's key", async () => {
      const theirs = makeKeyRecord();
      const otherAccount = theirs.customerId + 1;
      await store.create(theirs);

      expect(await store.get(otherAccount, theirs.id)).toBeNull();
      expect(await store.list(otherAccount)).toEqual([]);
      expect(await updateKey(store, otherAccount, theirs.id, { enabled: false })).toBeNull();
      expect(
        await replaceSecrets(store, otherAccount, theirs.id, [
          { hash: newHash(), validUntil: null },
        ]),
      ).toBeNull();
      expect(await deleteKey(store, otherAccount, theirs.id)).toBe(false);
      expect(await store.get(theirs.customerId, theirs.id)).toEqual(theirs);
      expect((await store.findBySecretHash(theirs.secrets[0]?.hash ?? ''))?.id).toBe(theirs.id);
    });

    it('counts usage per UTC day by outcome and remembers the last use', async () => {
      const key = makeKeyRecord();
      const idle = makeKeyRecord({ customerId: key.customerId });
      await store.create(key);
      await store.create(idle);
      const now = Date.now();
      const yesterday = now - 86_400_000;
      await store.recordUsage(key.id, 'ok', yesterday, 1);
      for (let i = 0; i < 3; i++) await store.recordUsage(key.id, 'ok', now - 10, 1);
      await store.recordUsage(key.id, 'KEY_DISABLED', now - 5, 1);
      await store.recordUsage(key.id, 'KEY_DISABLED', now - 3, 1);
      await store.recordUsage(key.id, 'RATE_LIMITED', now, 1);

      const usage = await store.usage([key.id, idle.id], now);
      expect(usage.get(key.id)).toEqual({
        requestsToday: 3,
        refusalsToday: { KEY_DISABLED: 2, RATE_LIMITED: 1 },
        lastUsedAt: now,
      });
      expect(usage.get(idle.id)).toEqual({ requestsToday: 0, refusalsToday: {}, lastUsedAt: null });
      expect((await store.usage([], now)).size).toBe(0);
    });

    it('keeps an audit log per account, newest first', async () => {
      const customerId = newCustomerId();
      const entry = (at: number, action: AuditEntry['action']): AuditEntry => ({
        at,
        customerId,
        actor: 'admin',
        action,
        keyId: 'key_a',
        details: { enabled: action === 'enable' },
      });
      await store.appendAudit(entry(1, 'create'));
      await store.appendAudit(entry(2, 'disable'));
      await store.appendAudit(entry(3, 'enable'));
      await store.appendAudit({ ...entry(4, 'delete'), customerId: customerId + 1 });

      expect(await store.listAudit(customerId, 10)).toEqual([
        entry(3, 'enable'),
        entry(2, 'disable'),
        entry(1, 'create'),
      ]);
      expect((await store.listAudit(customerId, 2)).map((e) => e.at)).toEqual([3, 2]);
      expect((await store.listAudit(customerId + 1, 10)).map((e) => e.action)).toEqual(['delete']);
      expect(await store.listAudit(customerId + 2, 10)).toEqual([]);
    });

    it('announces every change to its listeners, and stops after unsubscribe', async () => {
      const changes = recordChanges(store);
      const key = makeKeyRecord();
      await store.create(key);
      await changes.waitFor(key.id);
      // Secrets a change creates travel with it, so no instance mistakes them for guesses.
      expect(changes.changes).toContainEqual({
        keyId: key.id,
        newSecretHashes: key.secrets.map((s) => s.hash),
      });
      changes.changes.length = 0;
      await updateKey(store, key.customerId, key.id, { description: 'renamed' });
      expect(changes.changes).toContainEqual({ keyId: key.id, newSecretHashes: [] });

      for (const change of [
        () => updateKey(store, key.customerId, key.id, { enabled: false }),
        () =>
          replaceSecrets(store, key.customerId, key.id, [{ hash: newHash(), validUntil: null }]),
        () => deleteKey(store, key.customerId, key.id),
      ]) {
        changes.seen.length = 0;
        await change();
        await changes.waitFor(key.id);
      }

      changes.stop();
      changes.seen.length = 0;
      // A listener still subscribed is the witness: once it has heard the change, the
      // unsubscribed one would have too.
      const witness = recordChanges(store);
      const other = makeKeyRecord();
      await store.create(other);
      await witness.waitFor(other.id);
      witness.stop();
      expect(changes.seen).not.toContain(other.id);
    });

    if (options.sharedAcrossInstances) {
      it('announces changes to other instances sharing the store', async () => {
        if (!fixture.openPeer) throw new Error('a shared store fixture must offer openPeer');
        const peer = await fixture.openPeer();
        const onPeer = recordChanges(peer);
        const key = makeKeyRecord();
        await store.create(key);
        await onPeer.waitFor(key.id);
        expect(onPeer.changes).toContainEqual({
          keyId: key.id,
          newSecretHashes: key.secrets.map((s) => s.hash),
        });
        const rotatedTo = { hash: newHash(), validUntil: null };
        onPeer.seen.length = 0;
        onPeer.changes.length = 0;
        await replaceSecrets(store, key.customerId, key.id, [rotatedTo, ...key.secrets]);
        await onPeer.waitFor(key.id);
        expect(onPeer.changes).toContainEqual({ keyId: key.id, newSecretHashes: [rotatedTo.hash] });
        // The peer reads what the first instance wrote.
        expect(await peer.get(key.customerId, key.id)).toEqual({
          ...key,
          secrets: [rotatedTo, ...key.secrets],
        });

        onPeer.seen.length = 0;
        await updateKey(store, key.customerId, key.id, { enabled: false });
        await onPeer.waitFor(key.id);
        expect((await peer.get(key.customerId, key.id))?.enabled).toBe(false);

        onPeer.seen.length = 0;
        await deleteKey(store, key.customerId, key.id);
        await onPeer.waitFor(key.id);
        expect(await peer.findBySecretHash(key.secrets[0]?.hash ?? '')).toBeNull();
      });
    }

    it('keeps every concurrent change (no lost update)', async () => {
      const key = makeKeyRecord();
      await store.create(key);
      const peer = fixture.openPeer ? await fixture.openPeer() : store;
      await Promise.all([
        updateKey(store, key.customerId, key.id, { enabled: false }),
        updateKey(peer, key.customerId, key.id, { description: 'renamed' }),
        updateKey(store, key.customerId, key.id, { allowedOrigins: ['https://a.example'] }),
        updateKey(peer, key.customerId, key.id, { corpusIds: [7] }),
      ]);
      const after = await store.get(key.customerId, key.id);
      expect(after).toMatchObject({
        enabled: false,
        description: 'renamed',
        allowedOrigins: ['https://a.example'],
        corpusIds: [7],
      });
    });

    it('answers ping', async () => {
      expect(await store.ping()).toBe(true);
    });
  });
}
