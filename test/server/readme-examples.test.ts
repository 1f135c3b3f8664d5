import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requestJson, startTestServer, type TestServer } from '../helpers/test-server.ts';

const run = promisify(execFile);

/** The README's API reference: every `sh` block, in order. */
function apiReferenceExamples(): string[] {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const start = readme.indexOf('\n## API reference');
  const end = readme.indexOf('\n## ', start + 1);
  const section = readme.slice(start, end);
  return [...section.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1] as string);
}

/**
 * The README's curl examples run as they are written, but for the host: every call must answer
 * 2xx (`--fail-with-body`), against a server set up as the README says ($API_KEY and $INDEX_KEY
 * bound to corpus `docs`, corpus id 1; $KEY_ID a key the block may change or delete).
 */
describe('the README API examples run verbatim', () => {
  let server: TestServer;
  let env: Record<string, string>;
  const examples = apiReferenceExamples();

  beforeAll(async () => {
    server = await startTestServer();
    const owner = { 'x-api-key': server.adminToken };
    const corpus = await requestJson(
      'POST',
      `${server.url}/v2/corpora`,
      { key: 'docs', name: 'Docs' },
      owner,
    );
    expect(corpus.body.id).toBe('crp_1');
    await server.indexDocuments(1, [
      {
        documentId: 'npm/express-rate-limit',
        title: 'express-rate-limit',
        metadata: { url: 'https://www.npmjs.com/package/express-rate-limit', lang: 'en' },
        sections: [
          {
            title: 'Usage',
            text: 'Use to limit repeated requests to public APIs: a rate limit per IP.',
          },
        ],
      },
    ]);
    const key = (role: string) =>
      requestJson(
        'POST',
        `${server.url}/v2/api_keys`,
        { name: role, api_key_role: role, corpus_keys: ['docs'] },
        owner,
      );
    env = {
      PATH: process.env.PATH ?? '',
      API_KEY: (await key('serving')).body.secret_key,
      INDEX_KEY: (await key('serving_and_indexing')).body.secret_key,
      ADMIN_TOKEN: server.adminToken,
      CUSTOMER_ID: String(server.customerId),
    };
  });
  afterAll(() => server?.close());

  it('finds the examples', () => {
    expect(examples.length).toBeGreaterThanOrEqual(9);
    const calls = examples.join('\n').match(/^curl /gm) ?? [];
    expect(calls.length).toBeGreaterThanOrEqual(25);
    for (const route of [
      '/v2/query',
      '/v2/corpora',
      '/v2/api_keys',
      '/v2/audit_log',
      '/v1/query',
    ]) {
      expect(examples.join('\n')).toContain(route);
    }
  });

  it.each(
    apiReferenceExamples().map((example, i) => [i + 1, example.split('\n')[0], example] as const),
  )('example %i (%s)', async (_n, _first, example) => {
    const throwaway = await requestJson(
      'POST',
      `${server.url}/v2/api_keys`,
      { name: 'to change', api_key_role: 'serving', corpus_keys: ['docs'] },
      { 'x-api-key': server.adminToken },
    );
    const script = [
      'set -euo pipefail',
      // Any 4xx or 5xx fails the example.
      'curl() { command curl --fail-with-body "$@"; echo; }',
      example.replaceAll('http://127.0.0.1:8080', server.url),
    ].join('\n');
    const { stdout } = await run('bash', ['-c', script], {
      env: { ...env, KEY_ID: throwaway.body.id },
    });
    for (const line of stdout.split('\n').filter((l) => l.startsWith('{'))) {
      expect(() => JSON.parse(line), line).not.toThrow();
      expect(JSON.parse(line)).not.toHaveProperty('error');
    }
  });
});
