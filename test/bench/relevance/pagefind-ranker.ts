import { readFile } from 'node:fs/promises';
import path from 'node:path';
import * as pagefind from 'pagefind';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser } from '../../helpers/browser.ts';
import { pageId } from './doc-sites.ts';
import type { RankedPages } from './relevance-metrics.ts';

/**
 * Pagefind 1.6 as a site would use it: its Node API builds the bundle from the same pages
 * (default settings), and the bundle's own pagefind.js answers in headless Chromium, served
 * from disk through page.route (no server, no network).
 */

const origin = 'http://pagefind.invalid';

export interface PagefindRanker {
  pages: number;
  indexSeconds: number;
  search(query: string): Promise<RankedPages>;
  close(): Promise<void>;
}

const contentTypes: Record<string, string> = {
  '.js': 'text/javascript',
  '.json': 'application/json',
  '.css': 'text/css',
  '.html': 'text/html',
};

export async function pagefindRanker(
  siteFolder: string,
  bundleFolder: string,
): Promise<PagefindRanker> {
  const started = performance.now();
  const { index, errors } = await pagefind.createIndex({});
  if (!index) throw new Error(`pagefind: ${errors.join('; ')}`);
  const added = await index.addDirectory({ path: siteFolder });
  if (added.errors.length > 0) throw new Error(`pagefind: ${added.errors.join('; ')}`);
  const written = await index.writeFiles({ outputPath: path.join(bundleFolder, 'pagefind') });
  if (written.errors.length > 0) throw new Error(`pagefind: ${written.errors.join('; ')}`);
  await pagefind.close();
  const indexSeconds = (performance.now() - started) / 1000;

  const browser: Browser = await launchBrowser();
  const page: Page = await browser.newPage();
  await page.route(`${origin}/**`, async (route) => {
    const url = new URL(route.request().url());
    if (url.pathname === '/') {
      await route.fulfill({
        contentType: 'text/html',
        body: '<!doctype html><title>bench</title>',
      });
      return;
    }
    const file = path.join(bundleFolder, path.normalize(decodeURIComponent(url.pathname)));
    if (!file.startsWith(bundleFolder)) {
      await route.fulfill({ status: 404, body: '' });
      return;
    }
    try {
      const body = await readFile(file);
      const type = contentTypes[path.extname(file)] ?? 'application/octet-stream';
      await route.fulfill({ body, contentType: type });
    } catch {
      await route.fulfill({ status: 404, body: '' });
    }
  });
  await page.goto(`${origin}/`);
  await page.evaluate(async () => {
    const module = await import('/pagefind/pagefind.js' as string);
    await module.init();
    (globalThis as unknown as { pagefind: unknown }).pagefind = module;
  });
  return {
    pages: added.page_count,
    indexSeconds,
    async search(query) {
      const urls = await page.evaluate(async (text) => {
        const api = (
          globalThis as unknown as {
            pagefind: {
              search(q: string): Promise<{ results: Array<{ data(): Promise<{ url: string }> }> }>;
            };
          }
        ).pagefind;
        const found = await api.search(text);
        const top = await Promise.all(found.results.slice(0, 10).map((result) => result.data()));
        return top.map((data) => data.url);
      }, query);
      return urls.map((url) => pageId(new URL(url, origin).pathname));
    },
    async close() {
      await browser.close();
    },
  };
}
