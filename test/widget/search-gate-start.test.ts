import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { axeViolations, openPage } from '../helpers/browser.ts';
import { v2WidgetMarkup } from './fixture-corpus.ts';
import { widgetHarness } from './widget-harness.ts';

const h = widgetHarness();

const open = async (extra = ''): Promise<Page> => {
  h.current = await openPage(h.browser, h.server.url, {
    body: `<main>${v2WidgetMarkup(h.server, h.fixture, extra)}</main>`,
  });
  const { page } = h.current;
  // Stay on the page: cancelling the select event stops the link, as a router would.
  await page.evaluate(() =>
    document.addEventListener('search-gate-select', (event) => event.preventDefault()),
  );
  return page;
};

/** Searches for each query and opens its first hit, so it becomes a recent search. */
const useSearches = async (page: Page, queries: string[]) => {
  const input = page.getByRole('combobox');
  for (const query of queries) {
    await input.fill(query);
    await expect.poll(() => page.locator('search-gate [aria-busy=true]').count()).toBe(0);
    await page.getByRole('option').first().click();
  }
  await input.fill('');
};

const focusedName = (page: Page) =>
  page.evaluate(() => {
    const inner = document.querySelector('search-gate')?.shadowRoot?.activeElement;
    return inner?.getAttribute('aria-label') ?? inner?.tagName.toLowerCase() ?? 'outside';
  });

describe('<search-gate> start screen and no results', () => {
  it('shows favourite and recent searches under headings, with buttons the keyboard reaches', async () => {
    const page = await open();
    await useSearches(page, ['install', 'keys', 'zebra']);
    const recent = page.getByRole('group', { name: 'Recent searches' });
    await expect(recent.getByRole('option').allTextContents()).resolves.toEqual([
      expect.stringContaining('zebra'),
      expect.stringContaining('keys'),
      expect.stringContaining('install'),
    ]);
    await expect(page.getByRole('group', { name: 'Favourites' }).count()).resolves.toBe(0);
    expect(await axeViolations(page)).toEqual([]);

    // Keyboard only: Tab from the box reaches each search's buttons, named after it.
    await page.keyboard.press('Tab');
    await expect(focusedName(page)).resolves.toBe('Save “zebra” as a favourite');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await expect(focusedName(page)).resolves.toBe('Save “keys” as a favourite');
    await page.keyboard.press('Enter');
    // The button's row moved away: focus is back in the box, the popup stays open.
    await expect(focusedName(page)).resolves.toBe('Search');
    const favourites = page.getByRole('group', { name: 'Favourites' });
    await expect(favourites.getByRole('option').allTextContents()).resolves.toEqual([
      expect.stringContaining('keys'),
    ]);
    await expect(recent.getByRole('option').count()).resolves.toBe(2);
    await page.getByRole('button', { name: 'Remove “install” from recent searches' }).focus();
    await page.keyboard.press('Enter');
    await expect(recent.getByRole('option').allTextContents()).resolves.toEqual([
      expect.stringContaining('zebra'),
    ]);
    // Favourites come first, and a favourite opened again stays a favourite.
    await page.getByRole('combobox').focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await expect(page.getByRole('combobox').inputValue()).resolves.toBe('keys');
    await page.getByText('API keys').waitFor();
    await page.getByRole('option').first().click();
    await page.getByRole('combobox').fill('');
    await expect(favourites.getByRole('option').count()).resolves.toBe(1);
    await expect(recent.getByRole('option').count()).resolves.toBe(1);
    expect(await axeViolations(page)).toEqual([]);

    // Saved across reloads; a favourite removed by its button is gone.
    await page.reload();
    await page.getByRole('combobox').focus();
    await page.getByRole('button', { name: 'Remove “keys” from favourites' }).click();
    await expect(page.getByRole('group', { name: 'Favourites' }).count()).resolves.toBe(0);
    await expect(page.locator('search-gate [aria-hidden=true][title]').count()).resolves.toBe(0);
  });

  it('shows the key hints on the start screen of the dialog', async () => {
    const page = await open('mode="modal"');
    const button = page.getByRole('button', { name: /Search/ });
    await button.click();
    await page.getByRole('combobox').fill('install');
    await page.getByRole('option').first().click();
    await button.click();
    await page.getByRole('combobox').fill('');
    await page.getByRole('group', { name: 'Recent searches' }).waitFor();
    await expect(page.locator('search-gate .hints').isVisible()).resolves.toBe(true);
  });

  it('when nothing matches: advice, one-word searches for a longer query, and a help link', async () => {
    const page = await open('no-recent help-url="/help/search"');
    await page.getByRole('combobox').fill('qwertyuiop asdfghjkl');
    await page
      .locator('search-gate .message', { hasText: 'No results for “qwertyuiop asdfghjkl”' })
      .waitFor();
    await page.getByText('Try fewer or other words.').waitFor();
    await expect(page.getByRole('link', { name: 'Get help' }).getAttribute('href')).resolves.toBe(
      `${h.server.url}/help/search`,
    );
    expect(await axeViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'asdfghjkl' }).click();
    await expect(page.getByRole('combobox').inputValue()).resolves.toBe('asdfghjkl');
    await page.locator('search-gate .message', { hasText: 'No results for “asdfghjkl”' }).waitFor();
    // One word: no one-word searches to offer.
    await expect(page.getByRole('button', { name: 'asdfghjkl' }).count()).resolves.toBe(0);
  });
});
