import { execFile } from 'node:child_process';
import { createServer } from 'node:net';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectPaths } from '../../../server/project-paths.ts';
import type { V2ApiKey } from '../../../server/wire/v2-api-keys.ts';
import { cliCommand } from '../../helpers/server-process.ts';
import { requestJson, startTestServer, type TestServer } from '../../helpers/test-server.ts';
import { envFor, runAgainst } from './cli-capture.ts';

let server: TestServer;
let corpusId: number;

beforeAll(async () => {
  server = await startTestServer();
  const created = await requestJson(
    'POST',
    `${server.url}/v2/corpora`,
    { key: 'docs', name: 'Docs' },
    { 'x-api-key': server.adminToken },
  );
  corpusId = Number(String(created.body.id).slice(4));
  await server.indexDocuments(corpusId, [
    { documentId: 'a', title: 'Hello', sections: [{ text: 'hello world' }] },
  ]);
});
afterAll(async () => {
  await server?.close();
});

const keys = (argv: string[], options?: Parameters<typeof runAgainst>[2]) =>
  runAgainst(server, ['keys', ...argv], options);

const search = (apiKey: string) =>
  server.query(
    '/v1/query',
    { query: [{ query: 'hello', corpusKey: [{ customerId: server.customerId, corpusId }] }] },
    apiKey,
  );

const createQueryKey = async (description: string) => {
  const result = await keys(['create', '--corpus', 'docs', '--description', description, '--json']);
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout) as V2ApiKey & { secret_key: string; snippet: string };
};

const listed = async (...filters: string[]) => {
  const result = await keys(['list', ...filters, '--json']);
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout) as V2ApiKey[];
};

