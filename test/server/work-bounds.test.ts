import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WorkBudget } from '../../server/limits/work-budget.ts';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';
import { expectError } from './security-suite.ts';

describe('work per request and per visitor is bounded', () => {
  it('the work budget charges each visitor its own search time, per window', () => {
    let now = 0;
    const budget = new WorkBudget({ msPerWindow: 100, windowMs: 60_000, now: () => now });
    budget.charge('a', 60);
    budget.check('a');
    budget.charge('a', 50);
    expect(() => budget.check('a')).toThrow(/share of the server/);
    try {
      budget.check('a');
    } catch (err) {
      expect((err as { headers: Record<string, string> }).headers['Retry-After']).toBe('60');
    }
    budget.check('b');
    now = 60_000;
    budget.check('a');
  });

  describe('over HTTP', () => {
    let server: TestServer;
    let corpusId: number;
    let key: string;
    beforeAll(async () => {
      // A budget of 1 ms a minute: the first search spends it, whatever its cost.
      server = await startTestServer({
        env: { TRUST_PROXY: 'true', SEARCH_WORK_MS_PER_MINUTE: '1' },
      });
      corpusId = await server.createCorpus('c');
      const sections = Array.from({ length: 200 }, (_, i) => ({
        text: `Lanterns ${i} light harbours, paths and ports at night; the keeper trims every wick.`,
      }));
      await server.indexDocuments(corpusId, [{ documentId: 'd', title: 'Lanterns', sections }]);
      key = (
        await server.createKey({
          corpusIds: [corpusId],
          limits: { perMinute: 100_000, perIpPerMinute: 100_000 },
        })
      ).apiKey;
    });
    afterAll(() => server.close());

    const ask = (visitor: string, body: unknown) =>
      server.query('/v1/query', body, key, { 'x-forwarded-for': visitor });
    const one = () => ({
      query: [{ query: 'lantern harbour', numResults: 100, corpusKey: [{ corpusId }] }],
    });

    it('a batch asking for more than 100 results in all is refused before any search', async () => {
      const batch = {
        query: Array.from({ length: 3 }, () => ({
          query: 'x',
          numResults: 40,
          corpusKey: [{ corpusId }],
        })),
      };
      const r = await ask('192.0.2.1', batch);
      expectError(r, 400, 'INVALID_ARGUMENT');
      expect(r.body.error.message).toMatch(
        /asks for 120 results; one request may ask for at most 100/,
      );
    });

    it('a visitor whose search share is spent waits; other visitors do not', async () => {
      let refused: Awaited<ReturnType<typeof ask>> | undefined;
      for (let i = 0; i < 50 && !refused; i++) {
        const r = await ask('192.0.2.2', one());
        if (r.status === 429) refused = r;
        else expect(r.status, JSON.stringify(r.body)).toBe(200);
      }
      expect(refused?.body.error.code).toBe('RATE_LIMITED');
      expect(refused?.body.error.message).toMatch(/share of the server/);
      expect(Number(refused?.headers.get('retry-after'))).toBeGreaterThan(0);
      expect((await ask('192.0.2.3', one())).status).toBe(200);
      // v2 is bounded by the same budget, in its own error shape.
      const v2 = await fetch(`${server.url}/v2/query`, {
        method: 'POST',
        headers: {
          'x-api-key': key,
          'content-type': 'application/json',
          'x-forwarded-for': '192.0.2.2',
        },
        body: JSON.stringify({ query: 'lantern', search: { corpora: [{ corpus_key: 'c_1' }] } }),
      });
      expect(v2.status).toBe(429);
      expect(((await v2.json()) as { code: string }).code).toBe('RATE_LIMITED');
    });
  });
});
