import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { openPage } from '../helpers/browser.ts';
import { v2WidgetMarkup } from './fixture-corpus.ts';
import { widgetHarness } from './widget-harness.ts';

const h = widgetHarness();

/** The page the fixture's "install" hits lead to. */
const landingPage = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Install</title>
  </head><body><nav>Guides · API</nav><main><h1>Installing Searchgate</h1>
  <h2 id="requirements">Requirements</h2><p>The install guide needs Node 20 and nothing else.</p>
  <p>Every guide is here.</p></main></body></html>`;

const open = async (extra: string): Promise<Page> => {
  h.current = await openPage(h.browser, h.server.url, {
    body: `<main>${v2WidgetMarkup(h.server, h.fixture, `no-recent ${extra}`)}</main>`,
  });
  const { page } = h.current;
  await page.route(`${h.server.url}/docs/install`, (route) =>
    route.fulfill({ contentType: 'text/html', body: landingPage }),
  );
  // The link as the browser follows it, read after the widget's own click handler ran.
  await page.evaluate(() =>
    document.addEventListener('click', (event) => {
      const link = event.composedPath().find((el) => el instanceof HTMLAnchorElement);
      sessionStorage.setItem('followed', link?.href ?? '');
    }),
  );
  return page;
};

describe('<search-gate> highlights the matched words where a result leads (URL text fragments)', () => {
  it('follows a link with a text fragment for the matched words, with words around them', async () => {
    const page = await open('');
    await page.getByRole('combobox').fill('guide');
    await page.getByRole('option', { name: /Requirements/ }).click();
    await page.waitForURL((url) => url.pathname === '/docs/install');
    await expect(page.evaluate(() => sessionStorage.getItem('followed'))).resolves.toBe(
      `${h.server.url}/docs/install#requirements:~:text=The%20install-,guide,-needs%20Node%2020`,
    );
    // The link shown (status bar, copy link) stays the page's own address.
    await page.goBack();
    await page.getByRole('combobox').fill('guide');
    await expect(
      page.getByRole('option', { name: /Requirements/ }).getAttribute('href'),
    ).resolves.toBe(`${h.server.url}/docs/install#requirements`);
  });

  it('marks the first matched word of the snippet, whichever it is', async () => {
    const page = await open('');
    await page.getByRole('combobox').fill('install');
    await page.getByRole('option', { name: /Requirements/ }).click();
    await page.waitForURL((url) => url.pathname === '/docs/install');
    await expect(page.evaluate(() => sessionStorage.getItem('followed'))).resolves.toMatch(
      /#requirements:~:text=.*install/,
    );
  });

  it('links plainly with no-highlight', async () => {
    const page = await open('no-highlight');
    await page.getByRole('combobox').fill('guide');
    await page.getByRole('option', { name: /Requirements/ }).click();
    await page.waitForURL((url) => url.pathname === '/docs/install');
    await expect(page.evaluate(() => sessionStorage.getItem('followed'))).resolves.toBe(
      `${h.server.url}/docs/install#requirements`,
    );
  });
});