describe('searchgate keys create', () => {
  it('prints the secret once with a warning and the snippet to paste; the key works', async () => {
    const result = await keys([
      'create',
      '--corpus',
      'docs',
      '--description',
      'Docs site',
      '--origin',
      'https://docs.example.com',
      '--per-minute',
      '100',
      '--daily-quota',
      '5000',
      '--expires',
      '30d',
    ]);
    expect(result.code).toBe(0);
    const secret = /^\s+(\S+)$/m.exec(result.stdout)?.[1] ?? '';
    expect(secret).toMatch(/^sg/);
    expect(result.stdout.split(secret)).toHaveLength(3); // once alone, once in the snippet
    expect(result.stderr).toMatch(/shown only now/);
    expect(result.stdout).toContain(
      `<script type="module" src="${server.url}/search-gate.js"></script>\n` +
        `<search-gate endpoint="${server.url}" api-key="${secret}" corpus-key="docs"></search-gate>`,
    );
    expect((await search(secret)).status).toBe(200);

    const key = (await listed()).find((k) => k.name === 'Docs site');
    expect(key?.corpus_keys).toEqual(['docs']);
    expect(key?.allowed_origins).toEqual(['https://docs.example.com']);
    expect(key?.limits).toEqual({ per_minute: 100, per_ip_per_minute: 60, daily_quota: 5000 });
    const days = (Date.parse(key?.expires_at ?? '') - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(29);
    expect(days).toBeLessThanOrEqual(30);
  });

  it('gives an index key no snippet and warns that it is a secret', async () => {
    const result = await keys(['create', '--corpus', 'docs', '--type', 'index', '--json']);
    expect(result.code).toBe(0);
    const created = JSON.parse(result.stdout);
    expect(created).toMatchObject({ api_key_role: 'serving_and_indexing', snippet: null });
    expect(created.secret_key).toMatch(/^sg/);

    const human = await keys(['create', '--corpus', 'docs', '--type', 'index']);
    expect(human.stdout).not.toContain('<search-gate');
    expect(human.stderr).toMatch(/never in a web page/);
  });

  it('refuses bad usage with exit code 2, naming the argument', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['create'], /missing --corpus/],
      [
        ['create', '--corpus', 'a b'],
        /option '--corpus <key-or-id>' argument 'a b' is invalid\. Expected corpus keys or ids/,
      ],
      [
        ['list', '--type', 'serving'],
        /option '--type <type>' argument 'serving' is invalid\. Expected one of query, index/,
      ],
      [
        ['create', '--corpus', '1', '--type', 'indx'],
        /option '--type <type>' argument 'indx' is invalid\. Expected one of query, index \(did you mean "index"\?\)/,
      ],
      [
        ['create', '--corpus', '1', '--expires', 'tomorrow'],
        /option '--expires <when>' argument 'tomorrow' is invalid\. Expected "never"/,
      ],
      [
        ['create', '--corpus', '1', '--expires', '2001-01-01'],
        /option '--expires <when>' argument '2001-01-01' is invalid\. Expected a time in the future/,
      ],
      [
        ['create', '--corpus', '1', '--per-minute', '0'],
        /option '--per-minute <n>' argument '0' is invalid\. Expected a whole number from 1/,
      ],
      [
        ['create', '--corpus', '1', '--corpsu', '2'],
        /unknown option '--corpsu'\n\(Did you mean --corpus\?\)/,
      ],
      [['craete'], /unknown command 'craete'\n\(Did you mean create\?\)/],
      [['disable'], /keys disable: missing required argument 'key-id'/],
      [['rotate', 'a', 'b'], /too many arguments for 'rotate'\. Expected 1 argument but got 2/],
      [
        ['rotate', 'a', '--grace', 'soon'],
        /option '--grace <duration>' argument 'soon' is invalid\. Expected a duration/,
      ],
      [
        ['rotate', 'a', '--grace', '31d'],
        /option '--grace <duration>' argument '31d' is invalid\. Expected at most 30d/,
      ],
      [
        ['create', 'Docs site', '--corpus', '1'],
        /unexpected argument "Docs site" \(use --description/,
      ],
      [['update', 'a'], /nothing to change/],
      [
        ['update', 'a', '--origin', 'https://a.example', '--any-origin'],
        /either --origin or --any-origin/,
      ],
    ];
    for (const [argv, message] of cases) {
      const result = await keys(argv);
      expect({ argv, code: result.code }).toEqual({ argv, code: 2 });
      expect(result.stderr).toMatch(message);
      expect(result.stdout).toBe('');
    }
  });

  it('needs a token, from flags or the environment; a customer id only checks it', async () => {
    const noToken = await keys(['list'], { env: { SEARCHGATE_URL: server.url } });
    expect(noToken.code).toBe(2);
    expect(noToken.stderr).toMatch(
      /missing admin token: set SEARCHGATE_TOKEN, or use --token-file/,
    );

    // v2: the token names the account.
    const tokenOnly = await keys(['list', '--json'], {
      env: { SEARCHGATE_URL: server.url, SEARCHGATE_TOKEN: server.adminToken },
    });
    expect(tokenOnly.code).toBe(0);
    const otherAccount = await keys(['list'], {
      env: { ...envFor(server), SEARCHGATE_CUSTOMER_ID: String(server.customerId + 1) },
    });
    expect(otherAccount.code).toBe(1);
    expect(otherAccount.stderr).toMatch(/WRONG_ACCOUNT: .+ \(HTTP 403\)/);

    const badUrl = await keys(['list', '--url', 'ftp://x'], { env: envFor(server) });
    expect(badUrl.code).toBe(2);
    expect(badUrl.stderr).toMatch(
      /option '--url <url>' argument 'ftp:\/\/x' is invalid\. Expected an http\(s\) URL/,
    );

    const badEnvUrl = await keys(['list'], {
      env: { ...envFor(server), SEARCHGATE_URL: 'ftp://x' },
    });
    expect(badEnvUrl.code).toBe(2);
    expect(badEnvUrl.stderr).toMatch(
      /SEARCHGATE_URL="ftp:\/\/x" is invalid\. Expected an http\(s\) URL/,
    );

    // Flags win over the environment.
    const flags = await keys(
      [
        'list',
        '--url',
        server.url,
        '--token',
        server.adminToken,
        '--customer-id',
        String(server.customerId),
      ],
      { env: { ...envFor(server), SEARCHGATE_TOKEN: 'wrong' } },
    );
    expect(flags.code).toBe(0);
  });
});

