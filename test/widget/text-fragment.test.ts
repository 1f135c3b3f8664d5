import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { openPage } from '../helpers/browser.ts';
import { v2WidgetMarkup } from './fixture-corpus.ts';
import { widgetHarness } from './widget-harness.ts';

const h = widgetHarness();

/** The page the fixture's "install" hits lead to, with (or without) the widget on it. */
const landingPage = (widget: string) => `<!doctype html><html lang="en"><head><meta charset="utf-8">
  <title>Install</title><script type="module" src="/search-gate.js"></script></head><body>
  <nav>Guides · API</nav>${widget}<main><h1>Installing Searchgate</h1>
  <h2 id="requirements">Requirements</h2><p>The install guide needs Node 20 and nothing else.</p>
  <p>Every guide, guides and guidelines: <code>guide()</code>; not "misguided".</p></main></body></html>`;

const open = async (extra: string, landingWidget: boolean): Promise<Page> => {
  h.current = await openPage(h.browser, h.server.url, {
    body: `<main>${v2WidgetMarkup(h.server, h.fixture, `no-recent ${extra}`)}</main>`,
  });
  const { page } = h.current;
  const widget = landingWidget ? v2WidgetMarkup(h.server, h.fixture, extra) : '';
  await page.route(`${h.server.url}/docs/install`, (route) =>
    route.fulfill({ contentType: 'text/html', body: landingPage(widget) }),
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

const highlighted = (page: Page) =>
  page.evaluate(() => [...(CSS.highlights.get('search-gate') ?? [])].map((range) => `${range}`));

describe('<search-gate> highlights the matched words where a result leads', () => {
  it('follows a text fragment to the snippet, and the widget there marks every occurrence', async () => {
    const page = await open('', true);
    await page.getByRole('combobox').fill('guide');
    await page.getByRole('option', { name: /Requirements/ }).click();
    await page.waitForURL((url) => url.pathname === '/docs/install');
    await expect(page.evaluate(() => sessionStorage.getItem('followed'))).resolves.toBe(
      `${h.server.url}/docs/install#requirements:~:text=The%20install-,guide,-needs%20Node%2020`,
    );
    await page.waitForFunction(() => customElements.get('search-gate') !== undefined);
    await expect
      .poll(() => highlighted(page))
      .toEqual(['guide', 'guide', 'guides', 'guidelines', 'guide']);
    // Styled with the widget's mark colours, through a stylesheet of the page's own.
    await expect(
      page.evaluate(() =>
        document.adoptedStyleSheets.some((sheet) =>
          [...sheet.cssRules].some((rule) => rule.cssText.includes('::highlight(search-gate)')),
        ),
      ),
    ).resolves.toBe(true);
    // Used once: a reload shows the page as it is.
    await page.reload();
    await page.waitForFunction(() => customElements.get('search-gate') !== undefined);
    await expect(highlighted(page)).resolves.toEqual([]);
  });

  it('still links with a text fragment when the landing page has no widget', async () => {
    const page = await open('', false);
    await page.getByRole('combobox').fill('install');
    await page.getByRole('option', { name: /Requirements/ }).click();
    await page.waitForURL((url) => url.pathname === '/docs/install');
    await expect(page.evaluate(() => sessionStorage.getItem('followed'))).resolves.toMatch(
      /#requirements:~:text=.*install/,
    );
  });

  it('does neither with no-highlight', async () => {
    const page = await open('no-highlight', true);
    await page.getByRole('combobox').fill('guide');
    await page.getByRole('option', { name: /Requirements/ }).click();
    await page.waitForURL((url) => url.pathname === '/docs/install');
    await expect(page.evaluate(() => sessionStorage.getItem('followed'))).resolves.toBe(
      `${h.server.url}/docs/install#requirements`,
    );
    await page.waitForFunction(() => customElements.get('search-gate') !== undefined);
    await expect(highlighted(page)).resolves.toEqual([]);
    await expect(
      page.evaluate(() => localStorage.getItem('search-gate:highlight')),
    ).resolves.toBeNull();
  });
});
