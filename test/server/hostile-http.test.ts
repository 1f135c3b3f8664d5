import net from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSecret, hashSecret } from '../../server/keys/key-format.ts';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';

describe('hostile clients', () => {
  let server: TestServer;
  let corpusId: number;
  let key: string;
  const allowed = ['https://docs.example.com', 'https://*.example.org'];

  beforeAll(async () => {
    server = await startTestServer({ timeouts: { headersMs: 1_000, requestMs: 2_000 } });
    corpusId = await server.createCorpus('c');
    key = (
      await server.createKey({
        corpusIds: [corpusId],
        allowedOrigins: allowed,
        limits: { perMinute: 1_000_000, perIpPerMinute: 1_000_000 },
      })
    ).apiKey;
  });
  afterAll(() => server.close());

  const query = () => ({ query: [{ query: 'x', corpusKey: [{ corpusId }] }] });

  it('never names an origin in CORS headers unless the key allows it', async () => {
    const origin = fc.oneof(
      fc.webUrl().map((u) => new URL(u).origin),
      fc.constantFrom(
        'https://docs.example.com',
        'https://evil.docs.example.com',
        'https://a.example.org',
        'https://example.org',
        'https://a.example.org.evil.com',
        'http://docs.example.com',
        'https://docs.example.com:8443',
        'null',
      ),
    );
    await fc.assert(
      fc.asyncProperty(origin, async (o) => {
        const r = await server.query('/v1/query', query(), key, { origin: o });
        const acao = r.headers.get('access-control-allow-origin');
        const ok =
          o === 'https://docs.example.com' ||
          /^https:\/\/[a-z0-9-]+(\.[a-z0-9-]+)*\.example\.org$/.test(o);
        if (ok) {
          expect(r.status, JSON.stringify(r.body)).toBe(200);
          expect(acao).toBe(o);
        } else {
          expect(r.body.error?.code).toBe('ORIGIN_NOT_ALLOWED');
          // Readable by any page ("*") so the widget can explain it; never the origin itself.
          expect(acao).toBe('*');
        }
      }),
      { numRuns: 200 },
    );
  });

  it('looks keys up by hash only: the store never sees a secret, however much of one matches', async () => {
    const store = server.services.keyStore;
    const seen: string[] = [];
    const original = store.findBySecretHash.bind(store);
    store.findBySecretHash = (hash: string) => {
      seen.push(hash);
      return original(hash);
    };
    server.services.verifier.dropCache();
    try {
      // Wrong keys that share ever longer prefixes with the real one (and valid checksums are not
      // needed for the test: malformed ones must not reach the store at all).
      const near = key.slice(0, -1) + (key.endsWith('a') ? 'b' : 'a');
      for (const wrong of [
        near,
        `${key.slice(0, 10)}${'A'.repeat(key.length - 10)}`,
        'sgq_short',
      ]) {
        const r = await server.query('/v1/query', query(), wrong);
        expect(r.body.error.code).toBe('API_KEY_UNKNOWN');
      }
      expect(seen).toEqual([]); // checksums turned them away before any lookup
      await server.query('/v1/query', query(), key);
      expect(seen).toEqual([hashSecret(key)]);
      expect(seen.some((h) => h.includes(key))).toBe(false);
    } finally {
      store.findBySecretHash = original;
    }
  });

  it('stops looking up made-up keys from an address that sends too many, but not its real ones', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 140; i++) {
      const r = await server.query('/v1/query', query(), generateSecret('API_KEY_TYPE__SERVING'));
      statuses.push(r.status);
      if (r.status === 429) {
        expect(r.body.error.code).toBe('RATE_LIMITED');
        expect(Number(r.headers.get('retry-after'))).toBeGreaterThan(0);
      }
    }
    expect(statuses.slice(0, 100).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(-10).every((s) => s === 429)).toBe(true);
    // Real keys still work from the same address, even once their cache entries are gone
    // (they expire every 2 s, and every key change drops them), and a disabled one says so.
    server.services.verifier.dropCache();
    expect((await server.query('/v1/query', query(), key)).status).toBe(200);
    const other = await server.createKey({ corpusIds: [corpusId] });
    await server.setKeyEnabled(other.keyId, false);
    expect((await server.query('/v1/query', query(), other.apiKey)).body.error.code).toBe(
      'KEY_DISABLED',
    );
  });

  /** A raw TCP client: writes what `talk` sends and resolves with all it read once closed. */
  async function raw(talk: (socket: net.Socket) => void): Promise<string> {
    const { hostname, port } = new URL(server.url);
    const socket = net.connect(Number(port), hostname);
    await new Promise((resolve) => socket.once('connect', resolve));
    let received = '';
    socket.on('data', (d: Buffer) => {
      received += d.toString();
    });
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    talk(socket);
    await closed;
    return received;
  }

  it('closes connections that send their headers too slowly (slowloris)', async () => {
    let trickle: NodeJS.Timeout | undefined;
    const received = await raw((socket) => {
      socket.write('POST /v1/query HTTP/1.1\r\nHost: x\r\n');
      trickle = setInterval(() => socket.writable && socket.write('X-Slow: 1\r\n'), 200);
    });
    clearInterval(trickle);
    expect(received).toMatch(/^HTTP\/1\.1 408/);
  });

  it('rejects header values with control characters before the app sees them', async () => {
    const received = await raw((socket) =>
      socket.write(
        `POST /v1/query HTTP/1.1\r\nHost: x\r\nx-api-key: ${key}\x00\r\nContent-Length: 0\r\n\r\n`,
      ),
    );
    expect(received).toMatch(/^HTTP\/1\.1 400/);
  });
});