describe('searchgate keys: corpora by key or id', () => {
  it('binds a key to corpora named by key, id or crp_ id, as their keys', async () => {
    const blog = await requestJson(
      'POST',
      `${server.url}/v2/corpora`,
      { key: 'blog', name: 'Blog' },
      { 'x-api-key': server.adminToken },
    );
    const blogId = String(blog.body.id);
    for (const corpora of [
      ['docs', blogId],
      [String(corpusId), `${blogId.slice(4)}`],
    ]) {
      const result = await keys(['create', '--corpus', corpora.join(','), '--json']);
      expect(result.code).toBe(0);
      const created = JSON.parse(result.stdout);
      expect(created.corpus_keys).toEqual(['docs', 'blog']);
      expect(created.snippet).toContain('corpus-key="docs,blog"');
    }
    const onlyBlog = await listed('--corpus', 'blog');
    expect(onlyBlog).toHaveLength(2);
    expect(onlyBlog.every((k) => k.corpus_keys.includes('blog'))).toBe(true);
    const indexKeys = await listed('--type', 'index');
    expect(indexKeys.every((k) => k.api_key_role === 'serving_and_indexing')).toBe(true);
  });

  it('refuses a corpus the account does not have, creating nothing', async () => {
    const before = (await listed()).length;
    const result = await keys(['create', '--corpus', 'docs,nope']);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      'searchgate keys create: CORPUS_NOT_FOUND: no corpus with key or id "nope" in this account\n',
    );
    expect((await listed()).length).toBe(before);
  });
});

