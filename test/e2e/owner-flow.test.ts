import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../helpers/browser.ts';
import { startRedisServer, type TestRedisServer } from '../helpers/redis-server.ts';
import { startSharedInstances, type TestServer } from '../helpers/test-server.ts';

/**
 * The owner's story end to end, as in production: two instances share Redis; the owner works
 * in the console on instance A, and a third-party site (another origin) embeds the widget
 * served by instance B. Every step the owner takes in the console reaches the widget.
 */
let siteOrigin = '';
let siteHtml = '';
const poll = <T>(fn: () => Promise<T>) => expect.poll(fn, { timeout: 10_000 });

describe('owner flow: console on one instance, widget on another site via a second one', () => {
  let redis: TestRedisServer;
  let a: TestServer;
  let b: TestServer;
  let browser: Browser;
  let consolePage: Page;
  let sitePage: Page;
  let corpusId: number;
  let secret: string;
  let site: http.Server;

  beforeAll(async () => {
    // The partner's own web server: a real other origin (localhost vs 127.0.0.1, both on loopback).
    site = http.createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(siteHtml);
    });
    site.listen(0, '127.0.0.1');
    await once(site, 'listening');
    siteOrigin = `http://localhost:${(site.address() as AddressInfo).port}`;
    redis = await startRedisServer();
    [a, b] = (await startSharedInstances(2, redis.url)) as [TestServer, TestServer];
    corpusId = await a.createCorpus('Handbook');
    await a.indexDocuments(corpusId, [
      {
        documentId: 'ferries',
        title: 'Ferry timetable',
        metadata: { url: 'https://partner.example/ferries' },
        sections: [{ title: 'Winter', text: 'The winter ferry leaves the harbour at dawn.' }],
      },
    ]);
    browser = await launchBrowser();
    consolePage = await (await browser.newContext()).newPage();
    consolePage.setDefaultTimeout(10_000);
  });

  afterAll(async () => {
    await browser?.close();
    await b?.close();
    await a?.close();
    await redis?.stop();
    site?.close();
  });

  /** Opens the partner's page: its own origin, the pasted snippet pointing at instance B. */
  async function openSite(snippet: string): Promise<Page> {
    const [scriptTag, ...element] = snippet.split('\n');
    siteHtml = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Partner</title>${scriptTag}</head><body><h1>Partner site</h1>${element.join('\n')}</body></html>`;
    const context = await browser.newContext();
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    await page.goto(`${siteOrigin}/`);
    await page.waitForFunction(() => customElements.get('search-gate') !== undefined);
    return page;
  }

  async function search(text: string) {
    const box = sitePage.getByRole('combobox');
    await box.fill('');
    await box.fill(text);
  }

  async function menuAction(item: string) {
    await consolePage.getByRole('button', { name: 'Actions for key Partner site' }).click();
    await consolePage.getByRole('menuitem', { name: item }).click();
  }

  it('signs in to the console and creates a query key for the partner origin', async () => {
    await consolePage.goto(`${a.url}/console/`);
    await consolePage.getByLabel('Admin token').fill(a.adminToken);
    await consolePage.getByLabel('Customer id').fill(String(a.customerId));
    await consolePage.getByRole('button', { name: 'Sign in' }).click();
    await consolePage.getByRole('button', { name: 'Create key' }).click();
    const dialog = consolePage.getByRole('dialog', { name: 'Create key' });
    await dialog.getByLabel('Description').fill('Partner site');
    await poll(() => dialog.getByLabel('Handbook').isChecked()).toBe(true);
    await dialog.getByLabel('Allowed origins').fill(siteOrigin);
    await dialog.getByRole('button', { name: 'Create key' }).click();
    const created = consolePage.getByRole('dialog', { name: 'Key “Partner site” created' });
    secret = await created.getByLabel('Secret').inputValue();
    const snippet = await created.getByLabel('Paste into your page').inputValue();
    await created.getByRole('button', { name: 'Done' }).click();
    expect(snippet).toContain(secret);
    // Pasted as given, with instance B as the host: the load balancer may send the site anywhere.
    sitePage = await openSite(snippet.replaceAll(a.url, b.url));
  });

  it('the partner site searches across origins', async () => {
    await search('winter ferr');
    await sitePage.getByText('Ferry timetable').first().waitFor();
  });

  it('a disable in the console cuts the widget off on its next search', async () => {
    await menuAction('Disable');
    await consolePage
      .locator('#keys-list tbody tr', { hasText: 'Partner site' })
      .getByText('Disabled')
      .waitFor();
    await search('harbour');
    await sitePage.getByText('Search is unavailable right now.').first().waitFor();
  });

  it('an enable brings it back within seconds, by itself', async () => {
    await menuAction('Enable');
    await consolePage
      .locator('#keys-list tbody tr', { hasText: 'Partner site' })
      .getByText('Enabled')
      .waitFor();
    // No reload and no typing: the widget's own retry (after 1 s, then 2 s, …) finds the key back.
    await sitePage.getByText('Ferry timetable').first().waitFor();
    await search('dawn');
    await sitePage.getByText('Ferry timetable').first().waitFor();
  });

  it('a rotation with no grace refuses the old secret on the other instance at once', async () => {
    await menuAction('Rotate…');
    const dialog = consolePage.getByRole('dialog', { name: 'Rotate key “Partner site”' });
    await dialog.getByLabel('Old secret keeps working for').selectOption('0');
    await dialog.getByRole('button', { name: 'Rotate' }).click();
    const rotated = consolePage.getByRole('dialog', { name: 'New secret for “Partner site”' });
    const next = await rotated.getByLabel('Secret').inputValue();
    await rotated.getByRole('button', { name: 'Done' }).click();
    const body = { query: [{ query: 'ferry', corpusKey: [{ corpusId }] }] };
    expect((await b.query('/v1/query', body, secret)).body.error.code).toBe('API_KEY_UNKNOWN');
    expect((await b.query('/v1/query', body, next)).status).toBe(200);
    secret = next;
  });

  it('a delete refuses the key for good on every instance', async () => {
    await menuAction('Delete…');
    const dialog = consolePage.getByRole('dialog', { name: 'Delete key permanently' });
    await dialog.getByLabel(/To confirm, type the key’s description/).fill('Partner site');
    await dialog.getByRole('button', { name: 'Delete key' }).click();
    await consolePage
      .locator('#keys-list tbody tr', { hasText: 'Partner site' })
      .waitFor({ state: 'detached' });
    const body = { query: [{ query: 'ferry', corpusKey: [{ corpusId }] }] };
    for (const server of [a, b]) {
      expect((await server.query('/v1/query', body, secret)).body.error.code).toBe(
        'API_KEY_UNKNOWN',
      );
    }
  });
});
