import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSecret } from '../../server/keys/key-format.ts';
import { postJson, requestJson, startTestServer, type TestServer } from '../helpers/test-server.ts';

/** Owner authentication: guessing admin tokens is throttled; tokens never work cross-site. */
describe('admin token checks', () => {
  let server: TestServer;
  beforeAll(async () => {
    // Behind a trusted proxy, so the test can speak as several addresses.
    server = await startTestServer({ env: { TRUST_PROXY: 'true' } });
  });
  afterAll(() => server.close());

  const listCorpora = (token: string, headers: Record<string, string> = {}) =>
    postJson(
      `${server.url}/v1/list-corpora`,
      {},
      {
        authorization: `Bearer ${token}`,
        'customer-id': String(server.customerId),
        ...headers,
      },
    );

  it('throttles an address after thirty wrong tokens, without slowing the owner or other addresses', async () => {
    const guesser = { 'x-forwarded-for': '198.51.100.7' };
    const statuses: number[] = [];
    for (let i = 0; i < 50; i++)
      statuses.push((await listCorpora(generateSecret('admin'), guesser)).status);
    expect(statuses.slice(0, 30)).toEqual(Array(30).fill(401));
    expect(statuses.slice(30)).toEqual(Array(20).fill(429));
    const refused = await listCorpora(generateSecret('admin'), guesser);
    expect(refused.body.error.code).toBe('RATE_LIMITED');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    // The real token still works from another address, and, once seen, from the throttled one.
    expect(
      (await listCorpora(server.adminToken, { 'x-forwarded-for': '203.0.113.1' })).status,
    ).toBe(200);
    expect((await listCorpora(server.adminToken, guesser)).status).toBe(200);
    expect(
      (await listCorpora(generateSecret('admin'), { 'x-forwarded-for': '203.0.113.2' })).status,
    ).toBe(401);
  });

  it("takes an ADMIN_TOKEN the operator chose in x-api-key on v2, and ignores a proxy's Basic auth", async () => {
    const chosen = 'q8Vt0mZ3rX+7kLpN2yW5sB1cF9hJ4uE6aD0gT8iO3nM=';
    const other = await startTestServer({ env: { ADMIN_TOKEN: chosen } });
    try {
      const corpora = await requestJson('GET', `${other.url}/v2/corpora`, undefined, {
        'x-api-key': chosen,
      });
      expect(corpora.status).toBe(200);
      const wrong = await requestJson('GET', `${other.url}/v2/corpora`, undefined, {
        'x-api-key': `${chosen}x`,
      });
      expect(wrong.body.code).toBe('ADMIN_TOKEN_INVALID');
      const corpusId = await other.createCorpus('c');
      const { apiKey } = await other.createKey({ corpusIds: [corpusId] });
      const behindProxy = await requestJson(
        'POST',
        `${other.url}/v2/query`,
        { query: 'x', search: { corpora: [{ corpus_key: 'c_1' }] } },
        { 'x-api-key': apiKey, authorization: 'Basic dXNlcjpwYXNz' },
      );
      expect(behindProxy.status).toBe(200);
      // Junk in x-api-key is still an unknown key, not someone's admin token.
      const junk = await requestJson(
        'POST',
        `${other.url}/v2/query`,
        { query: 'x', search: { corpora: [{ corpus_key: 'c_1' }] } },
        { 'x-api-key': 'not-a-key' },
      );
      expect(junk.body.code).toBe('API_KEY_UNKNOWN');
    } finally {
      await other.close();
    }
  });

  it('refuses the admin token from another site in a browser, accepts it from its own pages', async () => {
    const crossSite = await listCorpora(server.adminToken, {
      origin: 'https://evil.example',
      'sec-fetch-site': 'cross-site',
      'x-forwarded-for': '203.0.113.9',
    });
    expect(crossSite.status).toBe(403);
    expect(crossSite.body.error.code).toBe('ADMIN_TOKEN_IN_BROWSER');
    expect(crossSite.headers.get('access-control-allow-origin')).toBeNull();
    const noFetchMetadata = await listCorpora(server.adminToken, {
      origin: 'https://evil.example',
      'x-forwarded-for': '203.0.113.9',
    });
    expect(noFetchMetadata.body.error.code).toBe('ADMIN_TOKEN_IN_BROWSER');
    const own = await listCorpora(server.adminToken, {
      origin: server.url,
      'sec-fetch-site': 'same-origin',
      'x-forwarded-for': '203.0.113.9',
    });
    expect(own.status).toBe(200);
    const ownOlderBrowser = await listCorpora(server.adminToken, {
      origin: server.url,
      'x-forwarded-for': '203.0.113.9',
    });
    expect(ownOlderBrowser.status).toBe(200);
  });
});
