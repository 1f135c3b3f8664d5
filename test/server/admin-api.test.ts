import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';
import { expectError } from './security-suite.ts';

describe('owner routes', () => {
  let server: TestServer;
  let corpusId: number;
  const lantern = (id: number) => ({
    query: [{ query: 'lantern', corpusKey: [{ corpusId: id }] }],
  });

  beforeAll(async () => {
    server = await startTestServer();
    corpusId = await server.createCorpus('main');
    await server.indexDocuments(corpusId, [
      { documentId: 'l', title: 'Lantern', sections: [{ text: 'lantern oil' }] },
    ]);
  });
  afterAll(() => server.close());

  describe('corpora', () => {
    it('creates, lists with document counts, pages and deletes with their documents', async () => {
      const temp = await server.createCorpus('temporary');
      await server.indexDocuments(temp, [{ documentId: 'x', sections: [{ text: 'lantern' }] }]);
      const list = await server.admin('/v1/list-corpora', { numResults: 100 });
      expect(list.body.corpus.find((c: { id: number }) => c.id === temp)).toMatchObject({
        name: 'temporary',
        enabled: true,
        documentCount: 1,
      });
      const page = await server.admin('/v1/list-corpora', { numResults: 1 });
      expect(page.body.corpus).toHaveLength(1);
      const next = await server.admin('/v1/list-corpora', {
        numResults: 1,
        pageKey: page.body.pageKey,
      });
      expect(next.body.corpus[0].id).not.toBe(page.body.corpus[0].id);

      expect((await server.admin('/v1/delete-corpus', { corpusId: temp })).status).toBe(200);
      expectError(await server.admin('/v1/query', lantern(temp)), 404, 'CORPUS_NOT_FOUND');
      expectError(
        await server.admin('/v1/delete-corpus', { corpusId: temp }),
        404,
        'CORPUS_NOT_FOUND',
      );
      // Ids are never reused, so a key bound to the old corpus cannot reach a new one.
      expect(await server.createCorpus('after')).toBeGreaterThan(temp);
    });

    it('refuses a corpus without a name', async () => {
      const r = await server.admin('/v1/create-corpus', { corpus: { name: '  ' } });
      expectError(r, 400, 'INVALID_ARGUMENT');
      expect(r.body.error.message).toMatch(/^corpus\.name:/);
    });
  });

  describe('API keys', () => {
    it('creates a key that is shown once and stored only as a hash', async () => {
      const created = await server.admin('/v1/create-api-key', {
        apiKeyData: [
          { description: 'site search', apiKeyType: 'API_KEY_TYPE__SERVING', corpusId: [corpusId] },
        ],
      });
      const { keyId, apiKey } = created.body.response[0];
      expect(keyId).toMatch(/^aky_/);
      expect(apiKey).toMatch(/^sgq_/);
      const list = await server.admin('/v1/list-api-keys', {});
      expect(JSON.stringify(list.body)).not.toContain(apiKey);
      const entry = list.body.keyData.find(
        (k: { apiKey: { id: string } }) => k.apiKey.id === keyId,
      );
      expect(entry.apiKey).toMatchObject({
        description: 'site search',
        keyType: 'API_KEY_TYPE__SERVING',
        enabled: true,
        status: 'ENABLED',
      });
      expect(entry.corpus).toEqual([{ id: corpusId, name: 'main', key: 'main_1' }]);
      const row = server.services.db
        .prepare("SELECT * FROM sqlite_master WHERE type = 'table'")
        .all()
        .map((t) => (t as { name: string }).name)
        .flatMap((name) => server.services.db.prepare(`SELECT * FROM "${name}"`).all());
      expect(JSON.stringify(row)).not.toContain(apiKey);
    });

    it('disables and enables by key id or by the secret itself, as Vectara clients do', async () => {
      const { keyId, apiKey } = await server.createKey({ corpusIds: [corpusId] });
      expect((await server.query('/v1/query', lantern(corpusId), apiKey)).status).toBe(200);
      await server.setKeyEnabled(keyId, false);
      expectError(await server.query('/v1/query', lantern(corpusId), apiKey), 403, 'KEY_DISABLED');
      const byIdSecret = await server.admin('/v1/enable-api-key', {
        keyEnablement: [{ keyId: apiKey, enable: true }],
      });
      expect(byIdSecret.status).toBe(200);
      expect((await server.query('/v1/query', lantern(corpusId), apiKey)).status).toBe(200);
      const list = await server.admin('/v1/list-api-keys', {});
      const entry = list.body.keyData.find(
        (k: { apiKey: { id: string } }) => k.apiKey.id === keyId,
      );
      expect(entry.usage.requestsToday).toBe(2);
      expect(entry.usage.refusalsToday).toEqual({ KEY_DISABLED: 1 });
      expect(entry.usage.lastUsedAt).toBeTruthy();
    });

    it('changes nothing when one key of a batch is unknown', async () => {
      const { keyId, apiKey } = await server.createKey({ corpusIds: [corpusId] });
      const r = await server.admin('/v1/enable-api-key', {
        keyEnablement: [
          { keyId, enable: false },
          { keyId: 'key_00000000000000000', enable: false },
        ],
      });
      expectError(r, 404, 'KEY_NOT_FOUND');
      expect((await server.query('/v1/query', lantern(corpusId), apiKey)).status).toBe(200);
    });

    it('deletes for good (keyId or keyIds)', async () => {
      const a = await server.createKey({ corpusIds: [corpusId] });
      const b = await server.createKey({ corpusIds: [corpusId] });
      expect((await server.admin('/v1/delete-api-key', { keyId: [a.keyId] })).status).toBe(200);
      expect((await server.admin('/v1/delete-api-key', { keyIds: [b.keyId] })).status).toBe(200);
      for (const k of [a, b]) {
        expectError(
          await server.query('/v1/query', lantern(corpusId), k.apiKey),
          401,
          'API_KEY_UNKNOWN',
        );
        expectError(
          await server.admin('/v1/delete-api-key', { keyId: [k.keyId] }),
          404,
          'KEY_NOT_FOUND',
        );
      }
    });

    it('rotates: the new secret works, the old one only during its grace period', async () => {
      const { keyId, apiKey: first } = await server.createKey({
        corpusIds: [corpusId],
        description: 'rotating',
      });
      const graced = await server.admin('/v1/rotate-api-key', { keyId, graceSeconds: 3600 });
      const second = graced.body.apiKey as string;
      expect(second).not.toBe(first);
      expect((await server.query('/v1/query', lantern(corpusId), first)).status).toBe(200);
      expect((await server.query('/v1/query', lantern(corpusId), second)).status).toBe(200);
      const now = await server.admin('/v1/rotate-api-key', { keyId, graceSeconds: 0 });
      const third = now.body.apiKey as string;
      expectError(
        await server.query('/v1/query', lantern(corpusId), first),
        401,
        'API_KEY_UNKNOWN',
      );
      expectError(
        await server.query('/v1/query', lantern(corpusId), second),
        401,
        'API_KEY_UNKNOWN',
      );
      expect((await server.query('/v1/query', lantern(corpusId), third)).status).toBe(200);
      const list = await server.admin('/v1/list-api-keys', {});
      expect(
        list.body.keyData.find((k: { apiKey: { id: string } }) => k.apiKey.id === keyId).apiKey
          .description,
      ).toBe('rotating');
    });

    it('updates settings: origins, expiry, limits, corpora', async () => {
      const { keyId, apiKey } = await server.createKey({ corpusIds: [corpusId] });
      const r = await server.admin('/v1/update-api-key', {
        keyId,
        allowedOrigins: ['https://*.example.com'],
        limits: { perMinute: 100 },
        expiresAt: '2099-01-01T00:00:00Z',
      });
      expect(r.status).toBe(200);
      expect(r.body.keyData.settings).toMatchObject({
        allowedOrigins: ['https://*.example.com'],
        limits: { perMinute: 100, perIpPerMinute: 60, dailyQuota: null },
        expiresAt: '2099-01-01T00:00:00.000Z',
      });
      const fromSub = await server.query('/v1/query', lantern(corpusId), apiKey, {
        origin: 'https://docs.example.com',
      });
      expect(fromSub.status).toBe(200);
      const fromBare = await server.query('/v1/query', lantern(corpusId), apiKey, {
        origin: 'https://example.com',
      });
      expectError(fromBare, 403, 'ORIGIN_NOT_ALLOWED');
      await server.admin('/v1/update-api-key', { keyId, expiresAt: Date.now() - 1000 });
      expectError(await server.query('/v1/query', lantern(corpusId), apiKey), 403, 'KEY_EXPIRED');
    });

    it.each([
      [
        { apiKeyData: [{ apiKeyType: 'API_KEY_TYPE__PERSONAL', corpusId: [1] }] },
        'apiKeyData[0].apiKeyType',
        400,
      ],
      [
        { apiKeyData: [{ apiKeyType: 'API_KEY_TYPE__SERVING', corpusId: [] }] },
        'apiKeyData[0].corpusId',
        400,
      ],
      [
        {
          apiKeyData: [
            { apiKeyType: 'API_KEY_TYPE__SERVING', corpusId: [1], allowedOrigins: ['example.com'] },
          ],
        },
        'apiKeyData[0].allowedOrigins[0]',
        400,
      ],
      [
        {
          apiKeyData: [
            { apiKeyType: 'API_KEY_TYPE__SERVING', corpusId: [1], limits: { perMinute: 0 } },
          ],
        },
        'apiKeyData[0].limits.perMinute',
        400,
      ],
      [
        {
          apiKeyData: [
            { apiKeyType: 'API_KEY_TYPE__SERVING', corpusId: [1], limits: { perMinit: 5 } },
          ],
        },
        'apiKeyData[0].limits',
        400,
      ],
      [
        { apiKeyData: [{ apiKeyType: 'API_KEY_TYPE__SERVING', corpusId: [424242] }] },
        'apiKeyData[0].corpusId',
        404,
      ],
    ])('refuses a bad key request naming the field (%#)', async (body, field, status) => {
      const r = await server.admin('/v1/create-api-key', body);
      expect(r.status).toBe(status);
      expect(r.body.error.message.startsWith(`${field}:`)).toBe(true);
    });

    it('keeps an audit log of owner actions, newest first, without secrets', async () => {
      const { keyId, apiKey } = await server.createKey({
        corpusIds: [corpusId],
        description: 'audited',
      });
      await server.setKeyEnabled(keyId, false);
      await server.setKeyEnabled(keyId, true);
      const rotated = await server.admin('/v1/rotate-api-key', { keyId, graceSeconds: 0 });
      await server.admin('/v1/delete-api-key', { keyId: [keyId] });
      const log = await server.admin('/v1/list-audit-log', { numResults: 50 });
      const mine = log.body.entry.filter((e: { keyId: string }) => e.keyId === keyId);
      expect(mine.map((e: { action: string }) => e.action)).toEqual([
        'delete',
        'rotate',
        'enable',
        'disable',
        'create',
      ]);
      expect(mine[0]).toMatchObject({ actor: 'admin (api)', customerId: server.customerId });
      expect(JSON.stringify(log.body)).not.toContain(apiKey);
      expect(JSON.stringify(log.body)).not.toContain(rotated.body.apiKey);
    });
  });
});
