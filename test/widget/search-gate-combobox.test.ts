import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { axeViolations, openPage } from '../helpers/browser.ts';
import { v2WidgetMarkup } from './fixture-corpus.ts';
import { widgetHarness } from './widget-harness.ts';

const h = widgetHarness();

const open = async (
  extra = 'no-recent',
  before = '',
  viewport?: { width: number; height: number },
) => {
  h.current = await openPage(h.browser, h.server.url, {
    body: `${before}<main>${v2WidgetMarkup(h.server, h.fixture, extra)}</main><a href="#after">After</a>`,
    ...(viewport ? { viewport } : {}),
  });
  return h.current.page;
};

/** The focused element's tag and accessible name as the page sees it through the shadow root. */
const focused = (page: Page) =>
  page.evaluate(() => {
    const widget = document.querySelector('search-gate');
    const inner = document.activeElement === widget ? widget?.shadowRoot?.activeElement : null;
    const element = inner ?? document.activeElement;
    return {
      inWidget: !!inner,
      tag: element?.tagName.toLowerCase(),
      name: element?.getAttribute('aria-label') ?? element?.textContent?.trim() ?? '',
    };
  });

describe('<search-gate> combobox', () => {
  it('hover makes an option active, with the active style', async () => {
    const page = await open();
    await page.getByRole('combobox').fill('guide');
    const third = page.getByRole('option').nth(2);
    await third.waitFor();
    await third.hover();
    await expect(third.getAttribute('aria-selected')).resolves.toBe('true');
    await expect(page.getByRole('combobox').getAttribute('aria-activedescendant')).resolves.toBe(
      'sg-o-2',
    );
    await expect(third.evaluate((el) => getComputedStyle(el).backgroundColor)).resolves.toBe(
      'rgb(232, 239, 253)',
    );
    // Arrow keys go on from the hovered option.
    await page.keyboard.press('ArrowDown');
    await expect(page.getByRole('option').nth(3).getAttribute('aria-selected')).resolves.toBe(
      'true',
    );
  });

  it('has a clear button that empties the box and keeps the focus there', async () => {
    const page = await open();
    const input = page.getByRole('combobox');
    const clear = page.getByRole('button', { name: 'Clear' });
    await expect(clear.isHidden()).resolves.toBe(true);
    await input.fill('guide');
    await page.getByRole('option').first().waitFor();
    await clear.click();
    await expect(input.inputValue()).resolves.toBe('');
    await expect(page.getByRole('option').count()).resolves.toBe(0);
    await expect(focused(page)).resolves.toMatchObject({ inWidget: true, tag: 'input' });
    await expect(clear.isHidden()).resolves.toBe(true);
  });

  it('Tab goes through named controls only, then leaves and closes the popup', async () => {
    const page = await open();
    await page.getByRole('combobox').fill('guide');
    await page.getByRole('option').first().waitFor();
    const stops: Array<{ inWidget: boolean; tag?: string; name: string }> = [];
    for (let i = 0; i < 6; i++) {
      await page.keyboard.press('Tab');
      const now = await focused(page);
      if (!now.inWidget) break;
      stops.push(now);
    }
    expect(stops).toEqual([{ inWidget: true, tag: 'button', name: 'Clear' }]);
    await expect(focused(page)).resolves.toMatchObject({ inWidget: false, name: 'After' });
    await expect(page.locator('search-gate .popup').isHidden()).resolves.toBe(true);
    await expect(page.getByRole('combobox').getAttribute('aria-expanded')).resolves.toBe('false');
  });

  it('puts the result count above the list, key hints below, and no landmark inside', async () => {
    const page = await open();
    await page.getByRole('combobox').fill('guide');
    await page.getByRole('option').nth(3).waitFor();
    const count = page.locator('search-gate .count');
    await expect(count.textContent()).resolves.toBe('4 results');
    const countBox = await count.boundingBox();
    const listBox = await page.getByRole('listbox').boundingBox();
    expect(countBox?.y ?? 0).toBeLessThan(listBox?.y ?? 0);
    const hints = page.locator('search-gate .hints');
    await expect(hints.textContent()).resolves.toMatch(/↑↓ to navigate\s*↵ to open\s*Esc to close/);
    expect((await hints.boundingBox())?.y ?? 0).toBeGreaterThan(listBox?.y ?? 0);
    await expect(
      page.locator('search-gate footer, search-gate [role=contentinfo]').count(),
    ).resolves.toBe(0);
    expect(await axeViolations(page)).toEqual([]);
  });

  it('in modal mode is as wide as its button: a page header keeps its one line', async () => {
    h.current = await openPage(h.browser, h.server.url, {
      body: `<header style="display: flex; flex-wrap: wrap; align-items: center; gap: 12px; width: 700px">
        <strong>Docs</strong>${v2WidgetMarkup(h.server, h.fixture, 'mode="modal"')}<nav>Guide · API · Blog</nav>
      </header>`,
    });
    const { page } = h.current;
    const widget = await page.locator('search-gate').boundingBox();
    const button = await page.getByRole('button', { name: /Search/ }).boundingBox();
    const nav = await page.locator('nav').boundingBox();
    expect(widget?.width ?? 0).toBeLessThanOrEqual((button?.width ?? 0) + 1);
    // One line: the navigation sits beside the search button, not below it.
    expect(Math.abs((nav?.y ?? 0) - (button?.y ?? 0))).toBeLessThan(button?.height ?? 0);
  });

  it('keeps the Close button on a 360 px phone screen, even when the page overflows sideways', async () => {
    // A phone (mobile viewport) showing a page wider than the screen: the layout viewport grows.
    const context = await h.browser.newContext({
      viewport: { width: 360, height: 640 },
      isMobile: true,
      hasTouch: true,
    });
    const page = await context.newPage();
    h.current = { page, context, errors: [] };
    await page.route('**/phone.html', (route) =>
      route.fulfill({
        contentType: 'text/html',
        body: `<!doctype html><html lang="en"><head><meta name="viewport" content="width=device-width, initial-scale=1">
          <script type="module" src="/search-gate.js"></script></head><body>
          <div style="width: 520px">A header wider than the phone</div>
          ${v2WidgetMarkup(h.server, h.fixture, 'mode="modal"')}</body></html>`,
      }),
    );
    await page.goto(`${h.server.url}/phone.html`);
    await page.waitForFunction(() => customElements.get('search-gate') !== undefined);
    await page.getByRole('button', { name: /Search/ }).tap();
    const close = page.getByRole('button', { name: 'Close' });
    await close.waitFor();
    const box = await close.boundingBox();
    expect(box?.x ?? -1).toBeGreaterThanOrEqual(0);
    expect((box?.x ?? 0) + (box?.width ?? 0)).toBeLessThanOrEqual(360);
    await expect(page.locator('search-gate dialog').boundingBox()).resolves.toEqual({
      x: 0,
      y: 0,
      width: 360,
      height: 640,
    });
    await page.getByRole('combobox').fill('guide');
    await page.getByRole('option').first().waitFor();
    const overflow = await page.evaluate(() => {
      const dialog = document.querySelector('search-gate')?.shadowRoot?.querySelector('dialog');
      return (dialog?.scrollWidth ?? 0) - (dialog?.clientWidth ?? 0);
    });
    expect(overflow).toBe(0);
    await close.click();
    await expect(page.getByRole('dialog').count()).resolves.toBe(0);
  });
});
