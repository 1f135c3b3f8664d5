import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  normaliseOrigin,
  originAllowed,
  originPatternProblem,
} from '../../server/keys/allowed-origins.ts';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';

describe('allowed origins', () => {
  it('normalises origins as browsers serialise them', () => {
    expect(normaliseOrigin('HTTPS://A.EXAMPLE.ORG')).toBe('https://a.example.org');
    expect(normaliseOrigin('https://a.example.org:443')).toBe('https://a.example.org');
    expect(normaliseOrigin('http://localhost:8080')).toBe('http://localhost:8080');
    for (const junk of ['null', 'https://a.example.org/path', 'ftp://a.example.org', '', 'x']) {
      expect(normaliseOrigin(junk)).toBeNull();
    }
  });

  it('wildcards match only valid DNS labels', () => {
    const patterns = ['https://*.example.org'];
    expect(originAllowed('https://docs.example.org', patterns)).toBe(true);
    expect(originAllowed('https://a-b.c.example.org', patterns)).toBe(true);
    expect(originAllowed('HTTPS://DOCS.EXAMPLE.ORG', patterns)).toBe(true);
    for (const bad of [
      'https://-.example.org',
      'https://-a.example.org',
      'https://a-.example.org',
      `https://${'a'.repeat(64)}.example.org`,
      'https://a..example.org',
      'https://example.org',
      'http://docs.example.org',
    ]) {
      expect(originAllowed(bad, patterns), bad).toBe(false);
    }
  });

  it('refuses patterns with invalid labels', () => {
    expect(originPatternProblem('https://*.example.org')).toBeNull();
    expect(originPatternProblem('https://-bad.example.org')).toMatch(/is not an origin/);
    expect(originPatternProblem('https://bad-.example.org')).toMatch(/is not an origin/);
    expect(originPatternProblem('https://docs.example.org:443')).toMatch(/default port/);
    expect(originPatternProblem('http://docs.example.org:80')).toMatch(/default port/);
    expect(originPatternProblem('https://docs.example.org:8443')).toBeNull();
  });

  describe('over HTTP', () => {
    let server: TestServer;
    let key: string;
    let corpusId: number;
    beforeAll(async () => {
      server = await startTestServer();
      corpusId = await server.createCorpus('c');
      key = (
        await server.createKey({ corpusIds: [corpusId], allowedOrigins: ['https://*.example.org'] })
      ).apiKey;
    });
    afterAll(() => server.close());

    const query = (origin: string) =>
      server.query('/v1/query', { query: [{ query: 'x', corpusKey: [{ corpusId }] }] }, key, {
        origin,
      });

    it('answers an upper-case origin with its normalised form', async () => {
      const r = await query('HTTPS://A.EXAMPLE.ORG');
      expect(r.status).toBe(200);
      expect(r.headers.get('access-control-allow-origin')).toBe('https://a.example.org');
    });

    it('refuses an invalid label under a wildcard, naming no origin in CORS', async () => {
      const r = await query('https://-.example.org');
      expect(r.status).toBe(403);
      expect(r.body.error.code).toBe('ORIGIN_NOT_ALLOWED');
      expect(r.headers.get('access-control-allow-origin')).toBe('*');
    });

    it('preflights answer the normalised origin', async () => {
      const r = await fetch(`${server.url}/v1/query`, {
        method: 'OPTIONS',
        headers: {
          origin: 'HTTPS://A.EXAMPLE.ORG',
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'content-type, x-api-key',
        },
      });
      expect(r.headers.get('access-control-allow-origin')).toBe('https://a.example.org');
    });
  });
});
