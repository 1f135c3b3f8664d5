import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../server/logger.ts';
import { readEventStream } from '../helpers/event-stream-reader.ts';
import { requestJson, startTestServer, type TestServer } from '../helpers/test-server.ts';
import { expectV2Shape } from '../helpers/v2-spec.ts';
import { expectError } from './security-suite.ts';

/**
 * A scripted upstream plays every way Vectara can fail, and the generation event sequence its
 * v2 spec documents. Each fault has its own code and never hangs; the server-held key and the
 * upstream's address never appear in an answer, a header or a log line.
 */
const upstreamKey = 'zqt_UPSTREAM_SECRET_aB3dE5fG7hJ9kL1mN3pQ5rS7tU9';

type Script = (req: IncomingMessage, res: ServerResponse) => void;

const sse = (res: ServerResponse, event: Record<string, unknown>) =>
  res.write(`event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`);
const hit = {
  text: 'Forty-two.',
  score: 0.9,
  part_metadata: { title: 'The answer' },
  document_metadata: { title: 'Life', url: 'https://docs.example.com/life' },
  document_id: 'life',
  request_corpora_index: 0,
};

describe('companion mode faults', () => {
  let upstream: Server;
  let upstreamUrl: string;
  let script: Script;
  let seen: IncomingMessage[];
  let closedRequests = 0;
  let gateway: TestServer;
  let key: string;
  const logs: string[] = [];
  const answers: string[] = [];

  beforeAll(async () => {
    upstream = createServer((req, res) => {
      seen.push(req);
      req.on('close', () => {
        if (!res.writableFinished) closedRequests++;
      });
      req.resume();
      req.on('end', () => script(req, res));
    });
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
    upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
    const sink = new Writable({
      write(chunk, _encoding, done) {
        logs.push(chunk.toString());
        done();
      },
    });
    gateway = await startTestServer({
      env: { UPSTREAM_URL: upstreamUrl, UPSTREAM_API_KEY: upstreamKey, UPSTREAM_TIMEOUT_MS: '400' },
      logger: createLogger('debug', sink),
    });
    await requestJson(
      'POST',
      `${gateway.url}/v2/corpora`,
      { key: 'docs', upstream_corpus_key: 'vectara-docs' },
      { 'x-api-key': gateway.adminToken },
    );
    const corpusId = gateway.services.corpora.getByKey(gateway.customerId, 'docs')?.corpusId ?? 0;
    key = (await gateway.createKey({ corpusIds: [corpusId] })).apiKey;
  });
  beforeEach(() => {
    seen = [];
  });
  afterAll(async () => {
    await gateway?.close();
    upstream.closeAllConnections();
    await new Promise((resolve) => upstream.close(resolve));
    // Nothing the gateway said, in answers or logs, carries the key or where Vectara is.
    const everything = [...answers, ...logs].join('\n');
    expect(everything).not.toContain(upstreamKey);
    expect(everything).not.toContain(upstreamUrl);
    expect(everything).not.toContain(
      new URL(upstreamUrl).port.length > 0 ? `:${new URL(upstreamUrl).port}` : '@@',
    );
  });

  const remember = async (response: Response) => {
    const text = await response.text();
    answers.push(text, JSON.stringify([...response.headers]));
    return text;
  };
  const query = async (body: Record<string, unknown> = {}) => {
    const response = await fetch(`${gateway.url}/v2/query`, {
      method: 'POST',
      headers: { 'x-api-key': key, 'content-type': 'application/json' },
      body: JSON.stringify({
        query: 'life',
        search: { corpora: [{ corpus_key: 'docs' }] },
        ...body,
      }),
    });
    const text = await remember(response);
    return { status: response.status, headers: response.headers, body: JSON.parse(text) };
  };
  const v1 = async () => {
    const corpusId = gateway.services.corpora.getByKey(gateway.customerId, 'docs')?.corpusId;
    const r = await gateway.query(
      '/v1/query',
      { query: [{ query: 'life', corpusKey: [{ corpusId }] }] },
      key,
    );
    answers.push(JSON.stringify(r.body), JSON.stringify([...r.headers]));
    return r;
  };

  it('answers a well-behaved upstream (the control)', async () => {
    script = (_req, res) =>
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ search_results: [hit] }));
    const r = await query();
    expect(r.status).toBe(200);
    expect(r.body.search_results[0].document_id).toBe('life');
    expect(seen[0]?.headers['x-api-key']).toBe(upstreamKey);
  });

  it('an upstream that does not answer in time is a 504', async () => {
    script = () => {};
    const started = Date.now();
    expectError(await query(), 504, 'UPSTREAM_TIMEOUT', 'v2');
    expectError(await v1(), 504, 'UPSTREAM_TIMEOUT');
    expect(Date.now() - started).toBeLessThan(20_000);
  });

  it('an answer that drips in slower than its deadline is a 504, not a late 200', async () => {
    script = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const text = JSON.stringify({ search_results: [hit] });
      let at = 0;
      const drip = setInterval(() => {
        if (at >= text.length || res.destroyed) {
          clearInterval(drip);
          res.end();
          return;
        }
        res.write(text.slice(at, at + 4));
        at += 4;
      }, 100);
    };
    expectError(await query(), 504, 'UPSTREAM_TIMEOUT', 'v2');
  });

  it('a linked corpus missing on Vectara is a 502 the operator hears of', async () => {
    script = (_req, res) =>
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"messages":["no corpus"]}');
    expectError(await query(), 502, 'UPSTREAM_CORPUS_MISSING', 'v2');
    expect(logs.join('\n')).toMatch(/no corpus under a linked corpus key/);
  });

  it('a 500 (whose body carries the key and the URL) is a 502 that carries neither', async () => {
    script = (_req, res) =>
      res.writeHead(500, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          messages: [`boom with ${upstreamKey} at ${upstreamUrl}`],
          request_id: 'vreq-1',
        }),
      );
    const r = await query();
    expectError(r, 502, 'UPSTREAM_UNAVAILABLE', 'v2');
  });

  it('a connection reset is a 502', async () => {
    script = (req) => req.socket.destroy();
    expectError(await query(), 502, 'UPSTREAM_UNAVAILABLE', 'v2');
  });

  it('a refused connection is a 502, and a never-set-up upstream too', async () => {
    const nowhere = await startTestServer({
      env: {
        UPSTREAM_URL: 'http://127.0.0.1:9',
        UPSTREAM_API_KEY: upstreamKey,
        UPSTREAM_TIMEOUT_MS: '400',
      },
    });
    try {
      await requestJson(
        'POST',
        `${nowhere.url}/v2/corpora`,
        { key: 'docs', upstream_corpus_key: 'x' },
        { 'x-api-key': nowhere.adminToken },
      );
      const r = await requestJson(
        'POST',
        `${nowhere.url}/v2/query`,
        { query: 'x', search: { corpora: [{ corpus_key: 'docs' }] } },
        { 'x-api-key': nowhere.adminToken },
      );
      answers.push(JSON.stringify(r.body));
      expectError(r, 502, 'UPSTREAM_UNAVAILABLE', 'v2');
    } finally {
      await nowhere.close();
    }
  });

  it('a refused server key is a 502 for the visitor, a loud line for the operator, and /healthz says so', async () => {
    script = (_req, res) =>
      res
        .writeHead(401, { 'content-type': 'application/json' })
        .end(JSON.stringify({ messages: ['bad key'] }));
    expectError(await query(), 502, 'UPSTREAM_AUTH_FAILED', 'v2');
    expectError(await query({ stream_response: true }), 502, 'UPSTREAM_AUTH_FAILED', 'v2');
    const health = await fetch(`${gateway.url}/healthz`).then((r) => r.json());
    expect(health).toMatchObject({ status: 'degraded', upstream: 'failing', reason: 'auth' });
    expect(logs.join('\n')).toMatch(/Vectara refused this server's key \(UPSTREAM_API_KEY\)/);
    script = (_req, res) =>
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ search_results: [] }));
    expect((await query()).status).toBe(200);
    expect(await fetch(`${gateway.url}/healthz`).then((r) => r.json())).toMatchObject({
      status: 'ok',
      upstream: 'ok',
    });
  });

  it("Vectara's 429 is a 429 with its Retry-After", async () => {
    script = (_req, res) => res.writeHead(429, { 'retry-after': '7' }).end();
    const r = await query();
    expectError(r, 429, 'UPSTREAM_RATE_LIMITED', 'v2');
    expect(r.headers.get('retry-after')).toBe('7');
  });

  it('garbage, or JSON of the wrong shape, is a 502', async () => {
    script = (_req, res) =>
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"search_results": [');
    expectError(await query(), 502, 'UPSTREAM_BAD_RESPONSE', 'v2');
    script = (_req, res) =>
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"search_results": "many"}');
    expectError(await query(), 502, 'UPSTREAM_BAD_RESPONSE', 'v2');
    expectError(await v1(), 502, 'UPSTREAM_BAD_RESPONSE');
  });

  it('relays the generation sequence of the v2 spec event by event, as it arrives', async () => {
    let release: () => void = () => {};
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    script = (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      sse(res, { type: 'search_results', search_results: [hit] });
      // The rest waits until the visitor has the first event: buffering would deadlock here.
      void released.then(() => {
        sse(res, { type: 'generation_info', rendered_prompt: 'p' });
        for (const chunk of ['Forty', '-two', ' [1].'])
          sse(res, { type: 'generation_chunk', generation_chunk: chunk });
        sse(res, { type: 'generation_end' });
        sse(res, { type: 'factual_consistency_score', factual_consistency_score: 0.81 });
        sse(res, { type: 'end' });
        res.end();
      });
    };
    const response = await fetch(`${gateway.url}/v2/query`, {
      method: 'POST',
      headers: { 'x-api-key': key, 'content-type': 'application/json' },
      body: JSON.stringify({
        query: 'life',
        search: { corpora: [{ corpus_key: 'docs' }] },
        generation: { max_used_search_results: 1 },
        stream_response: true,
      }),
    });
    const events = await readEventStream(response, (e) => {
      if (e.event === 'search_results') release();
    });
    expect(events.map((e) => e.event)).toEqual([
      'search_results',
      'generation_info',
      'generation_chunk',
      'generation_chunk',
      'generation_chunk',
      'generation_end',
      'factual_consistency_score',
      'end',
    ]);
    for (const e of events) expectV2Shape('QueryStreamedResponse', e.data);
    answers.push(JSON.stringify(events));
    expect(
      events.map((e) => (e.data as { generation_chunk?: string }).generation_chunk ?? '').join(''),
    ).toBe('Forty-two [1].');
  });

  it('a stream cut mid-way ends with an error event', async () => {
    script = (req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      sse(res, { type: 'search_results', search_results: [hit] });
      sse(res, { type: 'generation_chunk', generation_chunk: 'Forty' });
      setTimeout(() => req.socket.destroy(), 20);
    };
    const response = await fetch(`${gateway.url}/v2/query`, {
      method: 'POST',
      headers: { 'x-api-key': key, 'content-type': 'application/json' },
      body: JSON.stringify({
        query: 'life',
        search: { corpora: [{ corpus_key: 'docs' }] },
        stream_response: true,
      }),
    });
    const events = await readEventStream(response);
    answers.push(JSON.stringify(events));
    expect(events.map((e) => e.event)).toEqual(['search_results', 'generation_chunk', 'error']);
    expect(events[2]?.data).toMatchObject({ type: 'error', code: 'UPSTREAM_BAD_RESPONSE' });
    expectV2Shape('QueryStreamedResponse', events[2]?.data);
  });

  it("Vectara's own error event ends the stream: one error, then the end", async () => {
    script = (req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      sse(res, { type: 'search_results', search_results: [hit] });
      sse(res, { type: 'error', messages: [`generation failed for ${upstreamKey}`] });
      setTimeout(() => req.socket.destroy(), 20);
    };
    const response = await fetch(`${gateway.url}/v2/query`, {
      method: 'POST',
      headers: { 'x-api-key': key, 'content-type': 'application/json' },
      body: JSON.stringify({
        query: 'life',
        search: { corpora: [{ corpus_key: 'docs' }] },
        stream_response: true,
      }),
    });
    const events = await readEventStream(response);
    answers.push(JSON.stringify(events));
    expect(events.map((e) => e.event)).toEqual(['search_results', 'error']);
    expect(JSON.stringify(events)).not.toContain(upstreamKey);
  });

  it('a visitor who stops reading is cut off, and Vectara with them', async () => {
    const before = closedRequests;
    const big = { ...hit, text: 'x'.repeat(200_000) };
    script = (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      const pump = setInterval(() => {
        if (res.destroyed) return clearInterval(pump);
        sse(res, { type: 'search_results', search_results: [big] });
      }, 5);
    };
    const response = await fetch(`${gateway.url}/v2/query`, {
      method: 'POST',
      headers: { 'x-api-key': key, 'content-type': 'application/json' },
      body: JSON.stringify({
        query: 'life',
        search: { corpora: [{ corpus_key: 'docs' }] },
        stream_response: true,
      }),
    });
    expect(response.status).toBe(200);
    // Read nothing: the gateway's buffers fill, then after UPSTREAM_TIMEOUT_MS it lets go.
    await expect.poll(() => closedRequests, { timeout: 15_000 }).toBeGreaterThan(before);
    await response.body?.cancel().catch(() => {});
  });

  it('holds at most four streams open per visitor', async () => {
    script = (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      sse(res, { type: 'search_results', search_results: [hit] });
    };
    const open = () =>
      fetch(`${gateway.url}/v2/query`, {
        method: 'POST',
        headers: { 'x-api-key': key, 'content-type': 'application/json' },
        body: JSON.stringify({
          query: 'life',
          search: { corpora: [{ corpus_key: 'docs' }] },
          stream_response: true,
        }),
      });
    const held = [];
    for (let i = 0; i < 4; i++) held.push(await open());
    const fifth = await open();
    expect(fifth.status).toBe(429);
    expect(((await fifth.json()) as { code: string }).code).toBe('RATE_LIMITED');
    for (const r of held) await r.body?.cancel().catch(() => {});
    await expect
      .poll(
        async () =>
          await open().then(async (r) => {
            await r.body?.cancel().catch(() => {});
            return r.status;
          }),
        { timeout: 5_000 },
      )
      .toBe(200);
  });

  it('a visitor who leaves before the answer is not an error in the log', async () => {
    script = () => {};
    const errorsBefore = logs.filter((l) => JSON.parse(l).level >= 50).length;
    const closedBefore = closedRequests;
    const aborter = new AbortController();
    const pending = fetch(`${gateway.url}/v2/query`, {
      method: 'POST',
      headers: { 'x-api-key': key, 'content-type': 'application/json' },
      body: JSON.stringify({ query: 'life', search: { corpora: [{ corpus_key: 'docs' }] } }),
      signal: aborter.signal,
    }).catch(() => null);
    await expect.poll(() => seen.length, { timeout: 5_000 }).toBeGreaterThan(0);
    aborter.abort();
    await pending;
    // The gateway has handled the abort once Vectara's request is closed; a request after it
    // is answered (and logged) after that.
    await expect.poll(() => closedRequests, { timeout: 5_000 }).toBeGreaterThan(closedBefore);
    script = (_req, res) =>
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ search_results: [] }));
    expect((await query()).status).toBe(200);
    expect(logs.filter((l) => JSON.parse(l).level >= 50).length).toBe(errorsBefore);
  });

  it('a visitor who leaves mid-stream aborts the upstream request', async () => {
    const before = closedRequests;
    script = (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      sse(res, { type: 'search_results', search_results: [hit] });
      // …and then Vectara thinks for a long time.
    };
    const aborter = new AbortController();
    const response = await fetch(`${gateway.url}/v2/query`, {
      method: 'POST',
      headers: { 'x-api-key': key, 'content-type': 'application/json' },
      body: JSON.stringify({
        query: 'life',
        search: { corpora: [{ corpus_key: 'docs' }] },
        stream_response: true,
      }),
      signal: aborter.signal,
    });
    const reader = response.body?.getReader();
    await reader?.read();
    aborter.abort();
    await expect.poll(() => closedRequests, { timeout: 5_000 }).toBeGreaterThan(before);
  });
});
