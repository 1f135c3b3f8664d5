import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseSchema } from '../../server/db/database-schema.ts';
import { schemaVersions } from '../../server/db/migrations.ts';
import { requestJson, startTestServer, type TestServer } from '../helpers/test-server.ts';

/**
 * A data folder written by Searchgate 0.1.0 (commit 2272483, before schema versions and corpus
 * keys; see test/fixtures/data-0.1.0) opens in place: keys, documents and audit are kept, and
 * corpora gain keys.
 */
const fixture = new URL('../fixtures/data-0.1.0/', import.meta.url);
const secrets = JSON.parse(readFileSync(new URL('secrets.json', fixture), 'utf8')) as {
  customerId: number;
  adminToken: string;
  corpora: { docs: number; blog: number };
  keys: Record<'query' | 'index' | 'disabled', { keyId: string; apiKey: string }>;
};

describe('upgrading a 0.1.0 data folder', () => {
  let dir: string;
  let server: TestServer;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'sg-upgrade-'));
    cpSync(new URL('data', fixture), dir, { recursive: true });
    // It really is the old schema: no versions, no corpus keys.
    const old = new Database(path.join(dir, 'searchgate.db'), { readonly: true });
    expect(
      old.prepare("SELECT name FROM sqlite_master WHERE name = 'schema_versions'").get(),
    ).toBeUndefined();
    expect(old.prepare('SELECT * FROM corpora').all()[0]).not.toHaveProperty('corpus_key');
    old.close();
    server = await startTestServer({ dataDir: dir, env: { ADMIN_TOKEN: secrets.adminToken } });
  });
  afterAll(async () => {
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('records the schema version of every component', () => {
    const versions = schemaVersions(server.services.db);
    for (const component of databaseSchema) {
      expect(versions[component.name]).toBe(component.migrations.length);
    }
  });

  it('keeps the account and gives every corpus a key made from its name and id', async () => {
    expect(server.customerId).toBe(secrets.customerId);
    const corpora = await requestJson('GET', `${server.url}/v2/corpora`, undefined, {
      'x-api-key': secrets.adminToken,
    });
    expect(corpora.body.corpora.map((c: { key: string; name: string }) => [c.key, c.name])).toEqual(
      [
        [`product-docs_${secrets.corpora.docs}`, 'Product Docs'],
        [`blog-news_${secrets.corpora.blog}`, 'Blog & News!'],
      ],
    );
    expect(corpora.body.corpora[0].limits.used_docs).toBe(1);
  });

  it('keeps its keys: the query key with its origin, the index key, the disabled one', async () => {
    const body = { query: [{ query: 'lantern', corpusKey: [{ corpusId: secrets.corpora.docs }] }] };
    const query = await server.query('/v1/query', body, secrets.keys.query.apiKey, {
      origin: 'https://docs.example.com',
    });
    expect(query.status).toBe(200);
    expect(query.body.responseSet[0].document[0].id).toBe('guide/install.html');
    const elsewhere = await server.query('/v1/query', body, secrets.keys.query.apiKey, {
      origin: 'https://other.example',
    });
    expect(elsewhere.body.error.code).toBe('ORIGIN_NOT_ALLOWED');
    const disabled = await server.query(
      '/v1/query',
      { query: [{ query: 'launch', corpusKey: [{ corpusId: secrets.corpora.blog }] }] },
      secrets.keys.disabled.apiKey,
    );
    expect(disabled.body.error.code).toBe('KEY_DISABLED');
    const v2 = await requestJson(
      'POST',
      `${server.url}/v2/query`,
      {
        query: 'launch',
        search: { corpora: [{ corpus_key: `blog-news_${secrets.corpora.blog}` }] },
      },
      { 'x-api-key': secrets.keys.index.apiKey },
    );
    expect(v2.body.search_results[0]).toMatchObject({
      document_id: 'post-1',
      document_metadata: { title: 'Launch day' },
    });
  });

  it('keeps usage and the audit log, and old key ids still work in v2', async () => {
    const keys = await requestJson('GET', `${server.url}/v2/api_keys`, undefined, {
      'x-api-key': secrets.adminToken,
    });
    const ids = keys.body.api_keys.map((k: { id: string }) => k.id);
    expect(ids).toEqual([
      secrets.keys.query.keyId,
      secrets.keys.index.keyId,
      secrets.keys.disabled.keyId,
    ]);
    const one = await requestJson(
      'GET',
      `${server.url}/v2/api_keys/${secrets.keys.disabled.keyId}`,
      undefined,
      {
        'x-api-key': secrets.adminToken,
      },
    );
    expect(one.body).toMatchObject({ name: 'old widget', enabled: false });
    const audit = await requestJson('GET', `${server.url}/v2/audit_log`, undefined, {
      'x-api-key': secrets.adminToken,
    });
    expect(audit.body.entries.map((e: { action: string }) => e.action)).toEqual([
      'disable',
      'create',
      'create',
      'create',
    ]);
  });
});
