import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedisServer, type TestRedisServer } from '../helpers/redis-server.ts';
import {
  type JsonResponse,
  postJson,
  startTestServer,
  type TestServer,
} from '../helpers/test-server.ts';
import { expectError } from './security-suite.ts';

/**
 * Account A's keys and admin token never see anything of account B, on every route, in
 * successful answers too (the security suite covers the refusals). Both accounts own a corpus 1
 * and a document 'shared-id': ids are per account, so a leak would show up as B's words or ids.
 */
interface Account {
  customerId: number;
  admin: (path: string, body: unknown) => Promise<JsonResponse>;
  key: (path: string, body: unknown, apiKey: string) => Promise<JsonResponse>;
  corpusId: number;
  queryKey: { keyId: string; apiKey: string };
  indexKey: { keyId: string; apiKey: string };
}

/** Words only B's content and settings contain: none may appear in any answer to A. */
const bWords = ['bravo', 'banana', 'b-corpus', 'b-query-key', 'b-index-key', 'b-spare'];

for (const store of ['embedded', 'Redis'] as const) {
  describe(`account isolation (${store} key store)`, () => {
    let redis: TestRedisServer | undefined;
    let server: TestServer;
    let a: Account;
    let b: Account;
    let bSpare: number;
    const aAnswers: JsonResponse[] = [];

    const account = async (customerId: number, adminToken: string, tag: 'a' | 'b') => {
      const adminHeaders = {
        authorization: `Bearer ${adminToken}`,
        'customer-id': String(customerId),
      };
      const admin = (path: string, body: unknown) =>
        postJson(server.url + path, body, adminHeaders);
      const key = (path: string, body: unknown, apiKey: string) =>
        postJson(server.url + path, body, {
          'x-api-key': apiKey,
          'customer-id': String(customerId),
        });
      const corpus = await admin('/v1/create-corpus', { corpus: { name: `${tag}-corpus` } });
      const corpusId = corpus.body.corpusId as number;
      const createKey = async (type: string, description: string) => {
        const r = await admin('/v1/create-api-key', {
          apiKeyData: [{ description, apiKeyType: type, corpusId: [corpusId] }],
        });
        const created = r.body.response[0];
        return { keyId: created.keyId as string, apiKey: created.apiKey as string };
      };
      return {
        customerId,
        admin,
        key,
        corpusId,
        queryKey: await createKey('API_KEY_TYPE__SERVING', `${tag}-query-key`),
        indexKey: await createKey('API_KEY_TYPE__SERVING_INDEXING', `${tag}-index-key`),
      };
    };

    const indexDoc = (who: Account, documentId: string, text: string) =>
      who.key(
        '/v1/index',
        { corpusId: who.corpusId, document: { documentId, title: text, section: [{ text }] } },
        who.indexKey.apiKey,
      );
    const query = (who: Account, text: string, apiKey = who.queryKey.apiKey) =>
      who.key(
        '/v1/query',
        { query: [{ query: text, corpusKey: [{ corpusId: who.corpusId }] }] },
        apiKey,
      );
    const texts = (r: JsonResponse): string[] =>
      r.body.responseSet[0].response.map((x: { text: string }) => x.text);
    /** Every answer A gets is kept, to check at the end that none mentions B. */
    const asA = async (answer: Promise<JsonResponse>) => {
      const r = await answer;
      aAnswers.push(r);
      return r;
    };

    beforeAll(async () => {
      const env: Record<string, string> = {};
      if (store === 'Redis') {
        redis = await startRedisServer();
        env.REDIS_URL = redis.url;
      }
      server = await startTestServer({
        env,
        redisPrefix: `test:${randomBytes(6).toString('hex')}:`,
      });
      a = await account(server.customerId, server.adminToken, 'a');
      const second = server.createAccount();
      b = await account(second.customerId, second.adminToken, 'b');
      // B has one corpus more than A, so B's corpus 2 has no twin in A.
      bSpare = (await b.admin('/v1/create-corpus', { corpus: { name: 'b-spare' } })).body.corpusId;
      expect([a.corpusId, b.corpusId, bSpare]).toEqual([1, 1, 2]);
      for (const [who, text] of [
        [a, 'alpha apple common'],
        [b, 'bravo banana common'],
      ] as const) {
        expect((await indexDoc(who, 'shared-id', text)).status).toBe(200);
      }
      expect((await indexDoc(b, 'b-only', 'bravo second common')).status).toBe(200);
    });
    afterAll(async () => {
      await server?.close();
      await redis?.stop();
    });

    it('A queries see only A, even for words and ids B also has', async () => {
      expect(texts(await asA(query(a, 'common')))).toEqual(['alpha apple common']);
      expect(texts(await asA(query(a, 'bravo')))).toEqual([]);
      expect(texts(await asA(query(a, 'banana', a.indexKey.apiKey)))).toEqual([]);
      // The admin token queries too: still only A.
      expect(
        texts(
          await asA(
            a.admin('/v1/query', { query: [{ query: 'common', corpusKey: [{ corpusId: 1 }] }] }),
          ),
        ),
      ).toEqual(['alpha apple common']);
      // A's key naming B's corpus 2 (which A lacks) finds nothing of B.
      const other = await asA(
        a.key(
          '/v1/query',
          { query: [{ query: 'bravo', corpusKey: [{ corpusId: bSpare }] }] },
          a.queryKey.apiKey,
        ),
      );
      expect(other.status).not.toBe(200);
    });

    it('A indexing and deleting its document "shared-id" leaves B\'s "shared-id" alone', async () => {
      const routes = [
        () => indexDoc(a, 'shared-id', 'alpha rewritten common'),
        () =>
          a.key(
            '/v1/core/index',
            {
              corpusId: a.corpusId,
              document: { documentId: 'shared-id', parts: [{ text: 'alpha core common' }] },
            },
            a.indexKey.apiKey,
          ),
        () =>
          a.key(
            '/v1/delete-doc',
            { corpusId: a.corpusId, documentId: 'shared-id' },
            a.indexKey.apiKey,
          ),
        // Once deleted in A it is gone in A, never found in B's corpus instead.
        () =>
          a.key(
            '/v1/delete-doc',
            { corpusId: a.corpusId, documentId: 'shared-id' },
            a.indexKey.apiKey,
          ),
      ];
      const statuses = [];
      for (const route of routes) {
        statuses.push((await asA(route())).status);
        expect(texts(await query(b, 'common'))).toEqual([
          'bravo banana common',
          'bravo second common',
        ]);
      }
      expect(statuses).toEqual([200, 200, 200, 404]);
      expect(texts(await asA(query(a, 'common')))).toEqual([]);
      // A may not index into B's corpus 2 through its own account either.
      const into = await asA(
        a.admin('/v1/index', {
          corpusId: bSpare,
          document: { documentId: 'x', section: [{ text: 'alpha' }] },
        }),
      );
      expectError(into, 404, 'CORPUS_NOT_FOUND');
      const spare = await b.admin('/v1/query', {
        query: [{ query: 'alpha', corpusKey: [{ corpusId: bSpare }] }],
      });
      expect(texts(spare)).toEqual([]);
    });

    it('A lists only its own corpora, keys and audit entries', async () => {
      const corpora = await asA(a.admin('/v1/list-corpora', {}));
      expect(corpora.body.corpus.map((c: { id: number; name: string }) => [c.id, c.name])).toEqual([
        [1, 'a-corpus'],
      ]);
      const keys = await asA(a.admin('/v1/list-api-keys', { numResults: 1000 }));
      expect(keys.body.keyData.map((k: { apiKey: { id: string } }) => k.apiKey.id).sort()).toEqual(
        [a.queryKey.keyId, a.indexKey.keyId].sort(),
      );
      const audit = await asA(a.admin('/v1/list-audit-log', { numResults: 1000 }));
      expect(audit.body.entry.length).toBeGreaterThan(0);
      // Whatever names the key, only A's key ids appear in A's log.
      const mentioned = JSON.stringify(audit.body.entry);
      expect(mentioned).toContain(a.queryKey.keyId);
    });

    it("A's token cannot enable, disable, update, rotate or delete B's key, nor bind a key to B's corpus", async () => {
      const bKey = b.queryKey.keyId;
      const attempts = [
        a.admin('/v1/enable-api-key', { keyEnablement: [{ keyId: bKey, enable: false }] }),
        a.admin('/v1/update-api-key', {
          keyId: bKey,
          description: 'taken over',
          allowedOrigins: ['https://evil.example'],
        }),
        a.admin('/v1/rotate-api-key', { keyId: bKey, graceSeconds: 0 }),
        a.admin('/v1/delete-api-key', { keyId: [bKey] }),
      ];
      for (const r of await Promise.all(attempts.map(asA))) expectError(r, 404, 'KEY_NOT_FOUND');
      const bound = await asA(
        a.admin('/v1/create-api-key', {
          apiKeyData: [{ apiKeyType: 'API_KEY_TYPE__SERVING', corpusId: [bSpare] }],
        }),
      );
      expectError(bound, 404, 'CORPUS_NOT_FOUND');

      // B's key is exactly as it was: same secret works, enabled, same description, no origins.
      expect(texts(await query(b, 'banana'))).toEqual(['bravo banana common']);
      const listed = (await b.admin('/v1/list-api-keys', {})).body.keyData.find(
        (k: { apiKey: { id: string } }) => k.apiKey.id === bKey,
      );
      expect(listed.apiKey).toMatchObject({ enabled: true, description: 'b-query-key' });
      expect(listed.settings.allowedOrigins).toEqual([]);
    });

    it("A deleting its corpus 1 leaves B's corpus 1 and its documents intact", async () => {
      expect((await asA(a.admin('/v1/delete-corpus', { corpusId: 1 }))).status).toBe(200);
      expect((await asA(a.admin('/v1/list-corpora', {}))).body.corpus).toEqual([]);
      const bCorpora = await b.admin('/v1/list-corpora', {});
      expect(
        bCorpora.body.corpus.map((c: { id: number; documentCount: number }) => [
          c.id,
          c.documentCount,
        ]),
      ).toEqual([
        [1, 2],
        [2, 0],
      ]);
      expect(texts(await query(b, 'common'))).toEqual([
        'bravo banana common',
        'bravo second common',
      ]);
      // And A's key, bound to A's deleted corpus 1, does not fall through to B's corpus 1.
      const orphan = await asA(query(a, 'bravo'));
      expect(orphan.status).not.toBe(200);
    });

    it('no successful answer to A mentions anything of B', async () => {
      // Positive control for the scan: B's own answers do contain B's words.
      const bList = await b.admin('/v1/list-api-keys', {});
      expect(JSON.stringify(bList.body)).toContain('b-query-key');
      const successes = aAnswers.filter((r) => r.status === 200);
      expect(successes.length).toBeGreaterThan(10);
      for (const r of successes) {
        const text = JSON.stringify(r.body);
        for (const word of bWords)
          expect(text, `an answer to A mentions ${word}`).not.toContain(word);
        for (const id of [String(b.customerId), b.queryKey.keyId, b.indexKey.keyId]) {
          expect(text).not.toContain(id);
        }
      }
    });
  });
}
