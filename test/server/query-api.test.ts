import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postJson, startTestServer, type TestServer } from '../helpers/test-server.ts';
import { expectError } from './security-suite.ts';

describe('POST /v1/query', () => {
  let server: TestServer;
  let guides: number;
  let blog: number;
  let key: string;
  const q = (body: unknown, headers: Record<string, string> = {}) =>
    server.query('/v1/query', body, key, headers);
  const one = (query: string, extra: Record<string, unknown> = {}, corpora = [guides]) => ({
    query: [{ query, corpusKey: corpora.map((corpusId) => ({ corpusId })), ...extra }],
  });

  beforeAll(async () => {
    server = await startTestServer();
    guides = await server.createCorpus('guides');
    blog = await server.createCorpus('blog');
    await server.indexDocuments(guides, [
      {
        documentId: 'routing',
        title: 'Routing guide',
        metadata: { url: 'https://example.com/routing', lang: 'en', year: 2024 },
        sections: [
          {
            title: 'Basic routing',
            text: 'Routing refers to how an application responds to a client request.',
          },
          {
            title: 'Route paths',
            text: 'Route paths, with a request method, define endpoints.',
            metadata: { level: 2 },
          },
        ],
      },
      {
        documentId: 'limits',
        title: 'Rate limiting',
        metadata: { url: 'https://example.com/limits', lang: 'de', year: 2022 },
        sections: [
          {
            title: 'Limits',
            text: 'Rate limiting protects an application from abuse. Each client gets a budget.',
          },
        ],
      },
    ]);
    await server.indexDocuments(blog, [
      {
        documentId: 'post-1',
        title: 'Why we route requests',
        metadata: { url: 'https://example.com/blog/1' },
        sections: [{ text: 'A story about routing requests across regions.' }],
      },
    ]);
    key = (await server.createKey({ corpusIds: [guides, blog] })).apiKey;
  });
  afterAll(() => server.close());

  it('answers in the v1 shape with document metadata in document[]', async () => {
    const r = await q(one('routing'));
    expect(r.status).toBe(200);
    const set = r.body.responseSet[0];
    expect(set.response.length).toBeGreaterThan(0);
    const hit = set.response[0];
    expect(Object.keys(hit).sort()).toEqual([
      'corpusKey',
      'documentIndex',
      'metadata',
      'score',
      'text',
    ]);
    expect(hit.corpusKey).toEqual({ customerId: server.customerId, corpusId: guides });
    const doc = set.document[hit.documentIndex];
    expect(doc.id).toBe('routing');
    expect(doc.metadata).toEqual(
      expect.arrayContaining([
        { name: 'title', value: 'Routing guide' },
        { name: 'url', value: 'https://example.com/routing' },
        { name: 'year', value: '2024' },
      ]),
    );
    const headings = set.response.map(
      (h: { metadata: Array<{ name: string; value: string }> }) =>
        h.metadata.find((m) => m.name === 'title')?.value,
    );
    expect(headings).toEqual(expect.arrayContaining(['Basic routing', 'Route paths']));
    expect(set.status).toEqual([]);
    expect(r.body.status).toEqual([]);
  });

  it('finds partial words while typing and wraps matches in the tags asked for', async () => {
    const r = await q(
      one('rout', {
        contextConfig: { startTag: '<em>', endTag: '</em>', charsBefore: 30, charsAfter: 30 },
      }),
    );
    const texts: string[] = r.body.responseSet[0].response.map((h: { text: string }) => h.text);
    expect(texts.length).toBeGreaterThan(0);
    expect(texts.join(' ')).toMatch(/<em>rout\w*<\/em>/i);
  });

  it('accepts snake_case and numeric strings as proto-JSON allows', async () => {
    const camel = await q({
      query: [{ query: 'routing', numResults: 1, corpusKey: [{ corpusId: guides }] }],
    });
    const snake = await q({
      query: [
        {
          query: 'routing',
          num_results: '1',
          corpus_key: [{ customer_id: String(server.customerId), corpus_id: String(guides) }],
        },
      ],
    });
    expect(snake.status).toBe(200);
    expect(snake.body.responseSet[0].response).toEqual(camel.body.responseSet[0].response);
    expect(snake.body.responseSet[0].response).toHaveLength(1);
  });

  it('answers a batch with one response set per query, in order', async () => {
    const r = await q({
      query: [
        { query: 'rate limiting', corpusKey: [{ corpusId: guides }] },
        { query: 'zzzznothing', corpusKey: [{ corpusId: guides }] },
        { query: 'routing', corpusKey: [{ corpusId: blog }] },
      ],
    });
    expect(r.body.responseSet).toHaveLength(3);
    expect(r.body.responseSet[0].document[0].id).toBe('limits');
    expect(r.body.responseSet[1].response).toEqual([]);
    expect(r.body.responseSet[2].document.map((d: { id: string }) => d.id)).toEqual(['post-1']);
  });

  it('merges several corpora by score', async () => {
    const r = await q(one('routing requests', {}, [guides, blog]));
    const set = r.body.responseSet[0];
    const corpora = new Set(
      set.response.map((h: { corpusKey: { corpusId: number } }) => h.corpusKey.corpusId),
    );
    expect(corpora).toEqual(new Set([guides, blog]));
    const scores = set.response.map((h: { score: number }) => h.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
  });

  it('pages with start and numResults', async () => {
    const all = (await q(one('routing', { numResults: 10 }))).body.responseSet[0].response;
    expect(all.length).toBeGreaterThanOrEqual(2);
    const second = (await q(one('routing', { start: 1, numResults: 1 }))).body.responseSet[0]
      .response;
    expect(second).toEqual([all[1]]);
  });

  it('filters on document and part metadata', async () => {
    const byLang = await q({
      query: [
        {
          query: 'application',
          corpusKey: [{ corpusId: guides, metadataFilter: "doc.lang = 'de'" }],
        },
      ],
    });
    expect(byLang.body.responseSet[0].document.map((d: { id: string }) => d.id)).toEqual([
      'limits',
    ]);
    const byPart = await q({
      query: [
        { query: 'route', corpusKey: [{ corpusId: guides, metadataFilter: 'part.level >= 2' }] },
      ],
    });
    const titles = byPart.body.responseSet[0].response.map(
      (h: { metadata: Array<{ name: string; value: string }> }) =>
        h.metadata.find((m) => m.name === 'title')?.value,
    );
    expect(titles).toEqual(['Route paths']);
  });

  it('names the position of a filter that does not parse', async () => {
    const r = await q({
      query: [
        { query: 'x', corpusKey: [{ corpusId: guides, metadataFilter: "doc.lang = = 'de'" }] },
      ],
    });
    expectError(r, 400, 'INVALID_FILTER');
    expect(r.body.error.message).toMatch(/position \d+/);
  });

  it('says which v1 fields it ignored instead of refusing the request', async () => {
    const r = await q(
      one('routing', {
        summary: [{ maxSummarizedResults: 3, responseLang: 'en' }],
        rerankingConfig: { rerankerId: 272725717 },
      }),
    );
    expect(r.status).toBe(200);
    const details = r.body.responseSet[0].status
      .map((s: { statusDetail: string }) => s.statusDetail)
      .join(' ');
    expect(details).toContain('summary');
    expect(details).toContain('rerankingConfig');
    expect(r.body.responseSet[0].response.length).toBeGreaterThan(0);
  });

  it.each([
    [
      { query: [{ query: 'x', numResults: 101, corpusKey: [{ corpusId: 1 }] }] },
      'query[0].numResults',
    ],
    [
      { query: [{ query: 'x', numResults: 0, corpusKey: [{ corpusId: 1 }] }] },
      'query[0].numResults',
    ],
    [{ query: [{ query: 'x', start: -1, corpusKey: [{ corpusId: 1 }] }] }, 'query[0].start'],
    [{ query: [{ corpusKey: [{ corpusId: 1 }] }] }, 'query[0].query'],
    [{ query: [{ query: 'x' }] }, 'query[0].corpusKey'],
    [{ query: [{ query: 'x', corpusKey: [] }] }, 'query[0].corpusKey'],
    [
      { query: [{ query: 'x', corpusKey: [{ corpusId: 'abc' }] }] },
      'query[0].corpusKey[0].corpusId',
    ],
    [{ query: [] }, 'query'],
    [{}, 'query'],
    [{ query: 'just a string' }, 'query'],
    [{ query: [{ query: 'x'.repeat(10_001), corpusKey: [{ corpusId: 1 }] }] }, 'query[0].query'],
  ])('refuses a bad request naming the field (%#)', async (body, field) => {
    const r = await q(body);
    expectError(r, 400, 'INVALID_ARGUMENT');
    expect(r.body.error.message.startsWith(`${field}:`)).toBe(true);
  });

  it('answers 404 for a corpus that does not exist', async () => {
    const admin = await server.admin('/v1/query', one('x', {}, [77]));
    expectError(admin, 404, 'CORPUS_NOT_FOUND');
  });

  it('searches hostile query text as plain words', async () => {
    for (const text of [
      '"unbalanced',
      'rout*',
      'NEAR(a b)',
      'a AND OR NOT b',
      '^:-()',
      '🦄 routing',
      'x'.repeat(10_000),
    ]) {
      const r = await q(one(text));
      expect(r.status, text.slice(0, 20)).toBe(200);
    }
  });

  it('refuses bodies that are not JSON objects, too large, or of another type', async () => {
    const url = `${server.url}/v1/query`;
    const headers = { 'x-api-key': key, 'customer-id': String(server.customerId) };
    expectError(await postJson(url, '{"query": [', headers), 400, 'INVALID_JSON');
    expectError(await postJson(url, '[1,2]', headers), 400, 'INVALID_JSON');
    expectError(
      await postJson(url, JSON.stringify(one('x'.repeat(70_000))), headers),
      413,
      'PAYLOAD_TOO_LARGE',
    );
    expectError(
      await postJson(url, '<query/>', { ...headers, 'content-type': 'application/xml' }),
      415,
      'UNSUPPORTED_MEDIA_TYPE',
    );
  });

  it('answers 405 for other methods and 404 for unknown paths, in the error shape', async () => {
    const get = await fetch(`${server.url}/v1/query`);
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toContain('POST');
    expect((await get.json()).error.code).toBe('METHOD_NOT_ALLOWED');
    const missing = await fetch(`${server.url}/v1/nothing-here`, { method: 'POST' });
    expect(missing.status).toBe(404);
    expect((await missing.json()).error.code).toBe('NOT_FOUND');
  });

  it('sets helmet headers and a request id on every answer', async () => {
    const r = await q(one('routing'));
    expect(r.headers.get('x-content-type-options')).toBe('nosniff');
    expect(r.headers.get('strict-transport-security')).toBeTruthy();
    expect(r.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(r.headers.get('x-powered-by')).toBeNull();
  });

  it('answers CORS preflights for the widget headers but never for Authorization', async () => {
    const r = await fetch(`${server.url}/v1/query`, {
      method: 'OPTIONS',
      headers: {
        origin: 'https://docs.example.com',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type, x-api-key, customer-id',
      },
    });
    expect(r.status).toBe(204);
    expect(r.headers.get('access-control-allow-origin')).toBe('https://docs.example.com');
    const allowed = r.headers.get('access-control-allow-headers') ?? '';
    expect(allowed).toContain('x-api-key');
    expect(allowed).not.toContain('authorization');
  });
});
