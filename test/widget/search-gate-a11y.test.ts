import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { axeViolations, openPage } from '../helpers/browser.ts';
import { v2WidgetMarkup } from './fixture-corpus.ts';
import { widgetHarness } from './widget-harness.ts';

/**
 * axe-core (every rule it runs by default, whatever the impact: moderate and minor included) in
 * every state the widget can be in, in light and dark, left to right and right to left, on a
 * desktop and on a 360 px phone; and a search done with the keyboard alone.
 */
const h = widgetHarness();

interface Variant {
  name: string;
  lang: string;
  extra: string;
  viewport?: { width: number; height: number };
}
const variants: Variant[] = [
  { name: 'light, left to right', lang: 'en', extra: 'theme="light"' },
  { name: 'dark, right to left', lang: 'ar', extra: 'theme="dark"' },
  {
    name: 'dark, 360 px phone',
    lang: 'en',
    extra: 'theme="dark"',
    viewport: { width: 360, height: 640 },
  },
];

const filters = `filters="Install: doc.url = '/docs/install'; Keys: doc.url = 'https://docs.example.com/keys'"`;

/** Runs axe on the widget and names the state in the failure message. */
const clean = async (page: Page, state: string) =>
  expect(await axeViolations(page), state).toEqual([]);

describe('<search-gate> accessibility in every state', () => {
  for (const variant of variants) {
    it(`inline: ${variant.name}`, async () => {
      h.current = await openPage(h.browser, h.server.url, {
        lang: variant.lang,
        body: `<main>${v2WidgetMarkup(h.server, h.fixture, `${variant.extra} ${filters} help-url="/help"`)}</main>`,
        ...(variant.viewport ? { viewport: variant.viewport } : {}),
      });
      const { page } = h.current;
      await page.evaluate(() =>
        document.addEventListener('search-gate-select', (event) => event.preventDefault()),
      );
      await clean(page, 'closed');
      const input = page.getByRole('combobox');
      await input.fill('guide');
      await page.getByRole('option').nth(3).waitFor();
      await clean(page, 'results');
      await page.keyboard.press('ArrowDown');
      await clean(page, 'results, one active');
      await page.getByRole('option').first().click();
      await input.fill('');
      await page.getByRole('option').first().waitFor();
      await clean(page, 'start screen (recent searches)');
      await input.fill('qwertyuiop asdfghjkl');
      await page.locator('search-gate .message').waitFor();
      await clean(page, 'no results');
      // Stale results while the next ones load (the answer is held back).
      await input.fill('guide');
      await page.getByRole('option').nth(3).waitFor();
      await page.route(`${h.server.url}/v2/query`, () => undefined);
      await input.fill('keys');
      await page.locator('search-gate [aria-busy=true]').waitFor();
      await clean(page, 'stale results, slow answer');
      await page.unroute(`${h.server.url}/v2/query`);
      await page.route(`${h.server.url}/v2/query`, (route) =>
        route.fulfill({
          status: 429,
          headers: { 'retry-after': '30' },
          contentType: 'application/json',
          body: JSON.stringify({ messages: ['slow down'], request_id: 'r', code: 'RATE_LIMITED' }),
        }),
      );
      await input.fill('zebra');
      await page.locator('search-gate .message').waitFor();
      await clean(page, 'rate limited');
    });

    it(`modal: ${variant.name}`, async () => {
      h.current = await openPage(h.browser, h.server.url, {
        lang: variant.lang,
        body: `<main>${v2WidgetMarkup(h.server, h.fixture, `${variant.extra} mode="modal" no-recent`)}</main>`,
        ...(variant.viewport ? { viewport: variant.viewport } : {}),
      });
      const { page } = h.current;
      await clean(page, 'button');
      await page.locator('search-gate').getByRole('button').first().click();
      await page.getByRole('combobox').waitFor();
      await clean(page, 'dialog open, empty');
      await page.getByRole('combobox').fill('guide');
      await page.getByRole('option').nth(3).waitFor();
      await page.keyboard.press('ArrowDown');
      await clean(page, 'dialog with results');
      await page.route(`${h.server.url}/v2/query`, (route) =>
        route.fulfill({
          status: 403,
          contentType: 'application/json',
          body: JSON.stringify({ messages: ['disabled'], request_id: 'r', code: 'KEY_DISABLED' }),
        }),
      );
      await page.getByRole('combobox').fill('zebra');
      await page.locator('search-gate .message').waitFor();
      await clean(page, 'dialog, search unavailable');
    });
  }

  it('a search done with the keyboard alone, start to finish', async () => {
    h.current = await openPage(h.browser, h.server.url, {
      body: `<main><a href="#top">Skip</a>${v2WidgetMarkup(h.server, h.fixture, `mode="modal" ${filters}`)}</main>`,
    });
    const { page } = h.current;
    await page.route('https://docs.example.com/**', (route) =>
      route.fulfill({ contentType: 'text/html', body: '<title>keys</title>' }),
    );
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await page.keyboard.type('guide');
    await page.getByRole('option').nth(3).waitFor();
    // Tab goes on from the box (clear, close, the filters): the keys filter narrows the results.
    const focusedName = () =>
      page.evaluate(
        () =>
          document.querySelector('search-gate')?.shadowRoot?.activeElement?.textContent?.trim() ??
          '',
      );
    const stops: string[] = [];
    while (stops.length < 8 && (await focusedName()) !== 'Keys') {
      await page.keyboard.press('Tab');
      stops.push(await focusedName());
    }
    expect(stops).toEqual(['×', 'Close', 'All', 'Install', 'Keys']);
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByRole('option').count()).toBe(2);
    // Back to the box (Shift+Tab) and down the list.
    for (let i = 0; i < stops.length; i++) await page.keyboard.press('Shift+Tab');
    await expect(page.getByRole('combobox').evaluate((el) => el.matches(':focus'))).resolves.toBe(
      true,
    );
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await Promise.all([
      page.waitForURL((url) => url.origin + url.pathname === 'https://docs.example.com/keys'),
      page.keyboard.press('Enter'),
    ]);
  });
});
