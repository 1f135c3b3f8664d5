import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSecret } from '../../server/keys/key-format.ts';
import { type JsonResponse, requestJson, type TestServer } from '../helpers/test-server.ts';
import { expectV2Shape } from '../helpers/v2-spec.ts';

/**
 * The one security suite every protected route goes through (Unkey's runCommonRouteTests):
 * each route of both API versions × each way a caller can be wrong, plus a positive control so
 * the suite can fail.
 */

type Scope = 'query' | 'index';
type Api = 'v1' | 'v2';

interface Ids {
  customerId: number;
  corpusId: number;
  corpusKey: string;
  documentId: string;
}

interface KeyRoute {
  api: Api;
  method: 'GET' | 'POST' | 'DELETE';
  /** How the route is named in test titles. */
  name: string;
  path: (ids: Ids) => string;
  scope: Scope;
  body?: (ids: Ids) => Record<string, unknown>;
  /** The route needs the document to exist (read, delete). */
  needsDocument?: boolean;
}

const doc = (ids: Ids) =>
  `/v2/corpora/${ids.corpusKey}/documents/${encodeURIComponent(ids.documentId)}`;

export const keyRoutes: KeyRoute[] = [
  {
    api: 'v1',
    method: 'POST',
    name: 'POST /v1/query',
    path: () => '/v1/query',
    scope: 'query',
    body: ({ customerId, corpusId }) => ({
      query: [{ query: 'lantern', numResults: 5, corpusKey: [{ customerId, corpusId }] }],
    }),
  },
  {
    api: 'v1',
    method: 'POST',
    name: 'POST /v1/index',
    path: () => '/v1/index',
    scope: 'index',
    body: ({ customerId, corpusId, documentId }) => ({
      customerId,
      corpusId,
      document: { documentId, title: 'Lanterns', section: [{ text: 'A lantern lights the way.' }] },
    }),
  },
  {
    api: 'v1',
    method: 'POST',
    name: 'POST /v1/core/index',
    path: () => '/v1/core/index',
    scope: 'index',
    body: ({ customerId, corpusId, documentId }) => ({
      customerId,
      corpusId,
      document: { documentId, parts: [{ text: 'A lantern lights the way.' }] },
    }),
  },
  {
    api: 'v1',
    method: 'POST',
    name: 'POST /v1/delete-doc',
    path: () => '/v1/delete-doc',
    scope: 'index',
    body: ({ customerId, corpusId, documentId }) => ({ customerId, corpusId, documentId }),
    needsDocument: true,
  },
  {
    api: 'v2',
    method: 'POST',
    name: 'POST /v2/query',
    path: () => '/v2/query',
    scope: 'query',
    body: ({ corpusKey }) => ({
      query: 'lantern',
      search: { corpora: [{ corpus_key: corpusKey }], limit: 5 },
    }),
  },
  {
    api: 'v2',
    method: 'POST',
    name: 'POST /v2/corpora/{corpus_key}/query',
    path: ({ corpusKey }) => `/v2/corpora/${corpusKey}/query`,
    scope: 'query',
    body: () => ({ query: 'lantern', search: { limit: 5 } }),
  },
  {
    api: 'v2',
    method: 'GET',
    name: 'GET /v2/corpora/{corpus_key}/query',
    path: ({ corpusKey }) => `/v2/corpora/${corpusKey}/query?query=lantern&limit=5`,
    scope: 'query',
  },
  {
    api: 'v2',
    method: 'POST',
    name: 'POST /v2/corpora/{corpus_key}/documents',
    path: ({ corpusKey }) => `/v2/corpora/${corpusKey}/documents`,
    scope: 'index',
    body: ({ documentId }) => ({
      id: documentId,
      type: 'core',
      document_parts: [{ text: 'A lantern lights the way.' }],
    }),
  },
  {
    api: 'v2',
    method: 'GET',
    name: 'GET /v2/corpora/{corpus_key}/documents',
    path: ({ corpusKey }) => `/v2/corpora/${corpusKey}/documents?limit=5`,
    scope: 'index',
  },
  {
    api: 'v2',
    method: 'GET',
    name: 'GET /v2/corpora/{corpus_key}/documents/{document_id}',
    path: doc,
    scope: 'index',
    needsDocument: true,
  },
  {
    api: 'v2',
    method: 'DELETE',
    name: 'DELETE /v2/corpora/{corpus_key}/documents/{document_id}',
    path: doc,
    scope: 'index',
    needsDocument: true,
  },
];