describe('searchgate keys list / disable / enable / rotate / update / delete', () => {
  it('lists keys as a table and as JSON', async () => {
    await createQueryKey('Listed key');
    const table = await keys(['list']);
    expect(table.code).toBe(0);
    const [header, ...rows] = table.stdout.trimEnd().split('\n');
    expect(header).toMatch(
      /^ID\s+DESCRIPTION\s+TYPE\s+CORPORA\s+STATUS\s+CREATED\s+EXPIRES\s+LAST USED\s+TODAY\s+REFUSED$/,
    );
    expect(rows.find((r) => r.includes('Listed key'))).toMatch(/query only\s+docs\s+enabled/);
    expect((await listed()).map((k) => k.name)).toContain('Listed key');
  });

  it('disables a key (refused at once) and enables it again', async () => {
    const key = await createQueryKey('Toggle me');
    const disabled = await keys(['disable', key.id]);
    expect(disabled).toMatchObject({ code: 0, stdout: `Disabled ${key.id}.\n` });
    const refused = await search(key.secret_key);
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('KEY_DISABLED');
    const table = await keys(['list']);
    expect(table.stdout.split('\n').find((r) => r.includes('Toggle me'))).toMatch(/disabled/);

    const enabled = JSON.parse((await keys(['enable', key.id, '--json'])).stdout) as V2ApiKey[];
    expect(enabled).toMatchObject([{ id: key.id, enabled: true }]);
    expect((await search(key.secret_key)).status).toBe(200);
  });

  it('rotates with no grace (old secret refused) and with a grace (old secret still works)', async () => {
    const key = await createQueryKey('Rotate me');
    const now = await keys(['rotate', key.id]);
    expect(now.code).toBe(0);
    expect(now.stdout).toContain('The old secret is refused from now on.');
    const secret = /^\s+(\S+)$/m.exec(now.stdout)?.[1] ?? '';
    expect(secret).not.toBe(key.secret_key);
    expect((await search(key.secret_key)).status).toBe(401);
    expect((await search(secret)).status).toBe(200);

    const graceful = await keys(['rotate', key.id, '--grace', '1h', '--json']);
    const rotated = JSON.parse(graceful.stdout);
    const graceMinutes = (Date.parse(rotated.rotation_grace_until) - Date.now()) / 60_000;
    expect(graceMinutes).toBeGreaterThan(55);
    expect(graceMinutes).toBeLessThanOrEqual(60);
    expect(rotated.snippet).toContain(`api-key="${rotated.secret_key}" corpus-key="docs"`);
    expect((await search(secret)).status).toBe(200);
    expect((await search(rotated.secret_key)).status).toBe(200);
  });

  it('updates settings, leaving the others as they were', async () => {
    const key = await createQueryKey('Update me');
    await keys(['update', key.id, '--origin', 'https://a.example', '--daily-quota', '10']);
    const result = await keys([
      'update',
      key.id,
      '--description',
      'Updated',
      '--per-ip-per-minute',
      '5',
      '--daily-quota',
      'none',
      '--json',
    ]);
    expect(result.code).toBe(0);
    const updated = JSON.parse(result.stdout) as V2ApiKey;
    expect(updated.name).toBe('Updated');
    expect(updated.limits).toEqual({ per_minute: 600, per_ip_per_minute: 5, daily_quota: null });
    expect(updated.allowed_origins).toEqual(['https://a.example']);

    await keys(['update', key.id, '--any-origin']);
    const after = (await listed()).find((k) => k.id === key.id);
    expect(after?.allowed_origins).toEqual([]);
  });

  it('deletes only after confirmation on a terminal, or with --yes', async () => {
    const key = await createQueryKey('Delete me');
    const notTty = await keys(['delete', key.id]);
    expect(notTty.code).toBe(2);
    expect(notTty.stderr).toMatch(/pass --yes/);

    const declined = await keys(['delete', key.id], { answers: ['n'] });
    expect(declined.code).toBe(1);
    expect(declined.questions[0]).toMatch(
      new RegExp(`Delete ${key.id} \\("Delete me"\\) permanently\\?`),
    );
    expect((await search(key.secret_key)).status).toBe(200);

    const confirmed = await keys(['delete', key.id], { answers: ['yes'] });
    expect(confirmed).toMatchObject({ code: 0, stdout: `Deleted ${key.id}.\n` });
    const gone = await search(key.secret_key);
    expect(gone.status).toBe(401);
    expect(gone.body.error.code).toBe('API_KEY_UNKNOWN');

    const other = await createQueryKey('Delete me too');
    expect((await keys(['delete', other.id, '--yes', '--json'])).stdout).toContain(other.id);
    expect((await listed()).map((k) => k.id)).not.toContain(other.id);
  });

  it('changes none of several keys when one of their ids is wrong', async () => {
    const key = await createQueryKey('One of two');
    const result = await keys(['disable', key.id, 'key_doesNotExist']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/KEY_NOT_FOUND/);
    expect((await search(key.secret_key)).status).toBe(200);
    const other = await createQueryKey('Two of two');
    expect((await keys(['disable', key.id, other.id])).code).toBe(0);
    expect((await search(other.secret_key)).status).toBe(403);
  });

  it('reports what the server refused with exit code 1 and its code', async () => {
    const human = await keys(['disable', 'key_doesNotExist']);
    expect(human.code).toBe(1);
    expect(human.stderr).toMatch(/^searchgate keys disable: KEY_NOT_FOUND: .+ \(HTTP 404\)\n$/);

    const json = await keys(['enable', 'key_doesNotExist', '--json']);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout).error).toMatchObject({ code: 'KEY_NOT_FOUND', status: 404 });

    const wrongToken = await keys(['list'], {
      env: { ...envFor(server), SEARCHGATE_TOKEN: 'nope' },
    });
    expect(wrongToken.code).toBe(1);
    expect(wrongToken.stderr).toMatch(/ADMIN_TOKEN_INVALID/);
  });

  it('reports an unreachable server with exit code 1', async () => {
    const port = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const address = probe.address();
        probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
      });
    });
    const result = await keys(['list'], {
      env: { ...envFor(server), SEARCHGATE_URL: `http://127.0.0.1:${port}` },
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/NETWORK: cannot reach/);
  });

  it('prints help for the group and every command', async () => {
    const group = await keys(['--help']);
    expect(group.code).toBe(0);
    for (const sub of ['list', 'create', 'disable', 'enable', 'rotate', 'update', 'delete']) {
      expect(group.stdout).toMatch(new RegExp(`^  ${sub} `, 'm'));
      const help = await keys([sub, '--help'], { env: {} });
      expect(help.code).toBe(0);
      expect(help.stdout).toMatch(new RegExp(`^Usage: searchgate keys ${sub}`));
      expect(help.stdout).toContain('--json');
    }
    const none = await keys([]);
    expect(none.code).toBe(2);
  });
});

describe('the installed searchgate command', () => {
  it('runs `keys list --json` in a real process', async () => {
    await createQueryKey('Spawned');
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [...cliCommand, 'keys', 'list', '--json'],
      { cwd: projectPaths.root, env: { ...process.env, ...envFor(server) }, timeout: 30_000 },
    );
    const listedKeys = JSON.parse(stdout) as V2ApiKey[];
    expect(listedKeys.map((k) => k.name)).toContain('Spawned');
  });

  it('exits 2 on a typo, naming it', async () => {
    const run = promisify(execFile)(process.execPath, [...cliCommand, 'keys', 'lsit'], {
      cwd: projectPaths.root,
      env: { ...process.env, ...envFor(server) },
      timeout: 30_000,
    });
    await expect(run).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining("unknown command 'lsit'\n(Did you mean list?)"),
    });
  });
});
