import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/config.ts';
import { createLogger } from '../../server/logger.ts';
import { startServer } from '../../server/main.ts';
import { postJson } from '../helpers/test-server.ts';

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'searchgate-log-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('request logs', () => {
  it('carry one structured line per request with the key id, and never a key or token', async () => {
    const lines: string[] = [];
    let keyId = '';
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(...chunk.toString().split('\n').filter(Boolean));
        done();
      },
    });
    const config = loadConfig({ PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'info' });
    const running = await startServer(config, createLogger('info', sink));
    const adminToken = running.createdAdminToken as string;
    const admin = {
      authorization: `Bearer ${adminToken}`,
      'customer-id': String(running.customerId),
    };
    try {
      const corpus = await postJson(
        `${running.url}/v1/create-corpus`,
        { corpus: { name: 'c' } },
        admin,
      );
      const created = await postJson(
        `${running.url}/v1/create-api-key`,
        { apiKeyData: [{ apiKeyType: 'API_KEY_TYPE__SERVING', corpusId: [corpus.body.corpusId] }] },
        admin,
      );
      const apiKey: string = created.body.response[0].apiKey;
      keyId = created.body.response[0].keyId;
      const headers = { 'x-api-key': apiKey, 'customer-id': String(running.customerId) };
      const body = { query: [{ query: 'x', corpusKey: [{ corpusId: corpus.body.corpusId }] }] };
      await postJson(`${running.url}/v1/query?api_key=${apiKey}`, body, headers);
      await postJson(`${running.url}/v1/query`, body, {
        ...headers,
        'x-api-key': `${apiKey.slice(0, -1)}x`,
      });
    } finally {
      await running.stop();
    }
    const text = lines.join('\n');
    expect(text).not.toContain(adminToken);
    expect(text).not.toMatch(/sg[qia]_[0-9A-Za-z]{20,}/);
    const queries = lines.map((l) => JSON.parse(l)).filter((l) => l.path === '/v1/query');
    expect(queries).toHaveLength(2);
    // Lines are written as responses finish, so their order is not guaranteed.
    const ok = queries.find((q) => q.status === 200);
    const refused = queries.find((q) => q.status === 401);
    expect(ok).toMatchObject({ method: 'POST' });
    expect(ok.keyId).toBe(keyId);
    expect(refused).toMatchObject({ error: 'API_KEY_UNKNOWN' });
  });
});
