import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../server/db/open-database.ts';
import { SqliteKeyStore } from '../../server/keys/sqlite-key-store.ts';
import { makeKeyRecord, runKeyStoreSuite } from './key-store-suite.ts';

function openTempStore() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'searchgate-keys-'));
  const db = openDatabase(dir);
  return {
    dir,
    db,
    store: new SqliteKeyStore(db),
    cleanup: async () => {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

runKeyStoreSuite('SqliteKeyStore', async () => openTempStore());

describe('SqliteKeyStore', () => {
  it('keeps keys, usage and audit across a restart (reopening the file)', async () => {
    const first = openTempStore();
    const key = makeKeyRecord();
    await first.store.create(key);
    await first.store.recordUsage(key.id, 'ok', Date.now(), 1);
    await first.store.appendAudit({
      at: 1,
      customerId: key.customerId,
      actor: 'cli',
      action: 'create',
      keyId: key.id,
      details: {},
    });
    first.db.close();

    const db = openDatabase(first.dir);
    try {
      const reopened = new SqliteKeyStore(db);
      expect(await reopened.get(key.customerId, key.id)).toEqual(key);
      expect((await reopened.findBySecretHash(key.secrets[0]?.hash ?? ''))?.id).toBe(key.id);
      expect((await reopened.usage([key.id], Date.now())).get(key.id)?.requestsToday).toBe(1);
      expect(await reopened.listAudit(key.customerId, 5)).toHaveLength(1);
    } finally {
      db.close();
      rmSync(first.dir, { recursive: true, force: true });
    }
  });

  it('fails closed with KeyStoreUnavailableError when the database is gone', async () => {
    const { store, cleanup } = openTempStore();
    await cleanup();
    await expect(store.get(1, 'key_x')).rejects.toMatchObject({ name: 'KeyStoreUnavailableError' });
    expect(await store.ping()).toBe(false);
    // The usage buffer counts this failure; a request never sees it.
    await expect(store.recordUsage('key_x', 'ok', Date.now(), 1)).rejects.toMatchObject({
      name: 'KeyStoreUnavailableError',
    });
  });
});
