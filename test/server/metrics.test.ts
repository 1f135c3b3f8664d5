import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';

describe('/metrics and compressed answers', () => {
  let server: TestServer;
  let corpusId: number;
  let key: string;
  let keyId: string;
  const metricsToken = 'metrics-token-for-the-test';

  beforeAll(async () => {
    server = await startTestServer({ env: { METRICS_TOKEN: metricsToken } });
    corpusId = await server.createCorpus('c');
    const sections = Array.from({ length: 30 }, (_, i) => ({
      text: `Lantern ${i}: a lantern lights the harbour path for the night watch, every night of the year.`,
    }));
    await server.indexDocuments(corpusId, [{ documentId: 'd', title: 'Lanterns', sections }]);
    ({ apiKey: key, keyId } = await server.createKey({ corpusIds: [corpusId] }));
  });
  afterAll(() => server.close());

  const scrape = async () => {
    const r = await fetch(`${server.url}/metrics`, {
      headers: { authorization: `Bearer ${metricsToken}` },
    });
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/^text\/plain/);
    return r.text();
  };

  it('counts requests by route template and status, refusals by code, and cache use; never a secret', async () => {
    const body = { query: [{ query: 'lantern', corpusKey: [{ corpusId }] }] };
    for (let i = 0; i < 3; i++) await server.query('/v1/query', body, key);
    await server.query('/v1/query', body, `${key.slice(0, -1)}x`);
    // Read to the end: an answer is counted once the server has finished sending it.
    const v2 = await fetch(`${server.url}/v2/corpora/c_1/query?query=lantern`, {
      headers: { 'x-api-key': key },
    });
    expect(v2.status).toBe(200);
    await v2.text();
    const text = await scrape();
    expect(text).toMatch(
      /searchgate_http_requests_total\{route="\/v1\/query",method="POST",status="200"\} 3/,
    );
    expect(text).toMatch(
      /searchgate_http_requests_total\{route="\/v2\/corpora\/:corpus_key\/query",method="GET",status="200"\} 1/,
    );
    expect(text).toMatch(/searchgate_refusals_total\{code="API_KEY_UNKNOWN"\} 1/);
    expect(text).toMatch(
      /searchgate_http_request_duration_seconds_bucket\{le="0\.1",route="\/v1\/query",method="POST"\}/,
    );
    expect(text).toMatch(/searchgate_key_cache_hits_total \d+/);
    expect(text).toMatch(/searchgate_result_cache_hits_total [1-9]/);
    expect(text).toMatch(/searchgate_process_/);
    expect(text).not.toContain(key);
    expect(text).not.toContain(keyId);
    expect(text).not.toContain(server.adminToken);
    expect(text).not.toMatch(/searchgate_upstream_up/);
  });

  it('answers /metrics only with the token when METRICS_TOKEN is set', async () => {
    expect((await fetch(`${server.url}/metrics`)).status).toBe(401);
    const wrong = await fetch(`${server.url}/metrics`, {
      headers: { authorization: 'Bearer nope' },
    });
    expect(wrong.status).toBe(401);
  });

  it('compresses JSON answers of a page or more when the client accepts it', async () => {
    const r = await fetch(`${server.url}/v2/corpora/c_1/query?query=lantern&limit=30`, {
      headers: { 'x-api-key': key, 'accept-encoding': 'gzip' },
      // fetch would decode gzip itself; read the bytes as sent
      ...({ decompress: false } as object),
    });
    expect(r.headers.get('content-encoding')).toBe('gzip');
    expect(r.headers.get('vary')).toMatch(/Accept-Encoding/i);
    const raw = Buffer.from(await r.arrayBuffer());
    const text = raw[0] === 0x1f ? gunzipSync(raw).toString('utf8') : raw.toString('utf8');
    expect(JSON.parse(text).search_results).toHaveLength(30);
  });
});
