import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSecret } from '../../server/keys/key-format.ts';
import { type JsonResponse, postJson, type TestServer } from '../helpers/test-server.ts';

/**
 * The one security suite every protected route goes through (Unkey's runCommonRouteTests):
 * each route × each way a caller can be wrong, plus a positive control so the suite can fail.
 */

type Scope = 'query' | 'index';

interface KeyRoute {
  path: string;
  scope: Scope;
  body: (ids: {
    customerId: number;
    corpusId: number;
    documentId: string;
  }) => Record<string, unknown>;
}

export const keyRoutes: KeyRoute[] = [
  {
    path: '/v1/query',
    scope: 'query',
    body: ({ customerId, corpusId }) => ({
      query: [{ query: 'lantern', numResults: 5, corpusKey: [{ customerId, corpusId }] }],
    }),
  },
  {
    path: '/v1/index',
    scope: 'index',
    body: ({ customerId, corpusId, documentId }) => ({
      customerId,
      corpusId,
      document: { documentId, title: 'Lanterns', section: [{ text: 'A lantern lights the way.' }] },
    }),
  },
  {
    path: '/v1/core/index',
    scope: 'index',
    body: ({ customerId, corpusId, documentId }) => ({
      customerId,
      corpusId,
      document: { documentId, parts: [{ text: 'A lantern lights the way.' }] },
    }),
  },
  {
    path: '/v1/delete-doc',
    scope: 'index',
    body: ({ customerId, corpusId, documentId }) => ({ customerId, corpusId, documentId }),
  },
];

export const adminRoutes: Array<{
  path: string;
  body: (ids: { customerId: number; corpusId: number }) => unknown;
}> = [
  { path: '/v1/create-corpus', body: () => ({ corpus: { name: 'made by the suite' } }) },
  { path: '/v1/delete-corpus', body: ({ customerId }) => ({ customerId, corpusId: 999 }) },
  { path: '/v1/list-corpora', body: () => ({ numResults: 10 }) },
  {
    path: '/v1/create-api-key',
    body: ({ corpusId }) => ({
      apiKeyData: [{ apiKeyType: 'API_KEY_TYPE__SERVING', corpusId: [corpusId] }],
    }),
  },
  {
    path: '/v1/enable-api-key',
    body: () => ({ keyEnablement: [{ keyId: 'key_00000000000000000', enable: true }] }),
  },
  { path: '/v1/delete-api-key', body: () => ({ keyId: ['key_00000000000000000'] }) },
  { path: '/v1/list-api-keys', body: () => ({ numResults: 10 }) },
  {
    path: '/v1/update-api-key',
    body: () => ({ keyId: 'key_00000000000000000', description: 'x' }),
  },
  { path: '/v1/rotate-api-key', body: () => ({ keyId: 'key_00000000000000000' }) },
  { path: '/v1/list-audit-log', body: () => ({}) },
];

export function expectError(r: JsonResponse, status: number, code: string): void {
  expect({ status: r.status, code: r.body?.error?.code }).toEqual({ status, code });
  expect(typeof r.body.error.message).toBe('string');
  expect(r.body.error.requestId).toBe(r.headers.get('x-request-id'));
  expect(Object.keys(r.body)).toEqual(['error']);
}

interface Fixture {
  server: TestServer;
  corpusId: number;
  otherCorpusId: number;
  keys: Record<
    'query' | 'index' | 'disabled' | 'expired' | 'deleted' | 'otherCorpus' | 'originBound',
    string
  >;
  other: { customerId: number; adminToken: string; queryKey: string };
}

