import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type JsonResponse,
  requestJson,
  startTestServer,
  type TestServer,
} from '../helpers/test-server.ts';
import { expectV2Shape, type V2SchemaName } from '../helpers/v2-spec.ts';
import { expectError } from './security-suite.ts';

/** v2 corpora, documents and API keys, with the admin token as the personal key. */
describe('v2 owner API', () => {
  let server: TestServer;
  const owner = (method: string, path: string, body?: unknown, request?: V2SchemaName) => {
    if (request) expectV2Shape(request, body);
    return requestJson(method, server.url + path, body, {
      'x-api-key': server.adminToken,
      'x-searchgate-client': 'tests',
    });
  };
  const shaped = (r: JsonResponse, name: V2SchemaName) => {
    expectV2Shape(name, r.body);
    return r.body;
  };

  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  describe('corpora', () => {
    it('creates, reads, lists in pages and deletes corpora by key', async () => {
      const created = await owner(
        'POST',
        '/v2/corpora',
        { key: 'handbook', name: 'Handbook' },
        'CreateCorpusRequest',
      );
      expect(created.status).toBe(201);
      expect(shaped(created, 'Corpus')).toMatchObject({
        key: 'handbook',
        name: 'Handbook',
        enabled: true,
        limits: { used_docs: 0 },
      });
      expect(created.body.id).toMatch(/^crp_\d+$/);
      expectError(
        await owner('POST', '/v2/corpora', { key: 'handbook' }),
        409,
        'ALREADY_EXISTS',
        'v2',
      );
      expectError(
        await owner('POST', '/v2/corpora', { key: 'no spaces' }),
        400,
        'INVALID_ARGUMENT',
        'v2',
      );
      for (const key of ['a', 'b', 'c']) await owner('POST', '/v2/corpora', { key: `page-${key}` });

      const read = await owner('GET', '/v2/corpora/handbook');
      expect(shaped(read, 'Corpus')).toEqual(created.body);
      // v1 sees the same corpus, with its key.
      const v1 = await server.admin('/v1/list-corpora', { filter: 'handbook' });
      expect(v1.body.corpus[0]).toMatchObject({ name: 'Handbook', key: 'handbook' });

      const seen: string[] = [];
      let pageKey: string | undefined;
      do {
        const page = await owner(
          'GET',
          `/v2/corpora?limit=2&filter=page-${pageKey ? `&page_key=${pageKey}` : ''}`,
        );
        shaped(page, 'ListCorporaResponse');
        seen.push(...page.body.corpora.map((c: { key: string }) => c.key));
        pageKey = page.body.metadata.page_key;
      } while (pageKey);
      expect(seen).toEqual(['page-a', 'page-b', 'page-c']);

      expect((await owner('DELETE', '/v2/corpora/page-a')).status).toBe(204);
      expectError(await owner('GET', '/v2/corpora/page-a'), 404, 'CORPUS_NOT_FOUND', 'v2');
      expectError(await owner('DELETE', '/v2/corpora/page-a'), 404, 'CORPUS_NOT_FOUND', 'v2');
    });

    it('refuses a link to Vectara on a server that is not in front of one', async () => {
      const r = await owner('POST', '/v2/corpora', {
        key: 'linked',
        upstream_corpus_key: 'their-docs',
      });
      expectError(r, 400, 'INVALID_ARGUMENT', 'v2');
      expect(r.body.field_errors).toHaveProperty('upstream_corpus_key');
    });
  });

  describe('documents', () => {
    beforeAll(async () => {
      await owner('POST', '/v2/corpora', { key: 'docs', name: 'Docs' });
    });

    it('indexes a core document and a structured one, and finds both', async () => {
      const core = {
        id: 'core-1',
        type: 'core',
        metadata: { title: 'Kilns', url: 'https://docs.example.com/kilns', tags: ['a', 'b'] },
        document_parts: [
          {
            text: 'A kiln fires pottery at high heat.',
            context: 'Firing',
            metadata: { anchor: 'firing' },
          },
          { text: 'Glazes melt in the kiln.' },
        ],
      };
      const created = await owner(
        'POST',
        '/v2/corpora/docs/documents',
        core,
        'CreateDocumentRequest',
      );
      expect(created.status).toBe(201);
      expect(shaped(created, 'Document').id).toBe('core-1');
      const structured = {
        id: 'guide/glazing',
        type: 'structured',
        title: 'Glazing',
        description: 'How glazes work',
        metadata: { lang: 'en' },
        sections: [
          {
            title: 'Mixing',
            text: 'Mix the glaze powder with water.',
            sections: [{ text: 'Sieve it twice for a smooth kiln finish.' }],
          },
        ],
      };
      expect(
        (await owner('POST', '/v2/corpora/docs/documents', structured, 'CreateDocumentRequest'))
          .status,
      ).toBe(201);
      expectError(
        await owner('POST', '/v2/corpora/docs/documents', structured),
        409,
        'ALREADY_EXISTS',
        'v2',
      );

      const found = await owner('POST', '/v2/query', {
        query: 'kiln',
        search: { corpora: [{ corpus_key: 'docs' }], limit: 10 },
      });
      const hits = shaped(found, 'QueryFullResponse').search_results;
      expect(hits.map((h: { document_id: string }) => h.document_id).sort()).toEqual([
        'core-1',
        'core-1',
        'guide/glazing',
      ]);
      const sieve = hits.find((h: { text: string }) => h.text.includes('Sieve'));
      // A nested section without a heading is found under its parent's.
      expect(sieve.part_metadata.title).toBe('Mixing');
      expect(sieve.document_metadata).toMatchObject({ title: 'Glazing', lang: 'en' });

      const read = await owner(
        'GET',
        `/v2/corpora/docs/documents/${encodeURIComponent('guide/glazing')}`,
      );
      expect(shaped(read, 'Document')).toMatchObject({
        id: 'guide/glazing',
        metadata: { title: 'Glazing', lang: 'en' },
        parts: [
          { text: 'Mix the glaze powder with water.', context: 'Mixing' },
          { text: 'Sieve it twice for a smooth kiln finish.', context: 'Mixing' },
        ],
      });
    });

    it('lists documents in pages, filtered by metadata, and deletes them', async () => {
      for (const n of [1, 2, 3, 4]) {
        await owner('POST', '/v2/corpora/docs/documents', {
          id: `list-${n}`,
          type: 'core',
          metadata: { lang: n % 2 ? 'en' : 'de' },
          document_parts: [{ text: `Document number ${n}.` }],
        });
      }
      const ids: string[] = [];
      let pageKey: string | undefined;
      do {
        const page = await owner(
          'GET',
          `/v2/corpora/docs/documents?limit=1&metadata_filter=${encodeURIComponent("doc.lang = 'de'")}${pageKey ? `&page_key=${pageKey}` : ''}`,
        );
        shaped(page, 'ListDocumentsResponse');
        ids.push(...page.body.documents.map((d: { id: string }) => d.id));
        pageKey = page.body.metadata.page_key;
      } while (pageKey);
      expect(ids).toEqual(['list-2', 'list-4']);
      expect((await owner('DELETE', '/v2/corpora/docs/documents/list-2')).status).toBe(204);
      expectError(
        await owner('GET', '/v2/corpora/docs/documents/list-2'),
        404,
        'DOCUMENT_NOT_FOUND',
        'v2',
      );
      expectError(
        await owner('DELETE', '/v2/corpora/docs/documents/list-2'),
        404,
        'DOCUMENT_NOT_FOUND',
        'v2',
      );
      expectError(
        await owner('GET', '/v2/corpora/docs/documents?page_key=garbage'),
        400,
        'INVALID_ARGUMENT',
        'v2',
      );
    });

    it('names what is wrong with a document', async () => {
      const r = await owner('POST', '/v2/corpora/docs/documents', {
        id: '',
        type: 'core',
        document_parts: [],
      });
      expectError(r, 400, 'INVALID_ARGUMENT', 'v2');
      expect(Object.keys(r.body.field_errors).sort()).toEqual(['document_parts', 'id']);
      const untyped = await owner('POST', '/v2/corpora/docs/documents', { id: 'x' });
      expectError(untyped, 400, 'INVALID_ARGUMENT', 'v2');
    });
  });

  describe('API keys', () => {
    beforeAll(async () => {
      await owner('POST', '/v2/corpora', { key: 'site' });
      await owner('POST', '/v2/corpora', { key: 'intranet' });
    });

    it('creates a key shown once, reads it, and finds it in filtered pages', async () => {
      const request = {
        name: 'docs site',
        api_key_role: 'serving',
        corpus_keys: ['site'],
        allowed_origins: ['https://docs.example.com'],
        limits: { per_minute: 300, per_ip_per_minute: 30, daily_quota: 10_000 },
        expires_at: '2099-01-01T00:00:00Z',
      };
      const created = await owner('POST', '/v2/api_keys', request, 'CreateApiKeyRequest');
      expect(created.status).toBe(201);
      const key = shaped(created, 'ApiKey');
      expect(key).toMatchObject({
        name: 'docs site',
        enabled: true,
        api_key_role: 'serving',
        corpus_keys: ['site'],
        allowed_origins: ['https://docs.example.com'],
        limits: { per_minute: 300, per_ip_per_minute: 30, daily_quota: 10_000 },
        expires_at: '2099-01-01T00:00:00.000Z',
      });
      expect(key.id).toMatch(/^aky_/);
      expect(key.secret_key).toMatch(/^sgq_/);

      const read = await owner('GET', `/v2/api_keys/${key.id}`);
      expect(shaped(read, 'ApiKey')).not.toHaveProperty('secret_key');
      expect(read.body.usage).toMatchObject({ requests_today: 0 });

      const indexer = await owner('POST', '/v2/api_keys', {
        name: 'indexer',
        api_key_role: 'serving_and_indexing',
        corpus_keys: ['intranet'],
      });
      expect(indexer.body.secret_key).toMatch(/^sgi_/);
      const bySite = await owner('GET', '/v2/api_keys?corpus_key=site');
      expect(
        shaped(bySite, 'ListApiKeysResponse').api_keys.map((k: { id: string }) => k.id),
      ).toEqual([key.id]);
      const byRole = await owner('GET', '/v2/api_keys?api_key_role=serving_and_indexing');
      expect(byRole.body.api_keys.map((k: { name: string }) => k.name)).toEqual(['indexer']);
      const pages: string[] = [];
      let pageKey: string | undefined;
      do {
        const page = await owner(
          'GET',
          `/v2/api_keys?limit=1${pageKey ? `&page_key=${pageKey}` : ''}`,
        );
        pages.push(...page.body.api_keys.map((k: { id: string }) => k.id));
        pageKey = page.body.metadata.page_key;
      } while (pageKey);
      expect(pages).toEqual([key.id, indexer.body.id]);
      expect(JSON.stringify(pages)).not.toContain('sgq_');
    });

    it('PATCH { enabled: false } cuts the key off at once; PATCH changes settings; DELETE removes it', async () => {
      const created = await owner('POST', '/v2/api_keys', {
        name: 'widget',
        api_key_role: 'serving',
        corpus_keys: ['site'],
      });
      const { id, secret_key: secret } = created.body;
      const ask = () =>
        requestJson(
          'POST',
          `${server.url}/v2/query`,
          {
            query: 'x',
            search: { corpora: [{ corpus_key: 'site' }] },
          },
          { 'x-api-key': secret },
        );
      expect((await ask()).status).toBe(200);
      const patch = { enabled: false };
      expectV2Shape('UpdateApiKeyRequest', patch);
      const disabled = await owner('PATCH', `/v2/api_keys/${id}`, patch);
      expect(shaped(disabled, 'ApiKey').enabled).toBe(false);
      expectError(await ask(), 403, 'KEY_DISABLED', 'v2');
      await owner('PATCH', `/v2/api_keys/${id}`, { enabled: true });
      expect((await ask()).status).toBe(200);

      const changed = await owner('PATCH', `/v2/api_keys/${id}`, {
        name: 'renamed',
        corpus_keys: ['site', 'intranet'],
        limits: { per_minute: 5 },
      });
      expect(changed.body).toMatchObject({
        name: 'renamed',
        corpus_keys: ['site', 'intranet'],
        limits: { per_minute: 5, per_ip_per_minute: 60 },
      });
      expectError(await owner('PATCH', `/v2/api_keys/${id}`, {}), 400, 'INVALID_ARGUMENT', 'v2');
      expectError(
        await owner('PATCH', `/v2/api_keys/${id}`, { corpus_keys: ['missing'] }),
        404,
        'CORPUS_NOT_FOUND',
        'v2',
      );

      expect((await owner('DELETE', `/v2/api_keys/${id}`)).status).toBe(204);
      expectError(await ask(), 401, 'API_KEY_UNKNOWN', 'v2');
      expectError(await owner('GET', `/v2/api_keys/${id}`), 404, 'KEY_NOT_FOUND', 'v2');
    });

    it('rotates with a grace period, and never takes a secret in a URL', async () => {
      const created = await owner('POST', '/v2/api_keys', {
        name: 'rotated',
        api_key_role: 'serving',
        corpus_keys: ['site'],
      });
      const rotated = await owner('POST', `/v2/api_keys/${created.body.id}/rotate`, {
        grace_seconds: 3600,
      });
      expect(rotated.status).toBe(200);
      expect(rotated.body.secret_key).not.toBe(created.body.secret_key);
      expect(rotated.body.rotation_grace_until).not.toBeNull();
      expectError(
        await owner('GET', `/v2/api_keys/${created.body.secret_key}`),
        404,
        'KEY_NOT_FOUND',
        'v2',
      );
    });

    it('refuses the personal role and unknown corpora, naming the field', async () => {
      const personal = await owner('POST', '/v2/api_keys', {
        name: 'x',
        api_key_role: 'personal',
        corpus_keys: ['site'],
      });
      expectError(personal, 400, 'INVALID_ARGUMENT', 'v2');
      expect(personal.body.field_errors).toHaveProperty('api_key_role');
      const unknown = await owner('POST', '/v2/api_keys', {
        name: 'x',
        api_key_role: 'serving',
        corpus_keys: ['nowhere'],
      });
      expectError(unknown, 404, 'CORPUS_NOT_FOUND', 'v2');
    });

    it('keeps an audit log of owner actions, naming the tool', async () => {
      const log = await owner('GET', '/v2/audit_log?limit=50');
      expect(log.status).toBe(200);
      const actions = log.body.entries.map((e: { action: string }) => e.action);
      expect(actions).toEqual(
        expect.arrayContaining(['create', 'disable', 'enable', 'update', 'rotate', 'delete']),
      );
      expect(log.body.entries[0].actor).toBe('admin (tests)');
      expect(JSON.stringify(log.body)).not.toMatch(/sg[qia]_[0-9A-Za-z]{20,}/);
    });
  });
});
