import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../helpers/browser.ts';
import { type CompanionPair, startCompanionPair } from '../helpers/companion-pair.ts';
import { requestJson, type TestServer } from '../helpers/test-server.ts';
import {
  createKeyInConsole,
  expectNoAxeViolations,
  openConsole,
  poll,
  requireBuiltConsole,
  signIn,
} from './console-page.ts';

/** The console of a gateway in front of "Vectara" (a second Searchgate, over real HTTP). */
let browser: Browser;
let pair: CompanionPair;
let gateway: TestServer;
let context: BrowserContext;
let page: Page;
let errors: string[];

beforeAll(async () => {
  requireBuiltConsole();
  [browser, pair] = await Promise.all([launchBrowser(), startCompanionPair()]);
  gateway = pair.gateways[0] as TestServer;
  ({ context, page, errors } = await openConsole(browser, gateway));
  await signIn(page, gateway, { withCustomerId: false });
});

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await pair?.close();
});

const corpusRow = (key: string) => page.locator(`#corpora-list tr[data-corpus-key="${key}"]`);

describe('key console in companion mode', () => {
  it('shows which corpora are linked to Vectara, and which Vectara corpus', async () => {
    await page.getByRole('link', { name: 'Corpora' }).click();
    const linked = corpusRow('docs');
    await poll(() => linked.locator('td[data-label="Linked to Vectara"]').textContent()).toBe(
      'their-docs',
    );
    // Its documents are on Vectara: the gateway does not count them.
    await poll(() => linked.locator('td[data-label="Documents"]').textContent()).toBe('on Vectara');
    await expectNoAxeViolations(page);
  });

  it('creates a corpus linked to a Vectara corpus, whose key then searches it', async () => {
    await page.getByRole('button', { name: 'Create corpus' }).click();
    const dialog = page.getByRole('dialog', { name: 'Create corpus' });
    await dialog.getByLabel('Name').fill('Help center');
    await poll(() => dialog.getByLabel('Key', { exact: true }).inputValue()).toBe('help-center');
    await dialog.getByLabel('Key', { exact: true }).fill('help');
    const link = dialog.getByLabel('Linked to Vectara');
    await link.fill('their-docs');
    expect(await dialog.locator('#corpus-upstream-hint').textContent()).toContain(
      'Its documents stay on Vectara',
    );
    await expectNoAxeViolations(page);
    await dialog.getByRole('button', { name: 'Create corpus' }).click();
    const row = corpusRow('help');
    await poll(() => row.locator('td[data-label="Linked to Vectara"]').textContent()).toBe(
      'their-docs',
    );
    await poll(() => page.getByRole('status').first().textContent()).toContain(
      'linked to the Vectara corpus their-docs',
    );

    const listed = await requestJson('GET', `${gateway.url}/v2/corpora/help`, undefined, {
      'x-api-key': gateway.adminToken,
    });
    expect(listed.body).toMatchObject({ key: 'help', upstream_corpus_key: 'their-docs' });

    // A query key on the linked corpus, from the console: its search goes to "Vectara".
    await page.getByRole('link', { name: 'Keys' }).click();
    const { secret, snippet } = await createKeyInConsole(page, 'Help site', async (form) => {
      await form.getByLabel('Help center').check();
    });
    expect(snippet).toContain('corpus-key="help"');
    const before = pair.proxy.requests.length;
    const answer = await requestJson(
      'POST',
      `${gateway.url}/v2/query`,
      { query: 'meaning of life', search: { corpora: [{ corpus_key: 'help' }], limit: 3 } },
      { 'x-api-key': secret },
    );
    expect(answer.status).toBe(200);
    expect(answer.body.search_results.length).toBeGreaterThan(0);
    expect(pair.proxy.requests.length).toBe(before + 1);
    expect(errors).toEqual([]);
  });
});
