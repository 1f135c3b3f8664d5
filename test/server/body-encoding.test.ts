import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';

/** Compressed request bodies: decoded when they can be, a clear 4xx (never a 500) when not. */
describe('request body content encodings', () => {
  let server: TestServer;
  let key: string;
  let corpusId: number;
  const body = () => JSON.stringify({ query: [{ query: 'lantern', corpusKey: [{ corpusId }] }] });

  beforeAll(async () => {
    server = await startTestServer();
    corpusId = await server.createCorpus('c');
    await server.indexDocuments(corpusId, [
      { documentId: 'a', title: 'Lanterns', sections: [{ text: 'A lantern lights the way.' }] },
    ]);
    key = (await server.createKey({ corpusIds: [corpusId] })).apiKey;
  });
  afterAll(() => server.close());

  const send = async (encoding: string, payload: Buffer) => {
    const response = await fetch(`${server.url}/v1/query`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'content-encoding': encoding,
        'x-api-key': key,
        'customer-id': String(server.customerId),
      },
      body: new Uint8Array(payload),
    });
    return { status: response.status, body: await response.json() };
  };

  it.each([
    ['gzip', zlib.gzipSync],
    ['x-gzip', zlib.gzipSync],
    ['deflate', zlib.deflateSync],
    ['br', zlib.brotliCompressSync],
  ] as const)('decodes %s', async (encoding, compress) => {
    const r = await send(encoding, compress(Buffer.from(body())));
    expect(r.status).toBe(200);
    expect(r.body.responseSet[0].response).toHaveLength(1);
  });

  it.each([
    ['gzip', () => Buffer.from('this is not gzip')],
    ['gzip', () => zlib.gzipSync(Buffer.from(body())).subarray(0, 12)],
    ['deflate', () => Buffer.from('zzzzzzzz')],
    ['br', () => Buffer.from('garbage that is not brotli')],
  ])('a corrupt %s body is a 400 INVALID_ENCODING', async (encoding, payload) => {
    const r = await send(encoding, payload());
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('INVALID_ENCODING');
    expect(r.body.error.message).toMatch(/could not be decompressed/);
  });

  it.each(['compress', 'gzip, br', 'zstd-unknown'])(
    'an encoding it cannot decode (%s) is a 415 that names Content-Encoding',
    async (encoding) => {
      const r = await send(encoding, zlib.gzipSync(Buffer.from(body())));
      expect(r.status).toBe(415);
      expect(r.body.error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
      expect(r.body.error.message).toMatch(/Content-Encoding/);
    },
  );

  it('the size limit applies to the decoded body (a small bomb is refused)', async () => {
    const bomb = zlib.gzipSync(Buffer.from(`{"query":"${'a'.repeat(2_000_000)}"}`));
    expect(bomb.length).toBeLessThan(64 * 1024);
    const r = await send('gzip', bomb);
    expect(r.status).toBe(413);
  });
});
