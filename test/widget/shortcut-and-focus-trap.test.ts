import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, type TestPage } from '../helpers/browser.ts';
import { bundleHost, openHostPage } from './controller-page.ts';

let browser: Browser;
let shortcutCode: string;
let trapCode: string;
let current: TestPage | undefined;
beforeAll(async () => {
  [browser, shortcutCode, trapCode] = await Promise.all([
    launchBrowser(),
    bundleHost('shortcut-host'),
    bundleHost('focus-trap-host'),
  ]);
});
afterAll(() => browser?.close());
afterEach(async () => {
  expect(current?.errors ?? []).toEqual([]);
  await current?.context.close();
});

describe('ShortcutController', () => {
  const runs = (page: Page) =>
    page.evaluate(
      () => (document.querySelector('shortcut-host') as unknown as { runs: number }).runs,
    );

  it('runs on Ctrl/⌘ + its letter and on "/", cancelling only those keys', async () => {
    current = await openHostPage(
      browser,
      shortcutCode,
      '<shortcut-host></shortcut-host><button id="b">b</button><input id="field">',
    );
    const { page } = current;
    await page.evaluate(() => {
      const log: boolean[] = [];
      (window as unknown as { log: boolean[] }).log = log;
      document.addEventListener('keydown', (event) => {
        if (!['Control', 'Meta', 'Alt'].includes(event.key)) log.push(event.defaultPrevented);
      });
    });
    await page.locator('#b').focus();
    for (const key of ['Control+k', 'Meta+k', '/', 'x', 'Control+j', 'Alt+k']) {
      await page.keyboard.press(key);
    }
    await expect(runs(page)).resolves.toBe(3);
    await expect(
      page.evaluate(() => (window as unknown as { log: boolean[] }).log),
    ).resolves.toEqual([true, true, true, false, false, false]);
  });

  it('leaves keys typed into a field alone, and stops when off or disconnected', async () => {
    current = await openHostPage(
      browser,
      shortcutCode,
      '<shortcut-host></shortcut-host><button id="b">b</button><input id="field">',
    );
    const { page } = current;
    await page.locator('#field').focus();
    await page.keyboard.type('a/b');
    await page.keyboard.press('Control+k');
    await expect(page.locator('#field').inputValue()).resolves.toBe('a/b');
    await expect(runs(page)).resolves.toBe(0);
    await page.locator('#b').focus();
    await page.evaluate(() => {
      (document.querySelector('shortcut-host') as unknown as { letter?: string }).letter =
        undefined;
    });
    await page.keyboard.press('/');
    await expect(runs(page)).resolves.toBe(0);
    await page.evaluate(() => {
      const host = document.querySelector('shortcut-host') as unknown as HTMLElement & {
        letter?: string;
      };
      host.letter = 'k';
      (window as unknown as { host: HTMLElement }).host = host;
      host.remove();
    });
    await page.keyboard.press('/');
    await expect(
      page.evaluate(() => (window as unknown as { host: { runs: number } }).host.runs),
    ).resolves.toBe(0);
  });
});

describe('FocusTrapController', () => {
  const focused = (page: Page) =>
    page.evaluate(
      () => document.querySelector('focus-trap-host')?.shadowRoot?.activeElement?.id ?? 'outside',
    );

  it('wraps Tab and Shift+Tab inside the dialog, over visible tabbable elements only', async () => {
    current = await openHostPage(
      browser,
      trapCode,
      '<button id="before">before</button><focus-trap-host></focus-trap-host>',
    );
    const { page } = current;
    await page.locator('#before').focus();
    await page.evaluate(() =>
      (document.querySelector('focus-trap-host') as unknown as { show(): void }).show(),
    );
    await expect(focused(page)).resolves.toBe('first');
    const seen: string[] = [];
    for (let i = 0; i < 4; i++) {
      await page.keyboard.press('Tab');
      seen.push(await focused(page));
    }
    expect(seen).toEqual(['middle', 'last', 'first', 'middle']);
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Shift+Tab');
    await expect(focused(page)).resolves.toBe('last');
  });

  it('gives focus back where it was captured', async () => {
    current = await openHostPage(
      browser,
      trapCode,
      '<button id="before">before</button><focus-trap-host></focus-trap-host>',
    );
    const { page } = current;
    await page.locator('#before').focus();
    await page.evaluate(() => {
      const host = document.querySelector('focus-trap-host') as unknown as {
        show(): void;
        hide(): void;
      };
      host.show();
      host.hide();
    });
    await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe('before');
  });
});
