import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { axeViolations, openPage, type TestPage } from '../helpers/browser.ts';
import { widgetMarkup } from './fixture-corpus.ts';
import { widgetHarness } from './widget-harness.ts';

const h = widgetHarness();

const open = async (extra = '', lang = 'en', search = ''): Promise<TestPage> => {
  h.current = await openPage(h.browser, h.server.url, {
    body: `<h1>Test page</h1><main>${widgetMarkup(h.server, h.fixture, extra)}</main>`,
    lang,
    search,
  });
  return h.current;
};

describe('<search-gate> inline', () => {
  it('works at 200 % zoom: results fit the narrower viewport, nothing scrolls sideways', async () => {
    // 200 % zoom on a 1280 × 800 screen lays pages out in 640 × 400 CSS pixels.
    h.current = await openPage(h.browser, h.server.url, {
      body: `<main>${widgetMarkup(h.server, h.fixture)}</main>`,
      viewport: { width: 640, height: 400 },
    });
    const { page } = h.current;
    await page.getByRole('combobox').fill('guide');
    const listbox = page.getByRole('listbox');
    await page.getByRole('option').first().waitFor();
    const box = await listbox.boundingBox();
    expect(box?.x).toBeGreaterThanOrEqual(0);
    expect((box?.x ?? 0) + (box?.width ?? 0)).toBeLessThanOrEqual(640);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(overflow).toBeLessThanOrEqual(640);
    await page.keyboard.press('ArrowDown');
    await expect(page.getByRole('option').first().getAttribute('aria-selected')).resolves.toBe(
      'true',
    );
  });

  it('renders a labelled combobox with no accessibility violations, closed and with results', async () => {
    const { page } = await open();
    const input = page.getByRole('combobox', { name: 'Search' });
    await expect(input.getAttribute('aria-expanded')).resolves.toBe('false');
    await expect(input.getAttribute('placeholder')).resolves.toBe('Search…');
    expect(await axeViolations(page)).toEqual([]);

    await input.fill('guide');
    await page.getByRole('option').first().waitFor();
    await expect(input.getAttribute('aria-expanded')).resolves.toBe('true');
    await page.keyboard.press('ArrowDown');
    expect(await axeViolations(page)).toEqual([]);
  });

  it('shows grouped results with highlighted matches, a count and a live announcement', async () => {
    const { page } = await open();
    await page.getByRole('combobox').fill('guide');
    await page.getByRole('option').nth(3).waitFor();
    const groups = page.locator('search-gate [role=group]');
    await expect(groups.count()).resolves.toBe(2);
    await expect(groups.first().getAttribute('aria-labelledby')).resolves.toMatch(/sg-g-0/);
    await expect(page.locator('search-gate .group-title').allTextContents()).resolves.toEqual([
      'Installing Searchgate',
      'API keys',
    ]);
    await expect(page.locator('search-gate .section').first().textContent()).resolves.toBe(
      'Requirements',
    );
    await expect(page.locator('search-gate mark').first().textContent()).resolves.toMatch(
      /^guide$/i,
    );
    await expect(page.getByRole('option').first().getAttribute('href')).resolves.toBe(
      `${h.server.url}/docs/install#requirements`,
    );
    await expect(page.getByRole('option').nth(2).getAttribute('href')).resolves.toBe(
      'https://docs.example.com/keys',
    );
    await expect(page.locator('search-gate .count').textContent()).resolves.toContain('4 results');
    await expect(page.getByRole('status').textContent()).resolves.toContain('4 results');
  });

  it('says when nothing matches, quoting the query', async () => {
    const { page } = await open();
    await page.getByRole('combobox').fill('qwertyuiop');
    await page.getByText('No results for “qwertyuiop”').first().waitFor();
    await expect(page.getByRole('option').count()).resolves.toBe(0);
  });

  it('serves a repeated query from memory and fires typed events', async () => {
    const { page } = await open();
    await page.evaluate(() => {
      const log: string[] = [];
      (window as unknown as { eventLog: string[] }).eventLog = log;
      document.addEventListener('search-gate-search', (e) => log.push(`search:${e.detail.query}`));
      document.addEventListener('search-gate-results', (e) =>
        log.push(`results:${e.detail.query}:${e.detail.count}`),
      );
    });
    const input = page.getByRole('combobox');
    await input.fill('guide');
    await page.getByRole('option').first().waitFor();
    await input.fill('zebra');
    await page.getByText('Evil page').waitFor();
    await input.fill('guide');
    await page.getByText('Installing Searchgate').waitFor();
    const log = await page.evaluate(() => (window as unknown as { eventLog: string[] }).eventLog);
    expect(log).toEqual([
      'search:guide',
      'results:guide:4',
      'search:zebra',
      'results:zebra:1',
      'results:guide:4',
    ]);
  });

  it('moves through options with the arrow keys, Home and End, and Enter opens the active one', async () => {
    const { page } = await open();
    const input = page.getByRole('combobox');
    await input.fill('guide');
    await page.getByRole('option').nth(3).waitFor();
    const active = () => input.getAttribute('aria-activedescendant');
    await page.keyboard.press('ArrowDown');
    await expect(active()).resolves.toBe('sg-o-0');
    await expect(page.locator('search-gate #sg-o-0').getAttribute('aria-selected')).resolves.toBe(
      'true',
    );
    await page.keyboard.press('ArrowDown');
    await expect(active()).resolves.toBe('sg-o-1');
    await page.keyboard.press('End');
    await expect(active()).resolves.toBe('sg-o-3');
    await page.keyboard.press('ArrowDown');
    await expect(active()).resolves.toBe('sg-o-0');
    await page.keyboard.press('ArrowUp');
    await expect(active()).resolves.toBe('sg-o-3');
    await page.keyboard.press('Home');
    await expect(active()).resolves.toBe('sg-o-0');
    await page.keyboard.press('ArrowDown');
    await Promise.all([
      page.waitForURL((url) => url.origin + url.pathname === `${h.server.url}/docs/install`),
      page.keyboard.press('Enter'),
    ]);
  });

  it('Escape clears the query first, then closes the popup', async () => {
    const { page } = await open('no-recent');
    const input = page.getByRole('combobox');
    await input.fill('guide');
    await page.getByRole('option').first().waitFor();
    await page.keyboard.press('Escape');
    await expect(input.inputValue()).resolves.toBe('');
    await page
      .getByText('No results')
      .waitFor({ state: 'detached' })
      .catch(() => undefined);
    await input.fill('guide');
    await page.getByRole('option').first().waitFor();
    await page.keyboard.press('Escape');
    await page.keyboard.press('Escape');
    await expect(input.getAttribute('aria-expanded')).resolves.toBe('false');
    await expect(page.locator('search-gate .popup').isHidden()).resolves.toBe(true);
  });

  it('remembers searches that led somewhere, shows them on focus and removes them one by one', async () => {
    const { page } = await open();
    const input = page.getByRole('combobox');
    // Stay on the page: cancelling the select event stops the link, as a router would.
    await page.evaluate(() =>
      document.addEventListener('search-gate-select', (event) => event.preventDefault()),
    );
    for (const [query, title] of [
      ['install', 'Installing Searchgate'],
      ['keys', 'API keys'],
    ] as const) {
      await input.fill(query);
      await page.locator('search-gate .group-title', { hasText: title }).waitFor();
      await page.getByRole('option').first().click();
    }
    await expect(page.evaluate(() => location.pathname)).resolves.toBe('/widget-test.html');
    await input.fill('');
    const recent = page.getByRole('group', { name: 'Recent searches' });
    await recent.waitFor();
    await expect(recent.getByRole('option').allTextContents()).resolves.toEqual([
      expect.stringContaining('keys'),
      expect.stringContaining('install'),
    ]);
    await expect(axeViolations(page)).resolves.toEqual([]);

    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Delete');
    await expect(recent.getByRole('option').count()).resolves.toBe(1);

    // Recent searches survive a reload and picking one searches for it.
    await page.reload();
    await page.getByRole('combobox').focus();
    await page.getByRole('group', { name: 'Recent searches' }).getByRole('option').click();
    await expect(page.getByRole('combobox').inputValue()).resolves.toBe('install');
    await page.getByText('Installing Searchgate').waitFor();
  });

  it('applies attribute changes at run time', async () => {
    const { page } = await open();
    const otherCorpus = await h.server.createCorpus(`widget-other-${Date.now()}`);
    await h.server.indexDocuments(otherCorpus, [
      {
        documentId: 'other',
        title: 'Other corpus page',
        metadata: { url: '/other' },
        sections: [{ text: 'Another guide lives here.' }],
      },
    ]);
    const other = await h.server.createKey({ corpusIds: [otherCorpus] });
    const input = page.getByRole('combobox');
    await input.fill('guide');
    await page.getByText('Installing Searchgate').waitFor();

    await page.evaluate(
      ({ key, corpus }) => {
        const widget = document.querySelector('search-gate');
        widget?.setAttribute('api-key', key);
        widget?.setAttribute('corpus-id', String(corpus));
        widget?.setAttribute('placeholder', 'Find docs');
        widget?.setAttribute('lang', 'de');
      },
      { key: other.apiKey, corpus: otherCorpus },
    );
    await page.getByText('Other corpus page').waitFor();
    await expect(page.getByText('Installing Searchgate').count()).resolves.toBe(0);
    const relabelled = page.getByRole('combobox', { name: 'Suche' });
    await expect(relabelled.getAttribute('placeholder')).resolves.toBe('Find docs');
    await expect(page.locator('search-gate .count').textContent()).resolves.toContain('1 Ergebnis');
  });

  it('takes its language from <html lang> and lays Arabic out right to left', async () => {
    const { page } = await open('', 'ar');
    const input = page.getByRole('combobox', { name: 'بحث' });
    await expect(input.evaluate((element) => getComputedStyle(element).direction)).resolves.toBe(
      'rtl',
    );
    expect(await axeViolations(page)).toEqual([]);
  });

  it('accepts text overrides through the strings property', async () => {
    const { page } = await open();
    await page.evaluate(() => {
      const widget = document.querySelector('search-gate');
      if (widget) widget.strings = { label: 'Search the docs', noResults: 'Nothing for {q}' };
    });
    await page.getByRole('combobox', { name: 'Search the docs' }).fill('qwertyuiop');
    await page.getByText('Nothing for qwertyuiop').first().waitFor();
  });

  it('keeps the query in ?q= with sync-url, so a search can be linked', async () => {
    const { page } = await open('sync-url', 'en', '?q=guide');
    const input = page.getByRole('combobox');
    await expect(input.inputValue()).resolves.toBe('guide');
    await input.focus();
    await page.getByText('Installing Searchgate').waitFor();
    await input.fill('zebra');
    await page.getByText('Evil page').waitFor();
    await expect(page.evaluate(() => location.search)).resolves.toBe('?q=zebra');
    await page.keyboard.press('Escape');
    await expect(page.evaluate(() => location.search)).resolves.toBe('');
  });

  it('passes an accessibility scan in the dark theme, results open', async () => {
    const { page } = await open('theme="dark" open-in-new-tab');
    await page.getByRole('combobox').fill('guide');
    await page.getByRole('option').nth(3).waitFor();
    await page.keyboard.press('ArrowDown');
    await expect(
      page.getByRole('combobox').evaluate((input) => getComputedStyle(input).backgroundColor),
    ).resolves.toBe('rgb(30, 31, 36)');
    await expect(page.getByRole('option').first().getAttribute('target')).resolves.toBe('_blank');
    expect(await axeViolations(page)).toEqual([]);
  });
});

