import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, type TestPage } from '../helpers/browser.ts';
import { bundleHost, openHostPage } from './controller-page.ts';

let browser: Browser;
let code: string;
let current: TestPage | undefined;
beforeAll(async () => {
  [browser, code] = await Promise.all([launchBrowser(), bundleHost('combobox-host')]);
});
afterAll(() => browser?.close());
afterEach(async () => {
  expect(current?.errors ?? []).toEqual([]);
  await current?.context.close();
});

const open = async (): Promise<Page> => {
  current = await openHostPage(browser, code, '<combobox-host></combobox-host>');
  await current.page.locator('combobox-host input').focus();
  return current.page;
};
const state = (page: Page) =>
  page.evaluate(() => {
    const host = document.querySelector('combobox-host') as unknown as {
      combobox: { active: number };
      log: string[];
      isOpen: boolean;
    };
    return { active: host.combobox.active, log: host.log, open: host.isOpen };
  });

describe('ComboboxController', () => {
  it('opens on the first ArrowDown, then moves and wraps; ArrowUp from none goes to the last', async () => {
    const page = await open();
    await page.keyboard.press('ArrowDown');
    await expect(state(page)).resolves.toMatchObject({ active: -1, open: true });
    await page.keyboard.press('ArrowDown');
    await expect(state(page)).resolves.toMatchObject({ active: 0 });
    await page.keyboard.press('ArrowDown');
    await expect(state(page)).resolves.toMatchObject({ active: 1 });
    await page.keyboard.press('End');
    await expect(state(page)).resolves.toMatchObject({ active: 29 });
    await page.keyboard.press('ArrowDown');
    await expect(state(page)).resolves.toMatchObject({ active: 0 });
    await page.keyboard.press('ArrowUp');
    await expect(state(page)).resolves.toMatchObject({ active: 29 });
    await page.keyboard.press('Home');
    await expect(state(page)).resolves.toMatchObject({ active: 0 });
  });

  it('scrolls the option moved to by keyboard into view', async () => {
    const page = await open();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('End');
    await expect(page.locator('#sg-o-29').isVisible()).resolves.toBe(true);
    const inView = await page.evaluate(() => {
      const host = document.querySelector('combobox-host');
      const option = host?.shadowRoot?.querySelector('#sg-o-29');
      const list = option?.parentElement;
      if (!option || !list) return false;
      const a = option.getBoundingClientRect();
      const b = list.getBoundingClientRect();
      return a.top >= b.top && a.bottom <= b.bottom;
    });
    expect(inView).toBe(true);
  });

  it('Enter picks the active option, or reports none', async () => {
    const page = await open();
    await page.keyboard.press('Enter');
    for (const key of ['ArrowDown', 'ArrowDown', 'ArrowDown', 'Enter'])
      await page.keyboard.press(key);
    await expect(state(page)).resolves.toMatchObject({ log: ['pick -1', 'pick 1'] });
  });

  it('Escape is cancelled only when the element had something to dismiss', async () => {
    const page = await open();
    await page.evaluate(() =>
      document.addEventListener('keydown', (event) => {
        (window as unknown as { prevented: boolean }).prevented = event.defaultPrevented;
      }),
    );
    const prevented = () =>
      page.evaluate(() => (window as unknown as { prevented: boolean }).prevented);
    await page.keyboard.press('Escape');
    await expect(prevented()).resolves.toBe(true);
    await page.evaluate(() => {
      (document.querySelector('combobox-host') as unknown as { dismissible: boolean }).dismissible =
        false;
    });
    await page.keyboard.press('Escape');
    await expect(prevented()).resolves.toBe(false);
    await expect(state(page)).resolves.toMatchObject({ log: ['dismiss', 'dismiss'] });
  });

  it('Delete removes the active option and keeps a neighbour active', async () => {
    const page = await open();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('End');
    await expect(state(page)).resolves.toMatchObject({ active: 29 });
    await page.keyboard.press('Delete');
    await expect(state(page)).resolves.toMatchObject({ active: 28, log: ['remove 29'] });
    await page.keyboard.press('Delete');
    await expect(state(page)).resolves.toMatchObject({ active: 27 });
  });
});
