import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { openPage } from '../helpers/browser.ts';
import { widgetMarkup } from './fixture-corpus.ts';
import { widgetHarness } from './widget-harness.ts';

const h = widgetHarness({ failOnPageErrors: false });

describe('the built bundle', () => {
  it('works from a plain HTML page with nothing but its script tag', async () => {
    h.current = await openPage(h.browser, h.server.url, {
      ownScripts: true,
      head: `<script type="module" src="${h.server.url}/search-gate.js"></script>`,
      body: widgetMarkup(h.server, h.fixture),
    });
    const { page, errors } = h.current;
    await page.getByRole('combobox').fill('guide');
    await page.getByText('Installing Searchgate').waitFor();
    expect(errors).toEqual([]);
  });

  it('adds no globals besides the version arrays Lit shares between its copies', async () => {
    h.current = await openPage(h.browser, h.server.url, {
      ownScripts: true,
      // A classic script runs before the (deferred) module: it sees the window untouched.
      head: `<script>window.before = Object.keys(window);</script>
        <script type="module" src="/search-gate.js"></script>`,
      body: widgetMarkup(h.server, h.fixture),
    });
    const added = await h.current.page.evaluate(() => {
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
    expect(h.current.errors).toEqual([]);
  });

  it('does not throw when the page loads it twice', async () => {
    h.current = await openPage(h.browser, h.server.url, {
      ownScripts: true,
      // A different query string makes the browser evaluate a second copy of the module.
      head: `<script type="module" src="/search-gate.js"></script>
        <script type="module" src="/search-gate.js?copy=2"></script>`,
      body: widgetMarkup(h.server, h.fixture),
    });
    const { page, errors } = h.current;
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
    h.current = await openPage(h.browser, h.server.url, {
      body: widgetMarkup(h.server, h.fixture),
    });
    const observed = await h.current.page.evaluate(() =>
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
