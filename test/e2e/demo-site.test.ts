import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../helpers/browser.ts';
import { type ServerProcess, spawnServer } from '../helpers/server-process.ts';

/** The demo site a first-time visitor opens after `npm start`, on a phone and on a laptop. */
describe('the demo site', () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'searchgate-demo-site-'));
  let demo: ServerProcess;
  let browser: Browser;

  beforeAll(async () => {
    [demo, browser] = await Promise.all([
      spawnServer({ DATA_DIR: dataDir }, ['demo'], /Demo site\s+(http:\/\/\S+?)\/\s/),
      launchBrowser(),
    ]);
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await demo?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const pageErrors = new WeakMap<Page, string[]>();
  /** Closes the page's context once it threw nothing. */
  const close = async (page: Page): Promise<void> => {
    await page.context().close();
    expect(pageErrors.get(page)).toEqual([]);
  };

  const open = async (width: number, height: number, page = '/'): Promise<Page> => {
    const context = await browser.newContext({ viewport: { width, height } });
    const tab = await context.newPage();
    tab.setDefaultTimeout(15_000);
    const errors: string[] = [];
    tab.on('pageerror', (error) => errors.push(error.message));
    pageErrors.set(tab, errors);
    await tab.goto(`${demo.url}${page}`);
    await tab.waitForFunction(() => customElements.get('search-gate') !== undefined);
    return tab;
  };

  /** Boxes of the header's items, in page coordinates. */
  const headerBoxes = (page: Page) =>
    page.evaluate(() =>
      [...(document.querySelector('header.site')?.children ?? [])].map((item) => {
        const box = item.getBoundingClientRect();
        return {
          item:
            item.getAttribute('mode') === 'modal'
              ? 'dialog button'
              : item.className || item.tagName,
          top: box.top,
          bottom: box.bottom,
          left: box.left,
          right: box.right,
        };
      }),
    );

  for (const [width, height] of [
    [360, 740],
    [1280, 800],
  ] as const) {
    for (const pagePath of ['/', '/theming.html']) {
      it(`${pagePath} at ${width} px: filled in, no sideways scrolling, the dialog button beside the brand`, async () => {
        const page = await open(width, height, pagePath);
        try {
          // Every %%VARIABLE%% was filled by the demo command.
          expect(await page.content()).not.toMatch(/%%[A-Z_]+%%/);
          expect(
            await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth),
          ).toBeLessThanOrEqual(0);

          const boxes = await headerBoxes(page);
          for (const box of boxes) {
            expect(box.left, box.item).toBeGreaterThanOrEqual(0);
            expect(box.right, box.item).toBeLessThanOrEqual(width);
          }
          const brand = boxes.find((box) => box.item === 'brand');
          const button = boxes.find((box) => box.item === 'dialog button');
          if (button) {
            // The modal element is a button as wide as its label, on the brand's row.
            expect(button.right - button.left).toBeLessThan(240);
            expect(button.top).toBeLessThan(brand?.bottom ?? 0);
            expect(button.bottom).toBeGreaterThan(brand?.top ?? 0);
          }
          if (width >= 1280) {
            // A laptop's header is one row.
            const rows =
              Math.max(...boxes.map((b) => b.top)) - Math.min(...boxes.map((b) => b.top));
            expect(rows).toBeLessThan(24);
          }
        } finally {
          await close(page);
        }
      });
    }

    it(`says at ${width} px, above the fold, what the visitor is looking at`, async () => {
      const page = await open(width, height);
      try {
        const title = page.getByRole('heading', { level: 1 });
        await expect.poll(() => title.textContent()).toMatch(/READMEs of \d{2,} packages/);
        const box = await title.boundingBox();
        expect((box?.y ?? height) + (box?.height ?? 0)).toBeLessThan(height);
        await expect.poll(() => page.locator('.intro').textContent()).toMatch(/query-only key/);
      } finally {
        await close(page);
      }
    });
  }

  it('suggests only searches that find something, each one a link to its results', async () => {
    const page = await open(1280, 800);
    try {
      const links = await page
        .locator('.suggestions a')
        .evaluateAll((anchors) => anchors.map((a) => (a as HTMLAnchorElement).href));
      expect(links.length).toBeGreaterThanOrEqual(4);
      for (const link of links) {
        await page.goto(link);
        const query = new URL(link).searchParams.get('q');
        await expect.poll(() => page.getByRole('combobox').first().inputValue()).toBe(query);
        await page.getByRole('option').first().waitFor();
      }
    } finally {
      await close(page);
    }
  });

  it('carries the snippet the demo printed, with the corpus key', async () => {
    const printed = /<search-gate endpoint="[^"]+" api-key="(sgq_[^"]+)" corpus-key="([^"]+)"/.exec(
      demo.output(),
    );
    expect(printed).not.toBeNull();
    const page = await open(1280, 800);
    try {
      const inline = page.locator('header.site .search search-gate');
      expect(await inline.getAttribute('api-key')).toBe(printed?.[1]);
      expect(await inline.getAttribute('corpus-key')).toBe(printed?.[2]);
      await expect
        .poll(() => page.locator('#paste + p + pre').textContent())
        .toContain(`corpus-key="${printed?.[2]}"`);
    } finally {
      await close(page);
    }
  });
});
