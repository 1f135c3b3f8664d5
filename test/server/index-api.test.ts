import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';
import { expectError } from './security-suite.ts';

describe('indexing routes', () => {
  let server: TestServer;
  let corpusId: number;
  let indexKey: string;
  const post = (path: string, body: unknown) => server.query(path, body, indexKey);
  const search = async (query: string) => {
    const r = await server.admin('/v1/query', {
      query: [{ query, numResults: 20, corpusKey: [{ corpusId }] }],
    });
    return r.body.responseSet[0];
  };

  beforeAll(async () => {
    server = await startTestServer();
    corpusId = await server.createCorpus('docs');
    indexKey = (
      await server.createKey({ corpusIds: [corpusId], type: 'API_KEY_TYPE__SERVING_INDEXING' })
    ).apiKey;
  });
  afterAll(() => server.close());

  it('indexes a v1 document with nested sections and reports the quota consumed', async () => {
    const r = await post('/v1/index', {
      customer_id: String(server.customerId),
      corpus_id: String(corpusId),
      document: {
        document_id: 'guide',
        title: 'Harbour guide',
        metadata_json: JSON.stringify({ url: 'https://example.com/guide', lang: 'en' }),
        section: [
          {
            title: 'Moorings',
            text: 'Moorings are assigned at the harbour office.',
            section: [
              { text: 'Visitors moor on the east pontoon.', metadata_json: '{"deck":"east"}' },
            ],
          },
        ],
      },
    });
    expect(r.status).toBe(200);
    expect(r.body.status.code).toBe('OK');
    expect(Number(r.body.quotaConsumed.numChars)).toBeGreaterThan(40);
    const set = await search('pontoon');
    expect(set.document[0].id).toBe('guide');
    // A nested section without a heading is found under its parent's heading.
    expect(set.response[0].metadata).toEqual(
      expect.arrayContaining([
        { name: 'title', value: 'Moorings' },
        { name: 'deck', value: 'east' },
      ]),
    );
  });

  it('replaces a document re-indexed under the same id (Vectara would answer ALREADY_EXISTS)', async () => {
    const doc = (text: string) => ({
      customerId: server.customerId,
      corpusId,
      document: { documentId: 'notice', title: 'Notice', section: [{ text }] },
    });
    expect(
      (await post('/v1/index', doc('The ferry leaves at noon.'))).body.status.statusDetail,
    ).toBe('document created');
    expect(
      (await post('/v1/index', doc('The ferry leaves at noon.'))).body.status.statusDetail,
    ).toBe('document unchanged');
    expect(
      (await post('/v1/index', doc('The ferry leaves at dawn.'))).body.status.statusDetail,
    ).toBe('document updated');
    expect((await search('noon')).response).toEqual([]);
    expect((await search('dawn')).document.map((d: { id: string }) => d.id)).toEqual(['notice']);
  });

  it('indexes core documents whose parts carry context and metadata', async () => {
    const r = await post('/v1/core/index', {
      customerId: server.customerId,
      corpusId,
      document: {
        documentId: 'core-1',
        metadataJson: JSON.stringify({ title: 'Tide tables', url: 'https://example.com/tides' }),
        parts: [
          { text: 'High tide is at six.', context: 'Today', metadataJson: '{"day":1}' },
          { text: 'Low tide follows at noon plus a quarter.' },
        ],
        defaultPartContext: 'Tides',
      },
    });
    expect(r.status).toBe(200);
    const set = await search('tide');
    expect(set.document.find((d: { id: string }) => d.id === 'core-1').metadata).toEqual(
      expect.arrayContaining([{ name: 'title', value: 'Tide tables' }]),
    );
    const headings = set.response.map(
      (h: { metadata: Array<{ name: string; value: string }> }) =>
        h.metadata.find((m) => m.name === 'title')?.value,
    );
    expect(headings).toEqual(expect.arrayContaining(['Today', 'Tides']));
  });

  it('deletes a document, and says so when it is not there', async () => {
    await post('/v1/index', {
      corpusId,
      document: { documentId: 'gone', section: [{ text: 'Lighthouse keepers log the weather.' }] },
    });
    expect((await search('lighthouse')).response.length).toBe(1);
    const del = await post('/v1/delete-doc', {
      customerId: server.customerId,
      corpusId,
      documentId: 'gone',
    });
    expect(del.status).toBe(200);
    expect((await search('lighthouse')).response).toEqual([]);
    const again = await post('/v1/delete-doc', {
      customerId: server.customerId,
      corpusId,
      documentId: 'gone',
    });
    expectError(again, 404, 'DOCUMENT_NOT_FOUND');
  });

  it.each([
    [{ corpusId: 1 }, 'document'],
    [{ corpusId: 1, document: { title: 'x' } }, 'document.documentId'],
    [{ corpusId: 1, document: { documentId: '' } }, 'document.documentId'],
    [
      { corpusId: 1, document: { documentId: 'a', metadataJson: '{nope' } },
      'document.metadataJson',
    ],
    [{ corpusId: 1, document: { documentId: 'a', metadataJson: '[1]' } }, 'document.metadataJson'],
    [
      { corpusId: 1, document: { documentId: 'a', section: [{ text: 5 }] } },
      'document.section[0].text',
    ],
    [{ corpusId: 0, document: { documentId: 'a' } }, 'corpusId'],
  ])('refuses a malformed index request naming the field (%#)', async (body, field) => {
    const r = await post('/v1/index', body);
    expectError(r, 400, 'INVALID_ARGUMENT');
    expect(r.body.error.message.startsWith(`${field}:`)).toBe(true);
  });

  it('refuses sections nested too deep, and bodies over 1 MiB', async () => {
    let section: Record<string, unknown> = { text: 'deep' };
    for (let i = 0; i < 12; i++) section = { text: `level ${i}`, section: [section] };
    const deep = await post('/v1/index', {
      corpusId,
      document: { documentId: 'deep', section: [section] },
    });
    expectError(deep, 400, 'INVALID_ARGUMENT');
    const big = await post('/v1/index', {
      corpusId,
      document: { documentId: 'big', section: [{ text: 'x'.repeat(1_100_000) }] },
    });
    expectError(big, 413, 'PAYLOAD_TOO_LARGE');
  });

  it('answers 404 for a corpus that does not exist', async () => {
    const r = await server.admin('/v1/index', { corpusId: 99, document: { documentId: 'a' } });
    expectError(r, 404, 'CORPUS_NOT_FOUND');
  });
});
