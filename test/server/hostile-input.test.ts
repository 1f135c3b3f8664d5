import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';

/** Whatever a caller sends, the answer is a 2xx or a 4xx in the error shape: never a 5xx. */
describe('hostile input never produces a 5xx', () => {
  let server: TestServer;
  let key: string;
  let corpusId: number;

  beforeAll(async () => {
    server = await startTestServer();
    corpusId = await server.createCorpus('c');
    await server.indexDocuments(corpusId, [
      {
        documentId: 'a',
        title: 'Anchor',
        metadata: { lang: 'en', year: 2020, tags: 'x' },
        sections: [
          { text: 'Anchors hold ships. "Quoted" words, NEAR and AND too.', metadata: { n: 1 } },
        ],
      },
    ]);
    // These tests send hundreds of requests a minute from one address: lift the limits.
    key = (
      await server.createKey({
        corpusIds: [corpusId],
        limits: { perMinute: 1_000_000, perIpPerMinute: 1_000_000 },
      })
    ).apiKey;
  });
  afterAll(() => server.close());

  const expectNo5xx = (r: { status: number; body: unknown }) => {
    expect(r.status, JSON.stringify(r.body).slice(0, 300)).toBeLessThan(500);
    if (r.status >= 400)
      expect((r.body as { error: { code: string } }).error.code).toMatch(/^[A-Z_]+$/);
  };

  it('over query text', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string({ unit: 'grapheme', maxLength: 200 }),
          fc.string({ unit: 'binary', maxLength: 50 }),
        ),
        async (text) => {
          const r = await server.query(
            '/v1/query',
            { query: [{ query: text, corpusKey: [{ corpusId }] }] },
            key,
          );
          expect(r.status).toBe(200);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('over metadata filters', async () => {
    const token = fc.constantFrom(
      'doc.lang',
      'part.n',
      'doc.year',
      '=',
      '!=',
      '<',
      '>=',
      'IN',
      '(',
      ')',
      ',',
      "'en'",
      '"x"',
      '2020',
      '-1.5',
      'true',
      'and',
      'or',
      'not',
      'IS',
      'NULL',
      "'",
      '\\',
      ';',
      '--',
      'doc.',
      'x',
    );
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.array(token, { maxLength: 12 }).map((t) => t.join(' ')),
          fc.string({ maxLength: 60 }),
        ),
        async (filter) => {
          const r = await server.query(
            '/v1/query',
            { query: [{ query: 'anchor', corpusKey: [{ corpusId, metadataFilter: filter }] }] },
            key,
          );
          expectNo5xx(r);
          if (r.status !== 200) expect(r.body.error.code).toBe('INVALID_FILTER');
        },
      ),
      { numRuns: 300 },
    );
  });

  it('over whole request bodies', async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue({ maxDepth: 5 }), async (body) => {
        expectNo5xx(await server.query('/v1/query', JSON.stringify(body), key));
        expectNo5xx(await server.admin('/v1/index', body));
        expectNo5xx(await server.admin('/v1/create-api-key', body));
      }),
      { numRuns: 150 },
    );
  });

  it('over bodies shaped like real requests with wrong types in every field', async () => {
    const anything = fc.oneof(
      fc.string(),
      fc.integer(),
      fc.double(),
      fc.boolean(),
      fc.constant(null),
      fc.array(fc.integer(), { maxLength: 3 }),
      fc.object({ maxDepth: 1 }),
    );
    await fc.assert(
      fc.asyncProperty(
        anything,
        anything,
        anything,
        anything,
        anything,
        async (text, start, num, corpus, ctx) => {
          const body = {
            query: [
              {
                query: text,
                start,
                numResults: num,
                contextConfig: { charsBefore: ctx, startTag: ctx },
                corpusKey: [{ corpusId: corpus, metadataFilter: text }],
              },
            ],
          };
          expectNo5xx(await server.query('/v1/query', body, key));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('over deeply nested JSON and prototype-polluting keys', async () => {
    const deep = `${'['.repeat(5_000)}${']'.repeat(5_000)}`;
    expectNo5xx(await server.query('/v1/query', `{"query": ${deep}}`, key));
    const polluted =
      '{"__proto__": {"admin": true}, "query": [{"query": "anchor", "corpus_key": [{"corpus_id": 1, "__proto__": {"x": 1}}]}]}';
    const r = await server.query('/v1/query', polluted, key);
    expect(r.status).toBe(200);
    expect(({} as Record<string, unknown>).admin).toBeUndefined();
  });
});
