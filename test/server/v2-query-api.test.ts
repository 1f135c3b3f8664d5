import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryWarnings } from '../../server/wire/v2-query.ts';
import {
  type JsonResponse,
  requestJson,
  startTestServer,
  type TestServer,
} from '../helpers/test-server.ts';
import { expectV2Shape } from '../helpers/v2-spec.ts';
import { expectError } from './security-suite.ts';

/** Vectara v2 queries on the embedded engine: every request and answer checked against the spec. */
describe('v2 query API', () => {
  let server: TestServer;
  let key: string;
  let guides: string;
  let blog: string;

  beforeAll(async () => {
    server = await startTestServer();
    const guidesId = await server.createCorpus('Guides');
    const blogId = await server.createCorpus('Blog');
    const keyOf = (id: number) => server.services.corpora.get(server.customerId, id)?.key ?? '';
    guides = keyOf(guidesId);
    blog = keyOf(blogId);
    await server.indexDocuments(guidesId, [
      {
        documentId: 'routing',
        title: 'Routing',
        metadata: { url: 'https://docs.example.com/routing', lang: 'en' },
        sections: [
          {
            title: 'Route parameters',
            text: 'Routes take parameters. A route parameter is named with a colon. Parameters are strings.',
            metadata: { anchor: 'route-parameters' },
          },
          { title: 'Middleware', text: 'Middleware runs before every route handler.' },
        ],
      },
      {
        documentId: 'routing-de',
        title: 'Routing (de)',
        metadata: { lang: 'de' },
        sections: [{ text: 'Jede Route hat Parameter: route parameters in German docs.' }],
      },
    ]);
    await server.indexDocuments(blogId, [
      {
        documentId: 'launch',
        title: 'Launch day',
        sections: [{ text: 'We launched routing with parameters and lanterns.' }],
      },
    ]);
    key = (await server.createKey({ corpusIds: [guidesId, blogId] })).apiKey;
  });
  afterAll(() => server.close());

  const v2 = async (method: string, path: string, body?: unknown): Promise<JsonResponse> => {
    if (body !== undefined && path === '/v2/query') expectV2Shape('QueryRequest', body);
    return requestJson(method, server.url + path, body, { 'x-api-key': key });
  };
  const query = (body: unknown) => v2('POST', '/v2/query', body);

  it('answers a QueryFullResponse with text, score, metadata and the corpus index', async () => {
    const r = await query({
      query: 'route parameters',
      search: { corpora: [{ corpus_key: blog }, { corpus_key: guides }], limit: 10 },
    });
    expect(r.status).toBe(200);
    expectV2Shape('QueryFullResponse', r.body);
    const [first] = r.body.search_results;
    expect(first).toMatchObject({
      document_id: 'routing',
      part_metadata: { title: 'Route parameters', anchor: 'route-parameters' },
      document_metadata: { title: 'Routing', url: 'https://docs.example.com/routing' },
      request_corpora_index: 1,
    });
    expect(first.score).toBeGreaterThan(0);
    const fromBlog = r.body.search_results.find(
      (h: { document_id: string }) => h.document_id === 'launch',
    );
    expect(fromBlog.request_corpora_index).toBe(0);
    expect(r.body.warnings).toBeUndefined();
  });

  it('pages with offset and limit', async () => {
    const search = (offset: number, limit: number) =>
      query({ query: 'route', search: { corpora: [{ corpus_key: guides }], offset, limit } });
    const all = (await search(0, 10)).body.search_results.map((h: { text: string }) => h.text);
    expect(all.length).toBeGreaterThanOrEqual(3);
    const second = (await search(1, 2)).body.search_results.map((h: { text: string }) => h.text);
    expect(second).toEqual(all.slice(1, 3));
  });

  it('cuts snippets by context_configuration, with the caller tags', async () => {
    const r = await query({
      query: 'colon',
      search: {
        corpora: [{ corpus_key: guides }],
        context_configuration: {
          sentences_before: 0,
          sentences_after: 0,
          start_tag: '<em>',
          end_tag: '</em>',
        },
      },
    });
    expect(r.body.search_results[0].text).toBe('A route parameter is named with a <em>colon</em>.');
  });

  it('filters on metadata, and names a bad filter', async () => {
    const r = await query({
      query: 'route parameters',
      search: { corpora: [{ corpus_key: guides, metadata_filter: "doc.lang = 'de'" }] },
    });
    expect(r.body.search_results.map((h: { document_id: string }) => h.document_id)).toEqual([
      'routing-de',
    ]);
    const bad = await query({
      query: 'x',
      search: { corpora: [{ corpus_key: guides, metadata_filter: "doc.lang = = 'de'" }] },
    });
    expectError(bad, 400, 'INVALID_FILTER', 'v2');
  });

  it('searches a corpus with its own query text when it has one', async () => {
    const r = await query({
      query: 'middleware',
      search: { corpora: [{ corpus_key: guides }, { corpus_key: blog, query: 'lanterns' }] },
    });
    const ids = r.body.search_results.map((h: { document_id: string }) => h.document_id);
    expect(ids).toContain('routing');
    expect(ids).toContain('launch');
  });

  it('still answers with results when a summary is asked for, with a warning', async () => {
    const r = await query({
      query: 'route parameters',
      search: { corpora: [{ corpus_key: guides }] },
      generation: { max_used_search_results: 3 },
    });
    expect(r.status).toBe(200);
    expectV2Shape('QueryFullResponse', r.body);
    expect(r.body.search_results.length).toBeGreaterThan(0);
    expect(r.body.summary).toBeUndefined();
    expect(r.body.warnings).toEqual([queryWarnings.summaryNeedsCompanion]);
    const off = await query({
      query: 'route',
      search: { corpora: [{ corpus_key: guides }] },
      generation: { enabled: false },
    });
    expect(off.body.warnings).toBeUndefined();
  });

  it('accepts rerankers it does not run and says so', async () => {
    const r = await query({
      query: 'route',
      search: {
        corpora: [{ corpus_key: guides }],
        reranker: { type: 'customer_reranker', reranker_name: 'x' },
      },
    });
    expect(r.status).toBe(200);
    expect(r.body.warnings).toEqual([queryWarnings.rerankerNotRun('customer_reranker')]);
    const none = await query({
      query: 'route',
      search: { corpora: [{ corpus_key: guides }], reranker: { type: 'none' } },
    });
    expect(none.body.warnings).toBeUndefined();
  });

  it('runs the mmr reranker: near-duplicates stop filling the page (v2, and v1 rerankingConfig)', async () => {
    const corpusId = await server.createCorpus('Dupes');
    const dupes = server.services.corpora.get(server.customerId, corpusId)?.key ?? '';
    const copies = Array.from({ length: 4 }, (_, i) => ({
      documentId: `copy-${i}`,
      title: 'Glazing',
      sections: [{ text: 'Glaze the pot, then fire the glaze in the kiln at high heat.' }],
    }));
    await server.indexDocuments(corpusId, [
      ...copies,
      {
        documentId: 'other',
        title: 'Studio safety',
        sections: [
          {
            text: 'Vents in the studio carry fumes outside, away from the windows and doors, when a glaze is fired in a kiln.',
          },
        ],
      },
    ]);
    const limited = await server.createKey({ corpusIds: [corpusId] });
    const ask = (reranker?: Record<string, unknown>) =>
      requestJson(
        'POST',
        `${server.url}/v2/query`,
        {
          query: 'glaze kiln',
          search: { corpora: [{ corpus_key: dupes }], limit: 2, ...(reranker ? { reranker } : {}) },
        },
        { 'x-api-key': limited.apiKey },
      );
    const plain = (await ask()).body.search_results.map(
      (h: { document_id: string }) => h.document_id,
    );
    expect(plain.every((id: string) => id.startsWith('copy-'))).toBe(true);
    const diverse = await ask({ type: 'mmr', diversity_bias: 0.9 });
    expect(diverse.body.warnings).toBeUndefined();
    expect(
      diverse.body.search_results.map((h: { document_id: string }) => h.document_id),
    ).toContain('other');
    const v1 = await server.query(
      '/v1/query',
      {
        query: [
          {
            query: 'glaze kiln',
            numResults: 2,
            corpusKey: [{ corpusId }],
            rerankingConfig: { rerankerId: 272725718, mmrConfig: { diversityBias: 0.9 } },
          },
        ],
      },
      limited.apiKey,
    );
    expect(v1.body.responseSet[0].document.map((d: { id: string }) => d.id)).toContain('other');
    expect(v1.body.responseSet[0].status).toEqual([]);
  });

  it('POST and GET /v2/corpora/{corpus_key}/query answer the same results', async () => {
    const post = await v2('POST', `/v2/corpora/${guides}/query`, {
      query: 'route',
      search: { limit: 3 },
    });
    expectV2Shape('QueryFullResponse', post.body);
    const get = await v2('GET', `/v2/corpora/${guides}/query?query=route&limit=3`);
    const q = await v2('GET', `/v2/corpora/${guides}/query?q=route&limit=3&offset=0`);
    expect(get.body).toEqual(post.body);
    expect(q.body).toEqual(post.body);
    expect(post.body.search_results).toHaveLength(3);
  });

  it('names every bad field in field_errors', async () => {
    // Deliberately not a valid QueryRequest: sent as is.
    const r = await requestJson(
      'POST',
      `${server.url}/v2/query`,
      {
        query: 7,
        search: { corpora: [{ corpus_key: 'bad key!' }], limit: 101, offset: -1 },
      },
      { 'x-api-key': key },
    );
    expectError(r, 400, 'INVALID_ARGUMENT', 'v2');
    expect(Object.keys(r.body.field_errors).sort()).toEqual([
      'query',
      'search.corpora[0].corpus_key',
      'search.limit',
      'search.offset',
    ]);
    expect(r.body.field_errors['search.limit']).toBe('must be at most 100');
    const get = await v2('GET', `/v2/corpora/${guides}/query?limit=5`);
    expectError(get, 400, 'INVALID_ARGUMENT', 'v2');
    expect(Object.keys(get.body.field_errors)).toEqual(['query']);
  });

  it('refuses a corpus named twice, and paging past 1 000 results', async () => {
    const twice = await query({
      query: 'route',
      search: {
        corpora: [
          { corpus_key: guides, metadata_filter: "doc.lang = 'de'" },
          { corpus_key: guides },
        ],
      },
    });
    expectError(twice, 400, 'INVALID_ARGUMENT', 'v2');
    expect(twice.body.field_errors).toHaveProperty(['search.corpora[1]']);
    const deep = await requestJson(
      'POST',
      `${server.url}/v2/query`,
      { query: 'route', search: { corpora: [{ corpus_key: guides }], offset: 950, limit: 100 } },
      { 'x-api-key': key },
    );
    expectError(deep, 400, 'INVALID_ARGUMENT', 'v2');
    expect(deep.body.field_errors['search.offset']).toMatch(/offset \+ limit must be at most 1000/);
  });

  it('answers a corpus that does not exist, a bad corpus key in a path, and unknown routes', async () => {
    const owner = await requestJson(
      'POST',
      `${server.url}/v2/query`,
      { query: 'x', search: { corpora: [{ corpus_key: 'nope' }] } },
      { 'x-api-key': server.adminToken },
    );
    expectError(owner, 404, 'CORPUS_NOT_FOUND', 'v2');
    expectError(
      await v2('GET', '/v2/corpora/bad%20key/query?query=x'),
      400,
      'INVALID_ARGUMENT',
      'v2',
    );
    expectError(await v2('GET', '/v2/nothing-here'), 404, 'NOT_FOUND', 'v2');
    const put = await requestJson('PUT', `${server.url}/v2/query`, {}, { 'x-api-key': key });
    expectError(put, 405, 'METHOD_NOT_ALLOWED', 'v2');
    expect(put.headers.get('allow')).toBe('POST, OPTIONS');
  });

  it('accepts a customer-id that matches and refuses one that does not', async () => {
    const body = { query: 'route', search: { corpora: [{ corpus_key: guides }] } };
    const ok = await requestJson('POST', `${server.url}/v2/query`, body, {
      'x-api-key': key,
      'customer-id': String(server.customerId),
    });
    expect(ok.status).toBe(200);
    const wrong = await requestJson('POST', `${server.url}/v2/query`, body, {
      'x-api-key': key,
      'customer-id': String(server.customerId + 1),
    });
    expectError(wrong, 403, 'WRONG_ACCOUNT', 'v2');
  });

  it('preflights admit the headers a client asks for, but never Authorization or Cookie', async () => {
    const r = await fetch(`${server.url}/v2/query`, {
      method: 'OPTIONS',
      headers: {
        origin: 'https://docs.example.com',
        'access-control-request-method': 'POST',
        'access-control-request-headers':
          'content-type, x-api-key, customer-id, x-vectara-client, request-timeout-millis, authorization, cookie',
      },
    });
    expect(r.status).toBe(204);
    const allowed = (r.headers.get('access-control-allow-headers') ?? '').split(', ');
    expect(allowed).toEqual(
      expect.arrayContaining(['x-vectara-client', 'request-timeout-millis', 'x-api-key']),
    );
    expect(allowed).not.toContain('authorization');
    expect(allowed).not.toContain('cookie');
    expect(r.headers.get('access-control-allow-methods')).toBe('POST');
    const get = await fetch(`${server.url}/v2/corpora/${guides}/query`, {
      method: 'OPTIONS',
      headers: { origin: 'https://docs.example.com', 'access-control-request-method': 'GET' },
    });
    expect(get.headers.get('access-control-allow-methods')).toBe('POST, GET');
    // Owner routes answer no preflight: other sites' pages cannot call them.
    const owner = await fetch(`${server.url}/v2/api_keys`, {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
    });
    expect(owner.headers.get('access-control-allow-origin')).toBeNull();
  });
});