interface OwnerRoute {
  api: Api;
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  path: string;
  body?: (ids: { customerId: number; corpusId: number }) => unknown;
}

const noKey = 'aky_00000000000000000';

export const adminRoutes: OwnerRoute[] = [
  {
    api: 'v1',
    method: 'POST',
    path: '/v1/create-corpus',
    body: () => ({ corpus: { name: 'made by the suite' } }),
  },
  {
    api: 'v1',
    method: 'POST',
    path: '/v1/delete-corpus',
    body: ({ customerId }) => ({ customerId, corpusId: 999 }),
  },
  { api: 'v1', method: 'POST', path: '/v1/list-corpora', body: () => ({ numResults: 10 }) },
  {
    api: 'v1',
    method: 'POST',
    path: '/v1/create-api-key',
    body: ({ corpusId }) => ({
      apiKeyData: [{ apiKeyType: 'API_KEY_TYPE__SERVING', corpusId: [corpusId] }],
    }),
  },
  {
    api: 'v1',
    method: 'POST',
    path: '/v1/enable-api-key',
    body: () => ({ keyEnablement: [{ keyId: noKey, enable: true }] }),
  },
  { api: 'v1', method: 'POST', path: '/v1/delete-api-key', body: () => ({ keyId: [noKey] }) },
  { api: 'v1', method: 'POST', path: '/v1/list-api-keys', body: () => ({ numResults: 10 }) },
  {
    api: 'v1',
    method: 'POST',
    path: '/v1/update-api-key',
    body: () => ({ keyId: noKey, description: 'x' }),
  },
  { api: 'v1', method: 'POST', path: '/v1/rotate-api-key', body: () => ({ keyId: noKey }) },
  { api: 'v1', method: 'POST', path: '/v1/list-audit-log', body: () => ({}) },
  {
    api: 'v2',
    method: 'POST',
    path: '/v2/corpora',
    body: () => ({ key: `suite_${Date.now()}_${Math.random().toString(36).slice(2)}` }),
  },
  { api: 'v2', method: 'GET', path: '/v2/corpora' },
  { api: 'v2', method: 'GET', path: '/v2/corpora/does-not-exist' },
  { api: 'v2', method: 'DELETE', path: '/v2/corpora/does-not-exist' },
  {
    api: 'v2',
    method: 'POST',
    path: '/v2/api_keys',
    body: () => ({ name: 'suite', api_key_role: 'serving', corpus_keys: ['suite_1'] }),
  },
  { api: 'v2', method: 'GET', path: '/v2/api_keys' },
  { api: 'v2', method: 'GET', path: `/v2/api_keys/${noKey}` },
  { api: 'v2', method: 'PATCH', path: `/v2/api_keys/${noKey}`, body: () => ({ enabled: false }) },
  { api: 'v2', method: 'DELETE', path: `/v2/api_keys/${noKey}` },
  {
    api: 'v2',
    method: 'POST',
    path: `/v2/api_keys/${noKey}/rotate`,
    body: () => ({ grace_seconds: 0 }),
  },
  { api: 'v2', method: 'GET', path: '/v2/audit_log' },
];

/** The error shape of the route's API version, with its stable code and the request id. */
export function expectError(r: JsonResponse, status: number, code: string, api: Api = 'v1'): void {
  if (api === 'v2') {
    expect({ status: r.status, code: r.body?.code }).toEqual({ status, code });
    expect(r.body.request_id).toBe(r.headers.get('x-request-id'));
    expect(r.body.messages).toHaveLength(1);
    expectV2Shape(status === 400 ? 'BadRequestError' : 'Error', r.body);
    return;
  }
  expect({ status: r.status, code: r.body?.error?.code }).toEqual({ status, code });
  expect(typeof r.body.error.message).toBe('string');
  expect(r.body.error.requestId).toBe(r.headers.get('x-request-id'));
  expect(Object.keys(r.body)).toEqual(['error']);
}

