import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSecret } from '../../server/keys/key-format.ts';
import { type ServerProcess, spawnServer } from '../helpers/server-process.ts';
import { postJson } from '../helpers/test-server.ts';

/**
 * Two server processes writing to one data folder: writers take the lock when their transaction
 * begins, so they wait for each other (busy_timeout) instead of failing with SQLITE_BUSY (503).
 */
describe('two processes writing to one DATA_DIR', () => {
  let dataDir: string;
  let servers: ServerProcess[] = [];
  const adminToken = generateSecret('admin');
  let customerId = 0;

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'sg-shared-writes-'));
    const env = { DATA_DIR: dataDir, ADMIN_TOKEN: adminToken };
    // One at a time: the first creates the account both share.
    servers.push(await spawnServer(env));
    servers.push(await spawnServer(env));
    customerId = Number(/customer-id\): (\d+)/.exec(servers[0]?.output() ?? '')?.[1]);
  }, 120_000);

  afterAll(async () => {
    await Promise.all(servers.map((s) => s.stop()));
    servers = [];
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('480 concurrent index and delete operations all succeed', async () => {
    const headers = { authorization: `Bearer ${adminToken}`, 'customer-id': String(customerId) };
    const created = await postJson(
      `${servers[0]?.url}/v1/create-corpus`,
      { corpus: { name: 'shared' } },
      headers,
    );
    const corpusId = created.body.corpusId as number;
    const operations = Array.from({ length: 480 }, (_, i) => {
      const server = servers[i % 2] as ServerProcess;
      const documentId = `doc-${i % 40}`;
      return i % 3 === 2
        ? postJson(`${server.url}/v1/delete-doc`, { corpusId, documentId }, headers)
        : postJson(
            `${server.url}/v1/index`,
            {
              corpusId,
              document: {
                documentId,
                title: `Document ${i}`,
                section: [{ text: `Revision ${i} of a document about lanterns and harbours.` }],
              },
            },
            headers,
          );
    });
    const statuses = (await Promise.all(operations)).map((r) => r.status);
    const unexpected = statuses.filter((s) => s !== 200 && s !== 404);
    expect(unexpected).toEqual([]);
    expect(statuses.filter((s) => s === 200).length).toBeGreaterThan(320);
  }, 120_000);
});
