import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../helpers/test-server.ts';
import { searchgate } from './cli-capture.ts';

/** Secrets reach the CLI by the environment or a file; the command line (`ps`) gets a warning. */

let server: TestServer;
let folder: string;
let indexKey: string;
let corpusId: number;

beforeAll(async () => {
  server = await startTestServer();
  folder = mkdtempSync(path.join(os.tmpdir(), 'searchgate-secrets-'));
  corpusId = await server.createCorpus('Docs');
  const created = await searchgate(
    ['keys', 'create', '--corpus', String(corpusId), '--type', 'index', '--json'],
    { env: address() },
  );
  indexKey = JSON.parse(created.stdout).secret_key;
  writeFileSync(path.join(folder, 'page.md'), '# Page\n\nSome text.');
});
afterAll(async () => {
  await server?.close();
  rmSync(folder, { recursive: true, force: true });
});

/** Where the server is, with no secret. */
const serverOnly = (): Record<string, string> => ({
  SEARCHGATE_URL: server.url,
  SEARCHGATE_CUSTOMER_ID: String(server.customerId),
});

/** Where the server is, and an admin token (the real one unless given) in the environment. */
const address = (token = server.adminToken): Record<string, string> => ({
  ...serverOnly(),
  SEARCHGATE_TOKEN: token,
});

function secretFile(name: string, content: string, mode = 0o600): string {
  const file = path.join(folder, name);
  writeFileSync(file, content);
  chmodSync(file, mode);
  return file;
}

const listKeys = (argv: string[], env: Record<string, string>) =>
  searchgate(['keys', 'list', '--json', ...argv], { env });

describe('the admin token', () => {
  it('from SEARCHGATE_TOKEN: no warning', async () => {
    const result = await listKeys([], address());
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
  });

  it('from --token: works, with a warning on stderr that names the safer ways', async () => {
    const result = await listKeys(['--token', server.adminToken], serverOnly());
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toBeInstanceOf(Array);
    expect(result.stderr).toMatch(
      /^searchgate: warning: --token on the command line can be read by every user of this machine \(ps\); set SEARCHGATE_TOKEN or use --token-file instead\.\n$/,
    );
    expect(result.stderr).not.toContain(server.adminToken);
  });

  it('from --token-file: trimmed, no warning when only its owner can read it', async () => {
    const file = secretFile('token', `${server.adminToken}\n`);
    const result = await listKeys(['--token-file', file], serverOnly());
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
  });

  it('from SEARCHGATE_TOKEN_FILE, and a flag wins over the environment', async () => {
    const file = secretFile('token-env', server.adminToken);
    const fromEnv = await listKeys([], { ...serverOnly(), SEARCHGATE_TOKEN_FILE: file });
    expect(fromEnv.code).toBe(0);

    const wrong = secretFile('wrong-token', 'sga_not-the-token');
    const flagWins = await listKeys(['--token-file', file], {
      ...serverOnly(),
      SEARCHGATE_TOKEN_FILE: wrong,
    });
    expect(flagWins.code).toBe(0);
  });

  it('warns when every user can read the file, and still uses it', async () => {
    const file = secretFile('open-token', server.adminToken, 0o644);
    const result = await listKeys(['--token-file', file], serverOnly());
    expect(result.code).toBe(0);
    expect(result.stderr).toBe(
      `searchgate: warning: ${file} can be read by every user (mode 644); chmod 600 it.\n`,
    );
  });

  it.each([
    [['--token-file', '/nonexistent/token'], 'cannot read --token-file /nonexistent/token: ENOENT'],
    [['--token-file', '.'], '--token-file . is a folder'],
    [['--token', 't', '--token-file', 'f'], 'give either --token or --token-file, not both'],
    [['--token', ' '], '--token is empty'],
  ])('refuses %j with exit code 2', async (argv, message) => {
    const result = await listKeys(argv, serverOnly());
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`searchgate keys list: ${message}\n`);
    expect(result.stdout).toBe('');
  });

  it('refuses an empty or oversized file, naming it', async () => {
    const empty = secretFile('empty', '\n');
    const big = secretFile('big', 'x'.repeat(5000));
    for (const [file, problem] of [
      [empty, 'is empty'],
      [big, 'is too big for a secret'],
    ] as const) {
      const result = await listKeys(['--token-file', file], serverOnly());
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(`--token-file ${file} ${problem}`);
    }
  });

  it('names SEARCHGATE_TOKEN_FILE when that file is the problem', async () => {
    const result = await listKeys([], {
      ...serverOnly(),
      SEARCHGATE_TOKEN_FILE: '/nonexistent/token',
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('cannot read SEARCHGATE_TOKEN_FILE /nonexistent/token: ENOENT');
  });
});

describe('the indexing API key', () => {
  const index = (argv: string[], env: Record<string, string>) =>
    searchgate(['index', String(corpusId), path.join(folder, 'page.md'), '--json', ...argv], {
      env,
    });

  it('from --api-key-file or SEARCHGATE_API_KEY_FILE: indexes, no warning', async () => {
    const file = secretFile('index-key', `${indexKey}\n`);
    const fromFlag = await index(['--api-key-file', file], serverOnly());
    expect(fromFlag.code).toBe(0);
    expect(fromFlag.stderr).toBe('');
    expect(JSON.parse(fromFlag.stdout)).toMatchObject({ failed: 0 });

    const fromEnv = await index([], { ...serverOnly(), SEARCHGATE_API_KEY_FILE: file });
    expect(fromEnv.code).toBe(0);
    expect(fromEnv.stderr).toBe('');
  });

  it('from --api-key: indexes, with a warning', async () => {
    const result = await index(['--api-key', indexKey], serverOnly());
    expect(result.code).toBe(0);
    expect(result.stderr).toContain(
      'searchgate: warning: --api-key on the command line can be read by every user of this machine (ps); set SEARCHGATE_API_KEY or use --api-key-file instead.',
    );
    expect(result.stderr).not.toContain(indexKey);
  });

  it('an --api-key-file wins over a token in the environment', async () => {
    const file = secretFile('index-key-2', indexKey);
    // A wrong token in the environment would make the request fail if it were used.
    const result = await index(['--api-key-file', file], address('sga_wrong'));
    expect(result.code).toBe(0);
  });
});