interface Fixture {
  server: TestServer;
  corpusId: number;
  corpusKey: string;
  otherCorpusId: number;
  otherCorpusKey: string;
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
      const keyOf = (id: number) => server.services.corpora.get(server.customerId, id)?.key ?? '';
      await server.indexDocuments(corpusId, [
        {
          documentId: 'seed',
          title: 'Lanterns',
          sections: [{ text: 'A lantern lights the way.' }],
        },
      ]);
      const make = (opts: Parameters<TestServer['createKey']>[0]) => server.createKey(opts);
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
      const oc = await requestJson(
        'POST',
        `${server.url}/v1/create-corpus`,
        { corpus: { name: 'B' } },
        otherAdmin,
      );
      const ok = await requestJson(
        'POST',
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
        corpusKey: keyOf(corpusId),
        otherCorpusId,
        otherCorpusKey: keyOf(otherCorpusId),
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

    const ids = (): Ids => ({
      customerId: f.server.customerId,
      corpusId: f.corpusId,
      corpusKey: f.corpusKey,
      documentId: `doc-${++docCounter}`,
    });
    const otherCorpus = (): Ids => ({
      ...ids(),
      corpusId: f.otherCorpusId,
      corpusKey: f.otherCorpusKey,
    });
    const withKey = (key: string, extra: Record<string, string> = {}) => ({
      'x-api-key': key,
      'customer-id': String(f.server.customerId),
      ...extra,
    });

    for (const route of keyRoutes) {
      describe(route.name, () => {
        const allowedKey = () => (route.scope === 'query' ? f.keys.query : f.keys.index);
        /** Calls the route for `target` (a fresh document id by default), creating it if needed. */
        const call = async (headers: Record<string, string>, target: Ids = ids()) => {
          if (route.needsDocument && target.corpusId === f.corpusId) {
            await f.server.indexDocuments(f.corpusId, [
              { documentId: target.documentId, sections: [{ text: 'to be read or deleted' }] },
            ]);
          }
          return requestJson(
            route.method,
            f.server.url + route.path(target),
            route.body?.(target),
            headers,
          );
        };
        const expectRefusal = (r: JsonResponse, status: number, code: string) =>
          expectError(r, status, code, route.api);

        it('accepts the right key (positive control)', async () => {
          const r = await call(withKey(allowedKey()));
          expect([200, 201, 204], JSON.stringify(r.body)).toContain(r.status);
        });

        it('refuses a request without a key', async () => {
          expectRefusal(
            await call({ 'customer-id': String(f.server.customerId) }),
            401,
            'API_KEY_MISSING',
          );
        });

        it('refuses an unknown key and a malformed key, never echoing them', async () => {
          const keys = [generateSecret('API_KEY_TYPE__SERVING'), 'not-a-key'];
          // v1 has no personal keys: an admin token in x-api-key is just not an API key there.
          if (route.api === 'v1') keys.push(f.server.adminToken);
          for (const key of keys) {
            const r = await call(withKey(key));
            expectRefusal(r, 401, 'API_KEY_UNKNOWN');
            expect(JSON.stringify(r.body)).not.toContain(key);
          }
        });

        it('refuses a disabled key', async () => {
          expectRefusal(await call(withKey(f.keys.disabled)), 403, 'KEY_DISABLED');
        });

        it('refuses an expired key', async () => {
          expectRefusal(await call(withKey(f.keys.expired)), 403, 'KEY_EXPIRED');
        });

        it('refuses a deleted key as unknown', async () => {
          expectRefusal(await call(withKey(f.keys.deleted)), 401, 'API_KEY_UNKNOWN');
        });

        it('refuses a key sent with another account in customer-id', async () => {
          const headers = withKey(allowedKey(), { 'customer-id': String(f.other.customerId) });
          expectRefusal(await call(headers), 403, 'WRONG_ACCOUNT');
        });

        if (route.api === 'v1') {
          it('refuses a body that names another account', async () => {
            const target = { ...ids(), customerId: f.other.customerId };
            expectRefusal(await call(withKey(allowedKey()), target), 403, 'WRONG_ACCOUNT');
          });

          it('refuses a request without customer-id', async () => {
            expectRefusal(await call({ 'x-api-key': allowedKey() }), 400, 'CUSTOMER_ID_MISSING');
          });
        } else {
          it('takes the key alone (customer-id is optional on v2)', async () => {
            const r = await call({ 'x-api-key': allowedKey() });
            expect([200, 201, 204]).toContain(r.status);
          });

          it('takes the admin token as the personal key, in x-api-key or as a bearer', async () => {
            const personal: Array<Record<string, string>> = [
              { 'x-api-key': f.server.adminToken },
              { authorization: `Bearer ${f.server.adminToken}` },
            ];
            for (const headers of personal) {
              const r = await call(headers);
              expect([200, 201, 204], JSON.stringify(r.body)).toContain(r.status);
            }
          });
        }

        it('refuses a corpus the key is not bound to', async () => {
          expectRefusal(
            await call(withKey(allowedKey()), otherCorpus()),
            403,
            'CORPUS_NOT_ALLOWED',
          );
        });

        it("refuses another account's key for this account, whatever the headers say", async () => {
          const asThisAccount = {
            'x-api-key': f.other.queryKey,
            'customer-id': String(f.server.customerId),
          };
          expectRefusal(await call(asThisAccount), 403, 'WRONG_ACCOUNT');
          const asItsAccount = {
            'x-api-key': f.other.queryKey,
            'customer-id': String(f.other.customerId),
          };
          const target = { ...otherCorpus(), customerId: f.other.customerId };
          expectRefusal(await call(asItsAccount, target), 403, 'CORPUS_NOT_ALLOWED');
        });

        it("never reaches this account's documents with another account's key", async () => {
          // Corpus ids and keys are per account: the other account's corpus 1 is its own, not ours.
          const headers = {
            'x-api-key': f.other.queryKey,
            'customer-id': String(f.other.customerId),
          };
          const own = {
            customerId: f.other.customerId,
            corpusId: f.corpusId,
            corpusKey: f.corpusKey,
            documentId: 'seed',
          };
          // v1 indexing into "corpus 1" would write the other account's own corpus 1: not sent.
          const indexesV1 = route.name === 'POST /v1/index' || route.name === 'POST /v1/core/index';
          if (!indexesV1) {
            const r = await requestJson(
              route.method,
              f.server.url + route.path(own),
              route.body?.(own),
              headers,
            );
            if (route.api === 'v2') {
              expectRefusal(r, 403, 'CORPUS_NOT_ALLOWED');
            } else if (route.name === 'POST /v1/query') {
              expect(r.status).toBe(200);
              expect(r.body.responseSet[0].response).toEqual([]);
            } else {
              expectRefusal(r, 404, 'DOCUMENT_NOT_FOUND');
            }
          }
          const mine = await requestJson(
            'POST',
            `${f.server.url}/v1/query`,
            keyRoutes[0]?.body?.(ids()),
            withKey(f.keys.query),
          );
          expect(mine.body.responseSet[0].document.map((d: { id: string }) => d.id)).toContain(
            'seed',
          );
        });

        it('refuses an origin the key does not allow, never naming that origin in CORS', async () => {
          if (route.scope === 'index') return; // index keys are refused in browsers altogether (below)
          const r = await call(withKey(f.keys.originBound, { origin: 'https://evil.example' }));
          expectRefusal(r, 403, 'ORIGIN_NOT_ALLOWED');
          // The refusal itself is readable by any page ("*"), so the widget can say so.
          expect(r.headers.get('access-control-allow-origin')).toBe('*');
          const ok = await call(
            withKey(f.keys.originBound, { origin: 'https://docs.example.com' }),
          );
          expect(ok.status).toBe(200);
          expect(ok.headers.get('access-control-allow-origin')).toBe('https://docs.example.com');
        });

        it('refuses an index key sent from a browser', async () => {
          const r = await call(withKey(f.keys.index, { origin: 'https://docs.example.com' }));
          expectRefusal(r, 403, 'INDEX_KEY_IN_BROWSER');
        });

        const limitedKey = (limits: {
          perMinute?: number;
          perIpPerMinute?: number;
          dailyQuota?: number;
        }) =>
          f.server.createKey({
            corpusIds: [f.corpusId],
            type:
              route.scope === 'query' ? 'API_KEY_TYPE__SERVING' : 'API_KEY_TYPE__SERVING_INDEXING',
            limits,
          });

        it('refuses requests over the per-key limit with Retry-After and RateLimit headers', async () => {
          const limited = await limitedKey({ perMinute: 2, perIpPerMinute: 1000 });
          const statuses = [];
          for (let i = 0; i < 3; i++) {
            const r = await call(withKey(limited.apiKey));
            statuses.push(r.status);
            if (i === 2) {
              expectRefusal(r, 429, 'RATE_LIMITED');
              expect(Number(r.headers.get('retry-after'))).toBeGreaterThan(0);
              expect(r.headers.get('ratelimit')).toMatch(/per-key/);
              expect(r.headers.get('ratelimit-policy')).toMatch(/per-key/);
            }
          }
          expect(statuses.slice(0, 2).every((s) => s !== 429)).toBe(true);
        });

        it('limits each visitor within a key, and other visitors go on', async () => {
          const limited = await limitedKey({ perMinute: 1000, perIpPerMinute: 2 });
          const from = (ip: string) => withKey(limited.apiKey, { 'x-forwarded-for': ip });
          for (let i = 0; i < 2; i++)
            expect((await call(from('203.0.113.7'))).status).not.toBe(429);
          expectRefusal(await call(from('203.0.113.7')), 429, 'RATE_LIMITED');
          expect((await call(from('203.0.113.8'))).status).not.toBe(429);
        });

        it('refuses requests over the daily quota', async () => {
          const limited = await limitedKey({ dailyQuota: 1 });
          expect((await call(withKey(limited.apiKey))).status).not.toBe(429);
          expectRefusal(await call(withKey(limited.apiKey)), 429, 'QUOTA_EXCEEDED');
        });

        if (route.scope === 'index') {
          it('refuses a query-only key', async () => {
            expectRefusal(await call(withKey(f.keys.query)), 403, 'SCOPE_NOT_ALLOWED');
          });
        }
      });
    }

    it('refuses a query when only one of several corpora is bound to the key', async () => {
      const v1 = {
        query: [
          {
            query: 'lantern',
            corpusKey: [{ corpusId: f.corpusId }, { corpusId: f.otherCorpusId }],
          },
        ],
      };
      expectError(
        await requestJson('POST', `${f.server.url}/v1/query`, v1, withKey(f.keys.query)),
        403,
        'CORPUS_NOT_ALLOWED',
      );
      const v2 = {
        query: 'lantern',
        search: { corpora: [{ corpus_key: f.corpusKey }, { corpus_key: f.otherCorpusKey }] },
      };
      expectError(
        await requestJson('POST', `${f.server.url}/v2/query`, v2, withKey(f.keys.query)),
        403,
        'CORPUS_NOT_ALLOWED',
        'v2',
      );
    });

    adminRoutes.forEach((route, routeIndex) => {
      describe(`${route.method} ${route.path}`, () => {
        const body = () => route.body?.({ customerId: f.server.customerId, corpusId: f.corpusId });
        const call = (headers: Record<string, string>) =>
          requestJson(route.method, f.server.url + route.path, body(), headers);
        const expectRefusal = (r: JsonResponse, status: number, code: string) =>
          expectError(r, status, code, route.api);

        it('accepts the admin token (positive control)', async () => {
          const r = await call({
            authorization: `Bearer ${f.server.adminToken}`,
            'customer-id': String(f.server.customerId),
          });
          // 404: the suite names keys and corpora that do not exist
          expect([200, 201, 204, 404], JSON.stringify(r.body)).toContain(r.status);
          if (r.status === 404) {
            expect(route.api === 'v2' ? r.body.code : r.body.error.code).toMatch(/_NOT_FOUND$/);
          }
        });

        it('refuses a request without the admin token', async () => {
          expectRefusal(
            await call({ 'customer-id': String(f.server.customerId) }),
            401,
            'ADMIN_TOKEN_MISSING',
          );
        });

        it('refuses API keys of either type', async () => {
          for (const key of [f.keys.query, f.keys.index]) {
            expectRefusal(await call(withKey(key)), 403, 'ADMIN_ONLY');
            expectRefusal(
              await call({
                authorization: `Bearer ${key}`,
                'customer-id': String(f.server.customerId),
              }),
              403,
              'ADMIN_ONLY',
            );
          }
        });

        it('refuses a wrong admin token', async () => {
          const headers = {
            authorization: `Bearer ${generateSecret('admin')}`,
            'customer-id': String(f.server.customerId),
            // Its own address: wrong tokens are throttled per address (owner-auth.test.ts).
            'x-forwarded-for': `198.18.${Math.floor(routeIndex / 250)}.${routeIndex % 250}`,
          };
          expectRefusal(await call(headers), 401, 'ADMIN_TOKEN_INVALID');
        });

        it("refuses another account's admin token", async () => {
          const headers = {
            authorization: `Bearer ${f.other.adminToken}`,
            'customer-id': String(f.server.customerId),
          };
          expectRefusal(await call(headers), 403, 'WRONG_ACCOUNT');
        });

        if (route.api === 'v2') {
          it('takes the admin token in x-api-key (the personal key), without customer-id', async () => {
            const r = await call({ 'x-api-key': f.server.adminToken });
            expect([200, 201, 204, 404], JSON.stringify(r.body)).toContain(r.status);
          });
        }
      });
    });
  });
}
