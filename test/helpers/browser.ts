import { createRequire } from 'node:module';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';

const require = createRequire(import.meta.url);
const axePath = require.resolve('axe-core/axe.min.js');

/** Debian's Chromium, never a downloaded one; one browser per test file keeps the suite quick. */
export const launchBrowser = (): Promise<Browser> =>
  chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-sync',
      '--disable-quic',
    ],
  });

export interface PageOptions {
  /** Markup placed in <body>; the built widget is loaded by one module script in <head>. */
  body: string;
  /** The <html lang>. */
  lang?: string;
  /** Extra <head> markup, replacing the default script tag when `ownScripts` is set. */
  head?: string;
  ownScripts?: boolean;
  viewport?: { width: number; height: number };
  path?: string;
  /** Query string for the page URL, e.g. `?q=guide`. */
  search?: string;
}

export interface TestPage {
  page: Page;
  context: BrowserContext;
  /** Uncaught errors the page threw. */
  errors: Error[];
}

/**
 * Opens a fresh context (own localStorage) on a page served at `origin` through page.route,
 * so the widget talks to the server same-origin and loads the built bundle from it.
 */
export const openPage = async (
  browser: Browser,
  origin: string,
  options: PageOptions,
): Promise<TestPage> => {
  const context = await browser.newContext({
    viewport: options.viewport ?? { width: 1024, height: 768 },
  });
  const page = await context.newPage();
  const errors: Error[] = [];
  page.on('pageerror', (error) => errors.push(error));
  const path = options.path ?? '/widget-test.html';
  const scripts = options.ownScripts ? '' : '<script type="module" src="/search-gate.js"></script>';
  const html = `<!doctype html><html lang="${options.lang ?? 'en'}"><head><meta charset="utf-8">
<title>Widget test</title>${scripts}${options.head ?? ''}</head><body>${options.body}</body></html>`;
  await page.route(
    (url) => url.pathname === path,
    (route) => route.fulfill({ contentType: 'text/html; charset=utf-8', body: html }),
  );
  await page.goto(`${origin}${path}${options.search ?? ''}`);
  await page.waitForFunction(() => customElements.get('search-gate') !== undefined);
  return { page, context, errors };
};

export interface AxeViolation {
  id: string;
  help: string;
  targets: string[];
}

/** Runs axe-core on one element (its shadow tree included) and returns the violations. */
export const axeViolations = async (
  page: Page,
  selector = 'search-gate',
): Promise<AxeViolation[]> => {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ path: axePath });
  return page.evaluate(async (target) => {
    const axe = (window as unknown as { axe: { run: (context: Element) => Promise<AxeResults> } })
      .axe;
    interface AxeResults {
      violations: Array<{ id: string; help: string; nodes: Array<{ target: unknown[] }> }>;
    }
    const element = document.querySelector(target);
    if (!element) throw new Error(`no ${target} on the page`);
    const results = await axe.run(element);
    return results.violations.map((violation) => ({
      id: violation.id,
      help: violation.help,
      targets: violation.nodes.map((node) => JSON.stringify(node.target)),
    }));
  }, selector);
};
