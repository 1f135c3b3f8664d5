import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { databaseFileName } from '../../server/db/open-database.ts';
import { generateSecret } from '../../server/keys/key-format.ts';
import { spawnServer } from '../helpers/server-process.ts';
import { postJson, startTestServer } from '../helpers/test-server.ts';

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'searchgate-persist-'));
  dirs.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('persistence', () => {
  it('keeps corpora, documents, keys and the admin token across a restart', async () => {
    const dataDir = tempDir();
    const first = await startTestServer({ dataDir });
    const corpusId = await first.createCorpus('kept');
    await first.indexDocuments(corpusId, [
      { documentId: 'd', title: 'Granary', sections: [{ text: 'wheat and barley' }] },
    ]);
    const { apiKey } = await first.createKey({ corpusIds: [corpusId] });
    const { adminToken, customerId } = first;
    await first.close();

    const second = await startTestServer({ dataDir, env: { ADMIN_TOKEN: adminToken } });
    expect(second.customerId).toBe(customerId);
    const r = await second.query(
      '/v1/query',
      { query: [{ query: 'barley', corpusKey: [{ corpusId }] }] },
      apiKey,
    );
    expect(r.status).toBe(200);
    expect(r.body.responseSet[0].document[0].id).toBe('d');
    await second.close();
  });

  it('stays consistent after kill -9 in the middle of indexing, and a re-run completes', async () => {
    const dataDir = tempDir();
    const adminToken = generateSecret('admin');
    const env = { DATA_DIR: dataDir, ADMIN_TOKEN: adminToken, CUSTOMER_ID: '1234567890' };
    const headers = { authorization: `Bearer ${adminToken}`, 'customer-id': '1234567890' };
    const docs = Array.from({ length: 400 }, (_, i) => ({
      customerId: 1234567890,
      corpusId: 1,
      document: {
        documentId: `doc-${i}`,
        title: `Ledger page ${i}`,
        section: Array.from({ length: 5 }, (_, s) => ({
          text: `Entry ${s} of page ${i}: grain, salt and copper.`,
        })),
      },
    }));
    const indexAll = async (
      url: string,
      stopOnError: boolean,
      onProgress = (_ok: number) => {},
    ) => {
      let ok = 0;
      for (let i = 0; i < docs.length; i += 8) {
        const batch = docs.slice(i, i + 8).map((doc) =>
          postJson(`${url}/v1/index`, doc, headers).then(
            (r) => r.status === 200,
            () => false,
          ),
        );
        const results = await Promise.all(batch);
        ok += results.filter(Boolean).length;
        onProgress(ok);
        if (stopOnError && results.includes(false)) break;
      }
      return ok;
    };

    const first = await spawnServer(env);
    expect(
      (await postJson(`${first.url}/v1/create-corpus`, { corpus: { name: 'ledger' } }, headers))
        .status,
    ).toBe(200);
    // Killed once 40 documents are in and the next batch is on its way: mid-indexing by
    // construction, however fast the machine.
    let killed: Promise<void> | undefined;
    const indexing = indexAll(first.url, true, (ok) => {
      if (ok >= 40) killed ??= first.kill();
    });
    const before = await indexing;
    await killed;
    expect(before).toBeLessThan(docs.length); // the kill really interrupted it

    const db = new Database(path.join(dataDir, databaseFileName));
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    db.exec("INSERT INTO search_fts(search_fts) VALUES ('integrity-check')");
    db.close();

    const second = await spawnServer(env);
    expect(await indexAll(second.url, false)).toBe(docs.length);
    const count = await postJson(`${second.url}/v1/list-corpora`, { numResults: 10 }, headers);
    expect(count.body.corpus[0].documentCount).toBe(docs.length);
    const found = await postJson(
      `${second.url}/v1/query`,
      { query: [{ query: 'ledger page 399', numResults: 3, corpusKey: [{ corpusId: 1 }] }] },
      headers,
    );
    expect(found.body.responseSet[0].document[0].id).toBe('doc-399');
    expect(await second.stop()).toBe(0);
  });
});
