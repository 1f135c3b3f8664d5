import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { axeViolations, openPage } from '../helpers/browser.ts';
import { v2WidgetMarkup } from './fixture-corpus.ts';
import { widgetHarness } from './widget-harness.ts';

const h = widgetHarness();

/** Opens the widget with every /v2/query answer held back by `latencyMs`. */
const open = async (latencyMs: number, extra = 'no-recent'): Promise<Page> => {
  h.current = await openPage(h.browser, h.server.url, {
    body: `<main>${v2WidgetMarkup(h.server, h.fixture, extra)}</main>`,
  });
  const { page } = h.current;
  await page.route(`${h.server.url}/v2/query`, async (route) => {
    await new Promise((resolve) => setTimeout(resolve, latencyMs));
    await route.continue().catch(() => undefined);
  });
  // The fixture's absolute links lead here.
  await page.route('https://docs.example.com/**', (route) =>
    route.fulfill({ contentType: 'text/html', body: '<title>docs</title>' }),
  );
  return page;
};

/** Counts, frame by frame, those where the visitor has typed but the popup lists nothing. */
const watchFrames = (page: Page) =>
  page.evaluate(() => {
    const stats = { frames: 0, empty: 0, stale: 0 };
    (window as unknown as { stats: typeof stats }).stats = stats;
    const root = document.querySelector('search-gate')?.shadowRoot;
    const tick = () => {
      const input = root?.querySelector('input');
      const listbox = root?.querySelector<HTMLElement>('[role=listbox]');
      const shown = listbox?.checkVisibility()
        ? listbox.querySelectorAll('[role=option]').length
        : 0;
      stats.frames++;
      if (input?.value.trim() && !shown) stats.empty++;
      if (listbox?.getAttribute('aria-busy') === 'true') stats.stale++;
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
const frameStats = (page: Page) =>
  page.evaluate(
    () => (window as unknown as { stats: { frames: number; empty: number; stale: number } }).stats,
  );

describe('<search-gate> while the visitor types', () => {
  it('keeps the previous results on screen, marked stale, until the next ones arrive: no empty frame', async () => {
    const page = await open(120);
    const input = page.getByRole('combobox');
    await input.fill('gu');
    await page.getByRole('option').first().waitFor();
    await watchFrames(page);
    await input.pressSequentially('ide keys', { delay: 120 });
    await page.getByText('Disabling a key').waitFor();
    await expect.poll(() => page.locator('search-gate [aria-busy=true]').count()).toBe(0);
    const stats = await frameStats(page);
    expect(stats.frames).toBeGreaterThan(20);
    expect(stats.empty).toBe(0);
    // The results were shown as stale while the next ones loaded.
    expect(stats.stale).toBeGreaterThan(0);
  });

  it('stale results pass the accessibility scan', async () => {
    const page = await open(0);
    const input = page.getByRole('combobox');
    await input.fill('guide');
    await page.getByRole('option').nth(3).waitFor();
    await page.route(`${h.server.url}/v2/query`, () => undefined);
    await input.fill('zebra');
    await page.locator('search-gate [aria-busy=true]').waitFor();
    expect(await axeViolations(page)).toEqual([]);
  });

  it('searches as the visitor types: at 120 ms a key the results follow without a pause', async () => {
    const page = await open(30);
    await page.evaluate(() => {
      const shown: string[] = [];
      (window as unknown as { shown: string[] }).shown = shown;
      document.addEventListener('search-gate-results', (event) => shown.push(event.detail.query));
    });
    const input = page.getByRole('combobox');
    const typed = page.evaluate(() => performance.now());
    await input.pressSequentially('guide keys', { delay: 120 });
    const done = await page.evaluate(() => performance.now());
    const shownWhileTyping = await page.evaluate(
      () => (window as unknown as { shown: string[] }).shown,
    );
    // Intermediate queries were answered and shown while keys were still being pressed.
    expect(new Set(shownWhileTyping).size).toBeGreaterThanOrEqual(4);
    expect(done - (await typed)).toBeGreaterThan(1000);
    await expect
      .poll(() => page.evaluate(() => (window as unknown as { shown: string[] }).shown.at(-1)))
      .toBe('guide keys');
  });

  it('Enter opens the first hit without arrowing to it', async () => {
    const page = await open(0);
    await page.getByRole('combobox').fill('keys');
    await page.getByRole('option').first().waitFor();
    await Promise.all([
      page.waitForURL((url) => url.origin + url.pathname === 'https://docs.example.com/keys'),
      page.keyboard.press('Enter'),
    ]);
  });

  it('Enter pressed before the results arrive opens the first hit once they do', async () => {
    const page = await open(300);
    await page.getByRole('combobox').fill('keys');
    await Promise.all([
      page.waitForURL((url) => url.origin + url.pathname === 'https://docs.example.com/keys'),
      page.keyboard.press('Enter'),
    ]);
  });
});
