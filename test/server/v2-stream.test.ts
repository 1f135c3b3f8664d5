import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryWarnings } from '../../server/wire/v2-query.ts';
import { readEventStream } from '../helpers/event-stream-reader.ts';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';
import { expectV2Shape } from '../helpers/v2-spec.ts';

/** `stream_response: true`: server-sent events as Vectara's v2 streams them. */
describe('v2 streamed queries', () => {
  let server: TestServer;
  let corpusKey: string;
  let keyId: string;
  let key: string;

  beforeAll(async () => {
    server = await startTestServer();
    const corpusId = await server.createCorpus('Docs');
    corpusKey = server.services.corpora.get(server.customerId, corpusId)?.key ?? '';
    await server.indexDocuments(corpusId, [
      {
        documentId: 'kiln',
        title: 'Kilns',
        sections: [{ text: 'The kiln fires pottery.' }, { text: 'A kiln needs air.' }],
      },
    ]);
    ({ keyId, apiKey: key } = await server.createKey({
      corpusIds: [corpusId],
      allowedOrigins: ['https://docs.example.com'],
    }));
  });
  afterAll(() => server.close());

  const stream = (body: Record<string, unknown> = {}) => {
    const request = {
      query: 'kiln',
      search: { corpora: [{ corpus_key: corpusKey }], limit: 5 },
      stream_response: true,
      ...body,
    };
    expectV2Shape('QueryRequest', request);
    return fetch(`${server.url}/v2/query`, {
      method: 'POST',
      headers: {
        'x-api-key': key,
        'content-type': 'application/json',
        origin: 'https://docs.example.com',
      },
      body: JSON.stringify(request),
    });
  };

  it('streams the search results, then the end, each a spec-shaped event', async () => {
    const response = await stream();
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(response.headers.get('cache-control')).toMatch(/no-cache/);
    expect(response.headers.get('access-control-allow-origin')).toBe('https://docs.example.com');
    const events = await readEventStream(response);
    expect(events.map((e) => e.event)).toEqual(['search_results', 'end']);
    for (const { event, data } of events) {
      expectV2Shape('QueryStreamedResponse', data);
      expect((data as { type: string }).type).toBe(event);
    }
    const first = events[0]?.data as { search_results: Array<{ document_id: string }> } | undefined;
    const results = first?.search_results ?? [];
    expect(results.map((r) => r.document_id)).toEqual(['kiln', 'kiln']);
  });

  it('says in the search results event that a summary needs companion mode', async () => {
    const events = await readEventStream(await stream({ generation: {} }));
    expect(events.map((e) => e.event)).toEqual(['search_results', 'end']);
    expect((events[0]?.data as { warnings?: string[] } | undefined)?.warnings).toEqual([
      queryWarnings.summaryNeedsCompanion,
    ]);
  });

  it('refuses with a JSON error before any event when the query is wrong', async () => {
    const response = await stream({ search: { corpora: [{ corpus_key: 'elsewhere' }] } });
    expect(response.status).toBe(403);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(((await response.json()) as { code: string }).code).toBe('CORPUS_NOT_ALLOWED');
  });

  it('a key disabled while a visitor is searching is refused on its next stream', async () => {
    expect((await readEventStream(await stream())).map((e) => e.event)).toEqual([
      'search_results',
      'end',
    ]);
    await server.setKeyEnabled(keyId, false);
    const refused = await stream();
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { code: string }).code).toBe('KEY_DISABLED');
    // The widget can read the refusal cross-origin and say "unavailable".
    expect(refused.headers.get('access-control-allow-origin')).toBe('https://docs.example.com');
    await server.setKeyEnabled(keyId, true);
    expect((await stream()).status).toBe(200);
  });

  it('a visitor who goes away mid-stream costs nothing further and breaks nothing', async () => {
    const aborter = new AbortController();
    const response = await fetch(`${server.url}/v2/query`, {
      method: 'POST',
      headers: { 'x-api-key': key, 'content-type': 'application/json' },
      body: JSON.stringify({
        query: 'kiln',
        search: { corpora: [{ corpus_key: corpusKey }] },
        stream_response: true,
      }),
      signal: aborter.signal,
    });
    aborter.abort();
    await response.body?.cancel().catch(() => {});
    const next = await readEventStream(await stream());
    expect(next.map((e) => e.event)).toEqual(['search_results', 'end']);
  });
});
