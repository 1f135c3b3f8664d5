import { readFileSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openPage, type TestPage } from '../helpers/browser.ts';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';
import { createFixture, type Fixture, widgetMarkup } from './fixture-corpus.ts';

let browser: Browser;
let server: TestServer;
let fixture: Fixture;
let current: TestPage | undefined;

beforeAll(async () => {
  [browser, server] = await Promise.all([launchBrowser(), startTestServer()]);
  fixture = await createFixture(server);
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

afterEach(async () => {
  await current?.context.close();
  current = undefined;
});

describe('the built bundle', () => {
  it('works from a plain HTML page with nothing but its script tag', async () => {
    current = await openPage(browser, server.url, {
      ownScripts: true,
      head: `<script type="module" src="${server.url}/search-gate.js"></script>`,
      body: widgetMarkup(server, fixture),
    });
    const { page, errors } = current;
    await page.getByRole('combobox').fill('guide');
    await page.getByText('Installing Searchgate').waitFor();
    expect(errors).toEqual([]);
  });

  it('adds no globals besides the version arrays Lit shares between its copies', async () => {
    current = await openPage(browser, server.url, {
      ownScripts: true,
      // A classic script runs before the (deferred) module: it sees the window untouched.
      head: `<script>window.before = Object.keys(window);</script>
        <script type="module" src="/search-gate.js"></script>`,
      body: widgetMarkup(server, fixture),
    });
    const added = await current.page.evaluate(() => {
      const before = new Set((window as unknown as { before: string[] }).before);
      return Object.keys(window).filter((name) => !before.has(name) && name !== 'before');
    });
    const litShared = [
      'litElementVersions',
      'litHtmlVersions',
      'litPropertyMetadata',
      'reactiveElementVersions',
    ];
    expect(added.filter((name) => !litShared.includes(name))).toEqual([]);
    expect(current.errors).toEqual([]);
  });

  it('does not throw when the page loads it twice', async () => {
    current = await openPage(browser, server.url, {
      ownScripts: true,
      // A different query string makes the browser evaluate a second copy of the module.
      head: `<script type="module" src="/search-gate.js"></script>
        <script type="module" src="/search-gate.js?copy=2"></script>`,
      body: widgetMarkup(server, fixture),
    });
    const { page, errors } = current;
    await page.waitForLoadState('load');
    // A string, so vitest does not rewrite the dynamic imports meant for the browser.
    const copies = await page.evaluate(
      "Promise.all([import('/search-gate.js'), import('/search-gate.js?copy=2')]).then(([a, b]) => a.SearchGate !== b.SearchGate)",
    );
    expect(copies).toBe(true);
    await page.getByRole('combobox').fill('guide');
    await page.getByText('Installing Searchgate').waitFor();
    expect(errors).toEqual([]);
  });

  it('ships a custom-elements manifest that lists every observed attribute', async () => {
    const manifest = JSON.parse(
      readFileSync(new URL('../../dist/widget/custom-elements.json', import.meta.url), 'utf8'),
    );
    const declaration = manifest.modules
      .flatMap((module: { declarations: unknown[] }) => module.declarations)
      .find((item: { tagName?: string }) => item.tagName === 'search-gate');
    const documented = declaration.attributes.map((attribute: { name: string }) => attribute.name);
    current = await openPage(browser, server.url, { body: widgetMarkup(server, fixture) });
    const observed = await current.page.evaluate(() =>
      [
        ...(customElements.get('search-gate') as unknown as { observedAttributes: string[] })
          .observedAttributes,
      ].sort(),
    );
    expect([...documented].sort()).toEqual(observed);
    expect(declaration.events.map((event: { name: string }) => event.name).sort()).toEqual([
      'search-gate-error',
      'search-gate-results',
      'search-gate-search',
      'search-gate-select',
    ]);
  });
});
