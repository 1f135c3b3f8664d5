import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { projectPaths } from '../../../server/project-paths.ts';
import { cliCommand, type ServerProcess, spawnServer } from '../../helpers/server-process.ts';

/** `searchgate serve` and `demo` as an operator starts them: real processes, fresh data folders. */

const folders: string[] = [];
const freshDataDir = () => {
  const folder = mkdtempSync(path.join(os.tmpdir(), 'searchgate-serve-'));
  folders.push(folder);
  return folder;
};
afterAll(() => {
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});

// As an operator makes one (openssl rand -base64 32): strong enough for the start-up check.
const operatorToken = randomBytes(32).toString('base64url');

async function withServer(
  env: Record<string, string>,
  use: (server: ServerProcess) => Promise<void>,
  args = ['serve'],
  ready?: RegExp,
): Promise<void> {
  const server = await spawnServer(env, args, ready);
  try {
    await use(server);
  } finally {
    expect(await server.stop()).toBe(0);
  }
}

const listKeys = (url: string, token: string, customerId: string) =>
  fetch(`${url}/v1/list-api-keys`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${token}`,
      'customer-id': customerId,
      'content-type': 'application/json',
    },
    body: '{}',
  });

describe('what serve shows in a browser', () => {
  it('the console, and no demo page with unfilled placeholders', async () => {
    await withServer({ DATA_DIR: freshDataDir() }, async (server) => {
      const root = await fetch(`${server.url}/`, { redirect: 'manual' });
      expect(root.status).toBe(302);
      expect(root.headers.get('location')).toBe('/console/');
      const console = await fetch(`${server.url}/console/`);
      expect(console.status).toBe(200);
      const page = await console.text();
      const script = /src="(\/assets\/[^"]+\.js)"/.exec(page)?.[1];
      expect(script).toBeDefined();
      expect((await fetch(`${server.url}${script}`)).status).toBe(200);
      for (const demoPage of ['/index.html', '/theming', '/site.css']) {
        const response = await fetch(`${server.url}${demoPage}`);
        expect(response.status, demoPage).toBe(404);
        expect(await response.text()).not.toContain('%%');
      }
    });
  });
});

describe('the admin token at first start', () => {
  it('a generated one is shown once, and works', async () => {
    await withServer({ DATA_DIR: freshDataDir() }, async (server) => {
      const token = /admin token \(shown once, stored only as a hash\): (sga_\S+)/.exec(
        server.output(),
      )?.[1];
      const customerId = /customer-id\): (\d+)/.exec(server.output())?.[1] ?? '';
      expect(token).toBeDefined();
      expect((await listKeys(server.url, token ?? '', customerId)).status).toBe(200);
    });
  });

  it('one given in ADMIN_TOKEN is never printed by serve, and works', async () => {
    await withServer({ DATA_DIR: freshDataDir(), ADMIN_TOKEN: operatorToken }, async (server) => {
      const customerId = /customer-id\): (\d+)/.exec(server.output())?.[1] ?? '';
      expect((await listKeys(server.url, operatorToken, customerId)).status).toBe(200);
      expect(server.output()).toContain('admin token: the one in ADMIN_TOKEN');
      expect(server.output()).not.toContain(operatorToken);
    });
  });

  it('one given in ADMIN_TOKEN is never printed by demo', async () => {
    await withServer(
      { DATA_DIR: freshDataDir(), ADMIN_TOKEN: operatorToken },
      async (server) => {
        expect(server.output()).toMatch(/Admin token\s+the one in ADMIN_TOKEN/);
        expect(server.output()).not.toContain(operatorToken);
      },
      ['demo'],
      /Demo site\s+(http:\/\/\S+?)\/\s/,
    );
  });
});

describe('LOG_FORMAT', () => {
  it('is JSON lines by default', async () => {
    await withServer({ DATA_DIR: freshDataDir(), LOG_LEVEL: 'info' }, async (server) => {
      await fetch(`${server.url}/healthz`);
      await expect.poll(() => server.output()).toMatch(/^\{"level":30,.*"path":"\/healthz"/m);
    });
  });

  it('pretty gives readable lines instead of JSON', async () => {
    await withServer(
      { DATA_DIR: freshDataDir(), LOG_LEVEL: 'info', LOG_FORMAT: 'pretty' },
      async (server) => {
        await fetch(`${server.url}/healthz`);
        await expect
          .poll(() => server.output())
          .toMatch(/INFO.*\n(\s+\w+: .*\n)*\s+path: "\/healthz"/);
        expect(server.output()).not.toMatch(/^\{"level"/m);
      },
    );
  });

  it('refuses an unknown format at start-up with exit code 2, naming the variable', async () => {
    const run = promisify(execFile)(process.execPath, [...cliCommand, 'serve'], {
      cwd: projectPaths.root,
      env: { PATH: process.env.PATH ?? '', DATA_DIR: freshDataDir(), LOG_FORMAT: 'fancy' },
    });
    await expect(run).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining('Invalid configuration: LOG_FORMAT="fancy"'),
    });
  });
});