describe('<search-gate> languages', () => {
  const requestedScripts = (page: Page) => {
    const urls: string[] = [];
    page.on('request', (request) => {
      if (request.resourceType() === 'script') urls.push(new URL(request.url()).pathname);
    });
    return urls;
  };

  it('fetches the strings of the page language only, before it first paints', async () => {
    h.current = await openPage(h.browser, h.server.url, {
      body: '<main id="slot"></main>',
      lang: 'de',
    });
    const { page } = h.current;
    const scripts = requestedScripts(page);
    // Record what the box says the first time it is there: never English on a German page.
    await page.evaluate(
      (markup) => {
        const slot = document.querySelector('#slot') as HTMLElement;
        slot.innerHTML = markup;
        const widget = slot.firstElementChild as HTMLElement & { updateComplete: Promise<unknown> };
        (window as unknown as { first: Promise<string> }).first = widget.updateComplete.then(
          () => widget.shadowRoot?.querySelector('input')?.getAttribute('aria-label') ?? '',
        );
      },
      widgetMarkup(h.server, h.fixture),
    );
    await expect(
      page.evaluate(() => (window as unknown as { first: Promise<string> }).first),
    ).resolves.toBe('Suche');
    expect(scripts.filter((path) => !path.startsWith('/search-gate'))).toEqual([
      expect.stringMatching(/^\/de-[\w-]+\.js$/),
    ]);
  });

  it('works in English when the language file cannot be fetched', async () => {
    h.current = await openPage(h.browser, h.server.url, {
      body: '<main id="slot"></main>',
      lang: 'fr',
    });
    const { page } = h.current;
    await page.route(/\/fr-[\w-]+\.js$/, (route) => route.abort());
    await page.evaluate(
      (markup) => {
        (document.querySelector('#slot') as HTMLElement).innerHTML = markup;
      },
      widgetMarkup(h.server, h.fixture),
    );
    await page.getByRole('combobox', { name: 'Search' }).fill('guide');
    await page.getByText('Installing Searchgate').waitFor();
  });
});