/** Runs the suite against servers made by `makeServer` (embedded store, Redis store, …). */
export function runSecuritySuite(name: string, makeServer: () => Promise<TestServer>): void {
  describe(`security suite: ${name}`, () => {
    let f: Fixture;
    let docCounter = 0;

    beforeAll(async () => {
      const server = await makeServer();
      const corpusId = await server.createCorpus('suite');
      const otherCorpusId = await server.createCorpus('suite other');
      await server.indexDocuments(corpusId, [
        {
          documentId: 'seed',
          title: 'Lanterns',
          sections: [{ text: 'A lantern lights the way.' }],
        },
      ]);
      const make = (opts: Parameters<TestServer['createKey']>[0]) =>
        server.createKey(opts).then((k) => k);
      const query = await make({ corpusIds: [corpusId] });
      const index = await make({ corpusIds: [corpusId], type: 'API_KEY_TYPE__SERVING_INDEXING' });
      const disabled = await make({
        corpusIds: [corpusId],
        type: 'API_KEY_TYPE__SERVING_INDEXING',
      });
      await server.setKeyEnabled(disabled.keyId, false);
      const expired = await make({
        corpusIds: [corpusId],
        type: 'API_KEY_TYPE__SERVING_INDEXING',
        expiresAt: Date.now() - 60_000,
      });
      const deleted = await make({ corpusIds: [corpusId], type: 'API_KEY_TYPE__SERVING_INDEXING' });
      const del = await server.admin('/v1/delete-api-key', { keyId: [deleted.keyId] });
      expect(del.status).toBe(200);
      const otherCorpus = await make({
        corpusIds: [otherCorpusId],
        type: 'API_KEY_TYPE__SERVING_INDEXING',
      });
      const originBound = await make({
        corpusIds: [corpusId],
        allowedOrigins: ['https://docs.example.com'],
      });

      // A second account with its own corpus and key: nothing of it may reach the first.
      const other = server.createAccount();
      const otherAdmin = {
        authorization: `Bearer ${other.adminToken}`,
        'customer-id': String(other.customerId),
      };
      const oc = await postJson(
        `${server.url}/v1/create-corpus`,
        { corpus: { name: 'B' } },
        otherAdmin,
      );
      const ok = await postJson(
        `${server.url}/v1/create-api-key`,
        {
          apiKeyData: [
            { apiKeyType: 'API_KEY_TYPE__SERVING_INDEXING', corpusId: [oc.body.corpusId] },
          ],
        },
        otherAdmin,
      );
      f = {
        server,
        corpusId,
        otherCorpusId,
        keys: {
          query: query.apiKey,
          index: index.apiKey,
          disabled: disabled.apiKey,
          expired: expired.apiKey,
          deleted: deleted.apiKey,
          otherCorpus: otherCorpus.apiKey,
          originBound: originBound.apiKey,
        },
        other: { ...other, queryKey: ok.body.response[0].apiKey },
      };
    });

    afterAll(async () => {
      await f?.server.close();
    });

    const ids = () => ({
      customerId: f.server.customerId,
      corpusId: f.corpusId,
      documentId: `doc-${++docCounter}`,
    });
    const call = (path: string, body: unknown, headers: Record<string, string>) =>
      postJson(f.server.url + path, body, headers);
    const withKey = (key: string, extra: Record<string, string> = {}) => ({
      'x-api-key': key,
      'customer-id': String(f.server.customerId),
      ...extra,
    });

    for (const route of keyRoutes) {
      describe(route.path, () => {
        const allowedKey = () => (route.scope === 'query' ? f.keys.query : f.keys.index);

        it('accepts the right key (positive control)', async () => {
          const target = ids();
          if (route.path === '/v1/delete-doc') {
            await f.server.indexDocuments(f.corpusId, [
              { documentId: target.documentId, sections: [{ text: 'to be deleted' }] },
            ]);
          }
          const r = await call(route.path, route.body(target), withKey(allowedKey()));
          expect(r.status).toBe(200);
        });

        it('refuses a request without a key', async () => {
          const r = await call(route.path, route.body(ids()), {
            'customer-id': String(f.server.customerId),
          });
          expectError(r, 401, 'API_KEY_MISSING');
        });

        it('refuses an unknown key, a malformed key, and an admin token sent as a key', async () => {
          for (const key of [
            generateSecret('API_KEY_TYPE__SERVING'),
            'not-a-key',
            f.server.adminToken,
          ]) {
            const r = await call(route.path, route.body(ids()), withKey(key));
            expectError(r, 401, 'API_KEY_UNKNOWN');
            expect(JSON.stringify(r.body)).not.toContain(key);
          }
        });

        it('refuses a disabled key', async () => {
          expectError(
            await call(route.path, route.body(ids()), withKey(f.keys.disabled)),
            403,
            'KEY_DISABLED',
          );
        });

        it('refuses an expired key', async () => {
          expectError(
            await call(route.path, route.body(ids()), withKey(f.keys.expired)),
            403,
            'KEY_EXPIRED',
          );
        });

        it('refuses a deleted key as unknown', async () => {
          expectError(
            await call(route.path, route.body(ids()), withKey(f.keys.deleted)),
            401,
            'API_KEY_UNKNOWN',
          );
        });

        it('refuses a key sent with another account in customer-id', async () => {
          const headers = withKey(allowedKey(), { 'customer-id': String(f.other.customerId) });
          expectError(await call(route.path, route.body(ids()), headers), 403, 'WRONG_ACCOUNT');
        });

        it('refuses a body that names another account', async () => {
          const body = route.body({ ...ids(), customerId: f.other.customerId });
          expectError(await call(route.path, body, withKey(allowedKey())), 403, 'WRONG_ACCOUNT');
        });

        it('refuses a corpus the key is not bound to', async () => {
          const body = route.body({ ...ids(), corpusId: f.otherCorpusId });
          expectError(
            await call(route.path, body, withKey(allowedKey())),
            403,
            'CORPUS_NOT_ALLOWED',
          );
        });

        it("refuses another account's key for this account, whatever the headers say", async () => {
          const asThisAccount = {
            'x-api-key': f.other.queryKey,
            'customer-id': String(f.server.customerId),
          };
          expectError(
            await call(route.path, route.body(ids()), asThisAccount),
            403,
            'WRONG_ACCOUNT',
          );
          const asItsAccount = {
            'x-api-key': f.other.queryKey,
            'customer-id': String(f.other.customerId),
          };
          const body = route.body({
            ...ids(),
            customerId: f.other.customerId,
            corpusId: f.otherCorpusId,
          });
          expectError(await call(route.path, body, asItsAccount), 403, 'CORPUS_NOT_ALLOWED');
        });

        it("never reaches this account's documents with another account's key", async () => {
          // Corpus ids are counted per account: the other account's corpus 1 is its own, not ours.
          const headers = {
            'x-api-key': f.other.queryKey,
            'customer-id': String(f.other.customerId),
          };
          const own = { customerId: f.other.customerId, corpusId: f.corpusId, documentId: 'seed' };
          if (route.path === '/v1/query') {
            const r = await call(route.path, route.body(own), headers);
            expect(r.status).toBe(200);
            expect(r.body.responseSet[0].response).toEqual([]);
          } else if (route.path === '/v1/delete-doc') {
            expectError(
              await call(route.path, route.body(own), headers),
              404,
              'DOCUMENT_NOT_FOUND',
            );
          }
          const mine = await call('/v1/query', keyRoutes[0]?.body(ids()), withKey(f.keys.query));
          expect(mine.body.responseSet[0].document.map((d: { id: string }) => d.id)).toContain(
            'seed',
          );
        });

        it('refuses a request without customer-id', async () => {
          const r = await call(route.path, route.body(ids()), { 'x-api-key': allowedKey() });
          expectError(r, 400, 'CUSTOMER_ID_MISSING');
        });

        it('refuses an origin the key does not allow, never naming that origin in CORS', async () => {
          if (route.scope === 'index') return; // index keys are refused in browsers altogether (below)
          const r = await call(
            route.path,
            route.body(ids()),
            withKey(f.keys.originBound, { origin: 'https://evil.example' }),
          );
          expectError(r, 403, 'ORIGIN_NOT_ALLOWED');
          // The refusal itself is readable by any page ("*"), so the widget can say so.
          expect(r.headers.get('access-control-allow-origin')).toBe('*');
          const ok = await call(
            route.path,
            route.body(ids()),
            withKey(f.keys.originBound, { origin: 'https://docs.example.com' }),
          );
          expect(ok.status).toBe(200);
          expect(ok.headers.get('access-control-allow-origin')).toBe('https://docs.example.com');
        });

        it('refuses an index key sent from a browser', async () => {
          const r = await call(
            route.path,
            route.body(ids()),
            withKey(f.keys.index, { origin: 'https://docs.example.com' }),
          );
          expectError(r, 403, 'INDEX_KEY_IN_BROWSER');
        });

        it('refuses requests over the per-key limit with Retry-After and RateLimit headers', async () => {
          const limited = await f.server.createKey({
            corpusIds: [f.corpusId],
            type:
              route.scope === 'query' ? 'API_KEY_TYPE__SERVING' : 'API_KEY_TYPE__SERVING_INDEXING',
            limits: { perMinute: 2, perIpPerMinute: 1000 },
          });
          const statuses = [];
          for (let i = 0; i < 3; i++) {
            const target = ids();
            const r = await call(route.path, route.body(target), withKey(limited.apiKey));
            statuses.push(r.status);
            if (i === 2) {
              expectError(r, 429, 'RATE_LIMITED');
              expect(Number(r.headers.get('retry-after'))).toBeGreaterThan(0);
              expect(r.headers.get('ratelimit')).toMatch(/per-key/);
              expect(r.headers.get('ratelimit-policy')).toMatch(/per-key/);
            }
          }
          expect(statuses.slice(0, 2).every((s) => s !== 429)).toBe(true);
        });

        it('limits each visitor within a key, and other visitors go on', async () => {
          const limited = await f.server.createKey({
            corpusIds: [f.corpusId],
            type:
              route.scope === 'query' ? 'API_KEY_TYPE__SERVING' : 'API_KEY_TYPE__SERVING_INDEXING',
            limits: { perMinute: 1000, perIpPerMinute: 2 },
          });
          const from = (ip: string) => withKey(limited.apiKey, { 'x-forwarded-for': ip });
          for (let i = 0; i < 2; i++) {
            expect(
              (await call(route.path, route.body(ids()), from('203.0.113.7'))).status,
            ).not.toBe(429);
          }
          expectError(
            await call(route.path, route.body(ids()), from('203.0.113.7')),
            429,
            'RATE_LIMITED',
          );
          expect((await call(route.path, route.body(ids()), from('203.0.113.8'))).status).not.toBe(
            429,
          );
        });

        it('refuses requests over the daily quota', async () => {
          const limited = await f.server.createKey({
            corpusIds: [f.corpusId],
            type:
              route.scope === 'query' ? 'API_KEY_TYPE__SERVING' : 'API_KEY_TYPE__SERVING_INDEXING',
            limits: { dailyQuota: 1 },
          });
          expect(
            (await call(route.path, route.body(ids()), withKey(limited.apiKey))).status,
          ).not.toBe(429);
          expectError(
            await call(route.path, route.body(ids()), withKey(limited.apiKey)),
            429,
            'QUOTA_EXCEEDED',
          );
        });

        if (route.scope === 'index') {
          it('refuses a query-only key', async () => {
            expectError(
              await call(route.path, route.body(ids()), withKey(f.keys.query)),
              403,
              'SCOPE_NOT_ALLOWED',
            );
          });
        }
      });
    }

    it('refuses a query when only one of several corpora is bound to the key', async () => {
      const body = {
        query: [
          {
            query: 'lantern',
            corpusKey: [{ corpusId: f.corpusId }, { corpusId: f.otherCorpusId }],
          },
        ],
      };
      expectError(await call('/v1/query', body, withKey(f.keys.query)), 403, 'CORPUS_NOT_ALLOWED');
    });

    for (const route of adminRoutes) {
      describe(route.path, () => {
        const body = () => route.body({ customerId: f.server.customerId, corpusId: f.corpusId });

        it('accepts the admin token (positive control)', async () => {
          const r = await f.server.admin(route.path, body());
          expect([200, 404]).toContain(r.status); // 404: the suite names keys and corpora that do not exist
          if (r.status === 404) expect(r.body.error.code).toMatch(/_NOT_FOUND$/);
        });

        it('refuses a request without the admin token', async () => {
          const r = await call(route.path, body(), { 'customer-id': String(f.server.customerId) });
          expectError(r, 401, 'ADMIN_TOKEN_MISSING');
        });

        it('refuses API keys of either type', async () => {
          for (const key of [f.keys.query, f.keys.index]) {
            expectError(await call(route.path, body(), withKey(key)), 403, 'ADMIN_ONLY');
          }
        });

        it('refuses a wrong admin token', async () => {
          const headers = {
            authorization: `Bearer ${generateSecret('admin')}`,
            'customer-id': String(f.server.customerId),
          };
          expectError(await call(route.path, body(), headers), 401, 'ADMIN_TOKEN_INVALID');
        });

        it("refuses another account's admin token", async () => {
          const headers = {
            authorization: `Bearer ${f.other.adminToken}`,
            'customer-id': String(f.server.customerId),
          };
          expectError(await call(route.path, body(), headers), 403, 'WRONG_ACCOUNT');
        });
      });
    }
  });
}
