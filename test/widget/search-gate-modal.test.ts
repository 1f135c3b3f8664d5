import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { axeViolations, openPage } from '../helpers/browser.ts';
import { widgetMarkup } from './fixture-corpus.ts';
import { widgetHarness } from './widget-harness.ts';

const h = widgetHarness();

const open = async (viewport?: { width: number; height: number }): Promise<Page> => {
  h.current = await openPage(h.browser, h.server.url, {
    body: `<main><h1>Test page</h1><button id="before">Before</button>
      <label>Other field <input id="other"></label>
      ${widgetMarkup(h.server, h.fixture, 'mode="modal"')}</main>`,
    ...(viewport ? { viewport } : {}),
  });
  return h.current.page;
};

const dialogOpen = (page: Page) =>
  page.evaluate(
    () => document.querySelector('search-gate')?.shadowRoot?.querySelector('dialog')?.open,
  );

/** The element focused inside the widget's shadow root, as `tag.class` or `none`. */
const focusedInWidget = (page: Page) =>
  page.evaluate(() => {
    const widget = document.querySelector('search-gate');
    const inner = widget?.shadowRoot?.activeElement;
    if (document.activeElement !== widget || !inner) return 'none';
    return `${inner.tagName.toLowerCase()}${inner.closest('dialog') ? ' in dialog' : ''}`;
  });

describe('<search-gate mode="modal">', () => {
  it('renders a button and a dialog with no accessibility violations', async () => {
    const page = await open();
    const button = page.getByRole('button', { name: /Search/ });
    await expect(button.getAttribute('aria-haspopup')).resolves.toBe('dialog');
    expect(await axeViolations(page)).toEqual([]);

    await button.click();
    const input = page.getByRole('combobox', { name: 'Search' });
    await input.fill('guide');
    await page.getByRole('option').nth(3).waitFor();
    await expect(focusedInWidget(page)).resolves.toBe('input in dialog');
    expect(await axeViolations(page)).toEqual([]);
  });

  it('opens on Ctrl+K and "/", but not while the visitor types in another field', async () => {
    const page = await open();
    await page.locator('#other').focus();
    await page.keyboard.type('a/b');
    await page.keyboard.press('Control+k');
    await expect(page.locator('#other').inputValue()).resolves.toBe('a/b');
    await expect(dialogOpen(page)).resolves.toBe(false);

    await page.locator('#before').focus();
    await page.evaluate(() =>
      document.addEventListener('keydown', (event) => {
        if (event.key === 'k') {
          (window as unknown as { prevented: boolean }).prevented = event.defaultPrevented;
        }
      }),
    );
    await page.keyboard.press('Control+k');
    // The widget's document listener ran first and cancelled the browser's own Ctrl+K.
    await expect(
      page.evaluate(() => (window as unknown as { prevented: boolean }).prevented),
    ).resolves.toBe(true);
    await expect.poll(() => dialogOpen(page)).toBe(true);
    await page.keyboard.press('Escape');
    await expect.poll(() => dialogOpen(page)).toBe(false);

    await page.keyboard.press('/');
    await expect.poll(() => dialogOpen(page)).toBe(true);
    // "/" opened the dialog and did not end up typed into the search box.
    await expect(page.getByRole('combobox').inputValue()).resolves.toBe('');
  });

  it('keeps focus inside the dialog, closes on Escape and gives focus back', async () => {
    const page = await open();
    await page.locator('#before').focus();
    await page.keyboard.press('Control+k');
    await expect.poll(() => focusedInWidget(page)).toBe('input in dialog');
    for (let i = 0; i < 4; i++) {
      await page.keyboard.press('Tab');
      await expect(focusedInWidget(page)).resolves.toMatch(/in dialog$/);
    }
    await page.keyboard.press('Shift+Tab');
    await expect(focusedInWidget(page)).resolves.toMatch(/in dialog$/);

    await page.getByRole('combobox').fill('guide');
    await page.getByRole('option').first().waitFor();
    await page.getByRole('combobox').focus();
    await page.keyboard.press('Escape');
    await expect(page.getByRole('combobox').inputValue()).resolves.toBe('');
    await expect(dialogOpen(page)).resolves.toBe(true);
    await page.keyboard.press('Escape');
    await expect.poll(() => dialogOpen(page)).toBe(false);
    await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe('before');
  });

  it('closes on a click outside and returns focus to its button', async () => {
    const page = await open();
    await page.getByRole('button', { name: /Search/ }).click();
    await expect.poll(() => dialogOpen(page)).toBe(true);
    await page.mouse.click(5, 5);
    await expect.poll(() => dialogOpen(page)).toBe(false);
    await expect(focusedInWidget(page)).resolves.toBe('button');
  });

  it('fills a 360 px wide screen', async () => {
    const page = await open({ width: 360, height: 640 });
    await page.getByRole('button', { name: /Search/ }).click();
    await expect.poll(() => dialogOpen(page)).toBe(true);
    const box = await page.locator('search-gate dialog').boundingBox();
    expect(box).toEqual({ x: 0, y: 0, width: 360, height: 640 });
  });

  it('leaves the keys to the page with no-shortcut', async () => {
    const page = await open();
    await page.evaluate(() =>
      document.querySelector('search-gate')?.setAttribute('no-shortcut', ''),
    );
    await page.evaluate(() =>
      document.addEventListener('keydown', (event) => {
        if (event.key === 'k') {
          (window as unknown as { prevented: boolean }).prevented = event.defaultPrevented;
        }
      }),
    );
    await page.locator('#before').focus();
    await page.keyboard.press('Control+k');
    await page.keyboard.press('/');
    await expect(
      page.evaluate(() => (window as unknown as { prevented: boolean }).prevented),
    ).resolves.toBe(false);
    await expect(dialogOpen(page)).resolves.toBe(false);
  });
});
