import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectPaths } from '../../server/project-paths.ts';
import { launchBrowser } from '../helpers/browser.ts';
import { requestJson, startTestServer, type TestServer } from '../helpers/test-server.ts';
import {
  createKeyInConsole,
  expectNoAxeViolations,
  keyRow,
  menuAction,
  openConsole,
  poll,
  requireBuiltConsole,
  signIn,
} from './console-page.ts';

let browser: Browser;
let server: TestServer;

beforeAll(async () => {
  requireBuiltConsole();
  [browser, server] = await Promise.all([launchBrowser(), startTestServer()]);
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const queryBody = (corpusId: number) => ({
  query: [
    { query: 'hello', numResults: 3, corpusKey: [{ customerId: server.customerId, corpusId }] },
  ],
});

describe('key console without its script', () => {
  it('cannot submit the admin token anywhere (no GET with the token in the URL)', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${server.url}/console/`);
    // No form, no field: nothing could carry the token; the page says what is missing.
    await expect(page.locator('body').textContent()).resolves.toContain('needs JavaScript');
    expect(await page.locator('form, input, button').count()).toBe(0);
    await context.close();
  });
});

describe('key console', () => {
  let context: BrowserContext;
  let page: Page;
  let errors: string[];
  let docsCorpus: number;
  let secret: string;
  let snippet: string;

  beforeAll(async () => {
    ({ context, page, errors } = await openConsole(browser, server));
  });
  afterAll(async () => {
    await context?.close();
  });

  it('signs in with the admin token, keeping it in sessionStorage and out of the URL', async () => {
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await expectNoAxeViolations(page);

    await page.getByLabel('Admin token').fill('not-the-token');
    await page.getByLabel('Customer id').fill(String(server.customerId));
    await page.getByRole('button', { name: 'Sign in' }).click();
    await poll(() => page.locator('#sign-in-error').textContent()).toBe(
      'That admin token is not valid.',
    );

    await signIn(page, server);
    expect(page.url()).not.toContain(server.adminToken);
    const stored = await page.evaluate(() => ({
      session: JSON.stringify({ ...sessionStorage }),
      local: JSON.stringify({ ...localStorage }),
    }));
    expect(stored.session).toContain(server.adminToken);
    expect(stored.local).not.toContain(server.adminToken);
    await poll(() => page.locator('#keys-list').textContent()).toContain('No keys yet');
    await expectNoAxeViolations(page);

    // A reload keeps the session (same tab).
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'API keys' }).waitFor();
  });

  it('creates corpora, shows document counts and deletes one after confirmation', async () => {
    await page.getByRole('link', { name: 'Corpora' }).click();
    await page.getByRole('heading', { level: 1, name: 'Corpora' }).waitFor();
    await poll(() => page.locator('h1:focus').textContent()).toBe('Corpora');

    for (const name of ['Docs', 'Scratch']) {
      await page.getByRole('button', { name: 'Create corpus' }).click();
      const dialog = page.getByRole('dialog', { name: 'Create corpus' });
      await poll(() => page.evaluate(() => document.activeElement?.id)).toBe('corpus-name');
      await dialog.getByLabel('Name').fill(name);
      // The key pages will name is offered from the name.
      await poll(() => dialog.getByLabel('Key', { exact: true }).inputValue()).toBe(
        name.toLowerCase(),
      );
      await dialog.getByRole('button', { name: 'Create corpus' }).click();
      await page.locator('#corpora-list th', { hasText: name }).waitFor();
    }
    const keyCell = page
      .locator('#corpora-list tr', { hasText: 'Docs' })
      .locator('td[data-label="Key"]');
    await poll(() => keyCell.textContent()).toBe('docs');
    const corpora = (await server.admin('/v1/list-corpora', {})).body.corpus as Array<{
      id: number;
      name: string;
    }>;
    docsCorpus = corpora.find((c) => c.name === 'Docs')?.id ?? 0;
    await server.indexDocuments(docsCorpus, [
      { documentId: 'a', title: 'Hello', sections: [{ text: 'hello world' }] },
      { documentId: 'b', title: 'Hello again', sections: [{ text: 'hello there' }] },
    ]);
    await page.reload();
    const docsRow = page.locator('#corpora-list tr', { hasText: 'Docs' });
    await poll(() => docsRow.locator('td[data-label="Documents"]').textContent()).toBe('2');
    await expectNoAxeViolations(page);

    await page.getByRole('button', { name: 'Delete corpus Scratch' }).click();
    const confirm = page.getByRole('dialog', { name: 'Delete corpus “Scratch”' });
    await poll(() => confirm.textContent()).toContain('cannot be undone');
    await expectNoAxeViolations(page);
    await confirm.getByRole('button', { name: 'Delete corpus' }).click();
    await page.locator('#corpora-list th', { hasText: 'Scratch' }).waitFor({ state: 'detached' });
    const names = (await server.admin('/v1/list-corpora', {})).body.corpus.map(
      (c: { name: string }) => c.name,
    );
    expect(names).toEqual(['Docs']);
  });

  it('offers a link to Vectara only where the server can have one', async () => {
    const open = async () => {
      await page.getByRole('button', { name: 'Create corpus' }).click();
      return page.getByRole('dialog', { name: 'Create corpus' });
    };
    // This server has no UPSTREAM_URL, and /healthz says so: no field for a link.
    let dialog = await open();
    await dialog.getByLabel('Name').waitFor();
    expect(await dialog.getByLabel('Linked to Vectara').count()).toBe(0);
    await page.keyboard.press('Escape');

    // A server that does not say (before /healthz told): the field is offered, the server decides.
    const healthz = (url: URL) => url.pathname === '/healthz';
    await page.route(healthz, (route) =>
      route.fulfill({ json: { status: 'ok', database: 'ok', keyStore: 'ok' } }),
    );
    try {
      await page.reload();
      dialog = await open();
      await dialog.getByLabel('Name').fill('Mirror');
      await dialog.getByLabel('Linked to Vectara').fill('their-docs');
      await expectNoAxeViolations(page);
      await dialog.getByRole('button', { name: 'Create corpus' }).click();
      await poll(() => dialog.getByRole('alert').textContent()).toMatch(
        /^Linked to Vectara: this server is not in front of a Vectara account .*\(INVALID_ARGUMENT\)$/,
      );
      await poll(() => page.evaluate(() => document.activeElement?.id)).toBe('corpus-upstream');
      // What was typed stays; nothing was created.
      expect(await dialog.getByLabel('Name').inputValue()).toBe('Mirror');
      await page.keyboard.press('Escape');
      const listed = await requestJson('GET', `${server.url}/v2/corpora`, undefined, {
        'x-api-key': server.adminToken,
      });
      expect(listed.body.corpora.map((c: { key: string }) => c.key)).toEqual(['docs']);
    } finally {
      await page.unroute(healthz);
    }
  });

  it('creates a key, shows its secret once with a copy button and a ready-to-paste snippet', async () => {
    await page.getByRole('link', { name: 'Keys' }).click();
    await page.getByRole('button', { name: 'Create key' }).click();
    const dialog = page.getByRole('dialog', { name: 'Create key' });
    await dialog.getByLabel('Description').fill('Docs site');
    await poll(() => dialog.getByLabel('Docs').isChecked()).toBe(true);
    await dialog.getByLabel('Requests per minute').fill('100');
    await dialog.getByLabel('Daily quota').fill('5000');
    await dialog.getByLabel('Allowed origins').fill('https://bad origin');
    await expectNoAxeViolations(page);
    await dialog.getByRole('button', { name: 'Create key' }).click();
    // The server names the bad field, the console its label and input; nothing is created.
    await poll(() => dialog.getByRole('alert').textContent()).toMatch(/^Allowed origins: /);
    await poll(() => page.evaluate(() => document.activeElement?.id)).toBe('key-origins');
    expect(await dialog.getByLabel('Allowed origins').getAttribute('aria-invalid')).toBe('true');
    expect((await server.admin('/v1/list-api-keys', {})).body.keyData).toEqual([]);
    await dialog.getByLabel('Allowed origins').fill('');
    await dialog.getByRole('button', { name: 'Create key' }).click();

    const secretDialog = page.getByRole('dialog', { name: 'Key “Docs site” created' });
    await secretDialog.waitFor();
    secret = await secretDialog.getByLabel('Secret').inputValue();
    expect(secret).toMatch(/^sg/);
    await poll(() => page.evaluate(() => document.activeElement?.id)).toBe('secret-value');
    snippet = await secretDialog.getByLabel('Paste into your page').inputValue();
    expect(snippet).toBe(
      `<script type="module" src="${server.url}/search-gate.js"></script>\n` +
        `<search-gate endpoint="${server.url}" api-key="${secret}" corpus-key="docs"></search-gate>`,
    );
    await secretDialog.getByRole('button', { name: 'Copy secret' }).click();
    await poll(() => secretDialog.getByRole('status').textContent()).toBe(
      'Secret copied to the clipboard.',
    );
    await poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe(secret);
    await secretDialog.getByRole('button', { name: 'Copy snippet' }).click();
    await poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe(snippet);
    await expectNoAxeViolations(page);

    await secretDialog.getByRole('button', { name: 'Done' }).click();
    await secretDialog.waitFor({ state: 'hidden' });
    // Shown once: the secret is gone from the page, and focus is back on the key's menu button.
    await poll(() => page.content()).not.toContain(secret);
    await poll(() => page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe(
      'Actions for key Docs site',
    );

    const row = keyRow(page, 'Docs site');
    await poll(() => row.locator('td[data-label="Status"]').textContent()).toBe('Enabled');
    await poll(() => row.locator('td[data-label="Type"]').textContent()).toBe('query only');
    await poll(() => row.locator('td[data-label="Corpora"]').textContent()).toBe('docs');
    await expect(server.query('/v1/query', queryBody(docsCorpus), secret)).resolves.toMatchObject({
      status: 200,
    });
    await expectNoAxeViolations(page);
  });

  it('gives an index key no snippet and says it must stay off web pages', async () => {
    await page.getByRole('button', { name: 'Create key' }).click();
    const dialog = page.getByRole('dialog', { name: 'Create key' });
    await dialog.getByLabel('Description').fill('CI indexer');
    await dialog.getByLabel(/Query and index/).check();
    await dialog.getByRole('button', { name: 'Create key' }).click();
    const secretDialog = page.getByRole('dialog', { name: 'Key “CI indexer” created' });
    await secretDialog.waitFor();
    await poll(() => secretDialog.getByLabel('Paste into your page').isVisible()).toBe(false);
    await poll(() => secretDialog.textContent()).toMatch(/never put it in\s+a web page/);
    await secretDialog.getByRole('button', { name: 'Done' }).click();
    const row = keyRow(page, 'CI indexer');
    await poll(() => row.locator('td[data-label="Type"]').textContent()).toBe('query + index');

    // Deleted again (from the API), so that the steps below are about "Docs site" alone.
    const id = await row.getAttribute('data-key-id');
    expect((await server.admin('/v1/delete-api-key', { keyId: [id] })).status).toBe(200);
    await page.reload();
    await row.waitFor({ state: 'detached' });
  });

  it('disables and enables a key from its ⋯ menu; the status shows at once and queries follow', async () => {
    await menuAction(page, 'Docs site', 'Disable');
    const status = keyRow(page, 'Docs site').locator('td[data-label="Status"]');
    await poll(() => status.textContent()).toBe('Disabled');
    await poll(() => page.getByRole('status').first().textContent()).toContain('disabled');
    const refused = await server.query('/v1/query', queryBody(docsCorpus), secret);
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('KEY_DISABLED');

    await menuAction(page, 'Docs site', 'Enable');
    await page.waitForFunction(
      () =>
        document.querySelector('#keys-list tr [data-label="Status"]')?.textContent === 'Enabled',
    );
    await expect(server.query('/v1/query', queryBody(docsCorpus), secret)).resolves.toMatchObject({
      status: 200,
    });
    // Usage shows after a reload of the list, with the reason of each refusal.
    await page.reload();
    const refusals = keyRow(page, 'Docs site').locator('td[data-label="Refusals today"]');
    await poll(() => refusals.textContent()).toBe('1key disabled: 1');
  });

  it('closes the menu with Escape, returning focus to its button', async () => {
    const button = keyRow(page, 'Docs site').getByRole('button', {
      name: 'Actions for key Docs site',
    });
    await button.focus();
    await page.keyboard.press('ArrowDown');
    await page.getByRole('menu').waitFor();
    await poll(() => button.getAttribute('aria-expanded')).toBe('true');
    await page.keyboard.press('End');
    await poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('Delete…');
    await page.keyboard.press('Escape');
    await poll(() => page.getByRole('menu').count()).toBe(0);
    await poll(() => page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe(
      'Actions for key Docs site',
    );
  });

  it('rotates a key with no grace: the old secret is refused, the new one works', async () => {
    await menuAction(page, 'Docs site', 'Rotate…');
    const dialog = page.getByRole('dialog', { name: 'Rotate key “Docs site”' });
    await dialog.getByLabel('Old secret keeps working for').selectOption('0');
    await expectNoAxeViolations(page);
    await dialog.getByRole('button', { name: 'Rotate' }).click();
    const secretDialog = page.getByRole('dialog', { name: 'New secret for “Docs site”' });
    await secretDialog.waitFor();
    const rotated = await secretDialog.getByLabel('Secret').inputValue();
    expect(rotated).not.toBe(secret);
    await poll(() => secretDialog.textContent()).toContain(
      'The old secret is refused from now on.',
    );
    await poll(() => secretDialog.getByLabel('Paste into your page').inputValue()).toContain(
      rotated,
    );
    await secretDialog.getByRole('button', { name: 'Done' }).click();

    const old = await server.query('/v1/query', queryBody(docsCorpus), secret);
    expect(old.status).toBe(401);
    await expect(server.query('/v1/query', queryBody(docsCorpus), rotated)).resolves.toMatchObject({
      status: 200,
    });
    secret = rotated;
  });

  it('edits a key’s settings', async () => {
    await menuAction(page, 'Docs site', 'Edit settings…');
    const dialog = page.getByRole('dialog', { name: 'Edit key “Docs site”' });
    await poll(() => dialog.getByLabel('Requests per minute').inputValue()).toBe('100');
    await poll(() => dialog.getByLabel('Daily quota').inputValue()).toBe('5000');
    await poll(() => dialog.getByRole('group', { name: 'Type' }).isVisible()).toBe(false);
    await dialog.getByLabel('Description').fill('Docs site v2');
    await dialog.getByLabel('Per visitor IP per minute').fill('20');
    await dialog.getByLabel('Daily quota').fill('');
    await dialog
      .getByLabel('Allowed origins')
      .fill('https://docs.example.com\nhttps://*.example.org');
    const nextYear = new Date().getFullYear() + 1;
    await dialog.getByLabel('Expires on').fill(`${nextYear}-06-30`);
    await dialog.getByRole('button', { name: 'Save changes' }).click();
    await keyRow(page, 'Docs site v2').waitFor();

    const [key] = (await server.admin('/v1/list-api-keys', {})).body.keyData;
    expect(key.apiKey.description).toBe('Docs site v2');
    expect(key.settings.limits).toEqual({ perMinute: 100, perIpPerMinute: 20, dailyQuota: null });
    expect(key.settings.allowedOrigins).toEqual([
      'https://docs.example.com',
      'https://*.example.org',
    ]);
    // The end of that day in the browser's time zone.
    const browserExpiry = await page.evaluate(
      (year) => new Date(year, 5, 30, 23, 59, 59).toISOString(),
      nextYear,
    );
    expect(key.settings.expiresAt).toBe(browserExpiry);
    const expires = keyRow(page, 'Docs site v2').locator('td[data-label="Expires"]');
    await poll(() => expires.textContent()).toContain(String(nextYear));
  });

  it('deletes a key only after its description is typed, and says it is permanent', async () => {
    await menuAction(page, 'Docs site v2', 'Delete…');
    const dialog = page.getByRole('dialog', { name: 'Delete key permanently' });
    await poll(() => dialog.textContent()).toContain('cannot be undone');
    const confirmButton = dialog.getByRole('button', { name: 'Delete key' });
    await poll(() => confirmButton.isDisabled()).toBe(true);
    const input = dialog.getByLabel(/To confirm, type the key’s description/);
    await input.fill('Docs site');
    await poll(() => confirmButton.isDisabled()).toBe(true);
    await expectNoAxeViolations(page);
    await input.fill('Docs site v2');
    await poll(() => confirmButton.isDisabled()).toBe(false);
    await confirmButton.click();
    await keyRow(page, 'Docs site v2').waitFor({ state: 'detached' });
    await poll(() => page.evaluate(() => document.activeElement?.id)).toBe('create-key');

    const gone = await server.query('/v1/query', queryBody(docsCorpus), secret);
    expect(gone.status).toBe(401);
    expect(gone.body.error.code).toBe('API_KEY_UNKNOWN');
  });

  it('shows every action in the audit log', async () => {
    await page.getByRole('link', { name: 'Audit log' }).click();
    await page.locator('#audit-list tbody tr').first().waitFor();
    const actions = await page
      .locator('#audit-list tbody tr')
      .evaluateAll((rows) => rows.map((row) => row.getAttribute('data-action')));
    expect(actions).toEqual([
      ...['delete', 'update', 'rotate', 'enable', 'disable'],
      ...['delete', 'create'], // the index key
      'create',
    ]);
    await poll(() => page.locator('#audit-list').textContent()).not.toContain(secret);
    await expectNoAxeViolations(page);
    expect(errors.filter((e) => !/status of 4\d\d/.test(e))).toEqual([]);
  });

  it('signs out, forgetting the token', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await poll(() => page.evaluate(() => JSON.stringify({ ...sessionStorage }))).not.toContain(
      server.adminToken,
    );
  });
});

/** The built widget speaks v2 (`corpus-key`) once the widget branch has landed. */
const widgetSpeaksV2 = (() => {
  const bundle = path.join(projectPaths.widgetDir, 'search-gate.js');
  return existsSync(bundle) && readFileSync(bundle, 'utf8').includes('corpus-key');
})();

describe.skipIf(!widgetSpeaksV2)('the snippet from the console, pasted into a page', () => {
  it('searches, is cut off on its next search by a disable, and searches again once enabled', async () => {
    const own = await startTestServer();
    const { context, page, errors } = await openConsole(browser, own);
    try {
      const admin = { 'x-api-key': own.adminToken };
      const corpus = await requestJson('POST', `${own.url}/v2/corpora`, { key: 'docs' }, admin);
      await own.indexDocuments(Number(String(corpus.body.id).slice(4)), [
        { documentId: 'a', title: 'Hello', sections: [{ text: 'hello world' }] },
        { documentId: 'b', title: 'Hello again', sections: [{ text: 'hello there' }] },
      ]);
      await signIn(page, own);
      const { snippet: pasted } = await createKeyInConsole(page, 'Owner page');
      expect(pasted).toContain('corpus-key="docs"');

      // The owner's page: the snippet pasted verbatim, served from the server's origin.
      const ownerPage = await context.newPage();
      await ownerPage.route(
        (url) => url.pathname === '/owner-page.html',
        (route) =>
          route.fulfill({
            contentType: 'text/html; charset=utf-8',
            body: `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Owner page</title></head><body><main>${pasted}</main></body></html>`,
          }),
      );
      await ownerPage.goto(`${own.url}/owner-page.html`);
      const search = ownerPage.getByRole('combobox');
      await search.fill('hello');
      await ownerPage.getByRole('option').first().waitFor();

      await menuAction(page, 'Owner page', 'Disable');
      await search.fill('hello again');
      await poll(() =>
        ownerPage.locator('search-gate').evaluate((el) => el.shadowRoot?.textContent ?? ''),
      ).toContain('unavailable');

      await menuAction(page, 'Owner page', 'Enable');
      await poll(() => keyRow(page, 'Owner page').getAttribute('data-status')).toBe('enabled');
      await ownerPage.reload();
      await ownerPage.getByRole('combobox').fill('hello');
      await ownerPage.getByRole('option').first().waitFor();
      await page.reload();
      const refusals = keyRow(page, 'Owner page').locator('td[data-label="Refusals today"]');
      await poll(() => refusals.textContent()).toBe('1key disabled: 1');
      expect(errors.filter((e) => !/status of 4\d\d/.test(e))).toEqual([]);
    } finally {
      await context.close();
      await own.close();
    }
  });
});

describe('key console and untrusted text', () => {
  it('shows names as text, never as HTML', async () => {
    const own = await startTestServer();
    const { context, page, errors } = await openConsole(browser, own);
    try {
      const hostile = '<img src=x onerror="window.pwned=1">';
      const admin = { 'x-api-key': own.adminToken };
      await requestJson('POST', `${own.url}/v2/corpora`, { key: 'docs', name: hostile }, admin);
      await requestJson(
        'POST',
        `${own.url}/v2/api_keys`,
        { name: hostile, api_key_role: 'serving', corpus_keys: ['docs'] },
        admin,
      );
      await signIn(page, own);
      await poll(() => page.locator('#keys-list .key-name').textContent()).toBe(hostile);
      await page.getByRole('link', { name: 'Corpora' }).click();
      await poll(() => page.locator('#corpora-list tbody th').textContent()).toBe(hostile);
      await page.getByRole('link', { name: 'Audit log' }).click();
      await poll(() => page.locator('#audit-list .key-name').textContent()).toBe(hostile);
      expect(await page.locator('img').count()).toBe(0);
      expect(await page.evaluate(() => 'pwned' in window)).toBe(false);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
      await own.close();
    }
  });
});

describe('key console on a 360 px phone screen', () => {
  it('fits the width on every screen and in the create dialog, with no axe violations', async () => {
    await server.createKey({ corpusIds: [1], description: 'Phone check' }).catch(async () => {
      const corpusId = await server.createCorpus('Phone corpus');
      await server.createKey({ corpusIds: [corpusId], description: 'Phone check' });
    });
    const { context, page, errors } = await openConsole(browser, server, {
      width: 360,
      height: 740,
    });
    try {
      const fits = () =>
        page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
      await poll(() => fits()).toBe(true);
      await signIn(page, server, { withCustomerId: false });
      await keyRow(page, 'Phone check').waitFor();
      await poll(() => fits()).toBe(true);
      await expectNoAxeViolations(page);

      await page.getByRole('button', { name: 'Actions for key Phone check' }).click();
      const menuBox = await page.getByRole('menu').boundingBox();
      expect(menuBox && menuBox.x >= 0 && menuBox.x + menuBox.width <= 360).toBe(true);
      await page.keyboard.press('Escape');

      await page.getByRole('button', { name: 'Create key' }).click();
      const box = await page.getByRole('dialog', { name: 'Create key' }).boundingBox();
      expect(box && box.x >= 0 && box.x + box.width <= 360).toBe(true);
      await expectNoAxeViolations(page);
      await page.keyboard.press('Escape');

      for (const screen of ['Corpora', 'Audit log']) {
        await page.getByRole('link', { name: screen }).click();
        await page.locator('.screen:not([hidden]) .list[aria-busy="false"]').waitFor();
        await poll(() => fits()).toBe(true);
        await expectNoAxeViolations(page);
      }
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
