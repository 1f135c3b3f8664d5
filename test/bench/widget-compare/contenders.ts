import type { Page } from 'playwright-core';

/**
 * The three widgets as a site would set each one up, with its defaults: the page that embeds
 * it, how a visitor opens it, its search box, and the CSS selector of one hit. Every page has
 * the same header and body, so only the widget differs.
 */
export interface Contender {
  name: string;
  /** Path of its page on the bench site. */
  path: string;
  html: string;
  /** Paths of its code (JS, CSS, WASM), counted as bundle bytes. */
  code: RegExp;
  hit: string;
  /** Opens the search UI and returns its search box. */
  open(page: Page): Promise<ReturnType<Page['locator']>>;
}

const shell = (title: string, head: string, search: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<style>
  body { margin: 0; font: 16px/1.5 system-ui, sans-serif; }
  header { display: flex; gap: 24px; align-items: center; padding: 12px 24px; border-bottom: 1px solid #ddd; }
  header .search { flex: 1 1 auto; max-width: 560px; }
  main { max-width: 760px; margin: 24px auto; padding: 0 24px; }
</style>
${head}
</head><body>
<header><strong>Package docs</strong><div class="search">${search}</div></header>
<main><h1>Package docs</h1><p>The READMEs of the packages in node_modules.</p></main>
</body></html>`;

export interface SearchgateSetup {
  apiKey: string;
  customerId: number;
  corpusId: number;
  corpusKey: string;
}

/**
 * `<search-gate>`, asking the page's own origin (no `endpoint`); `corpus-key` for the v2 widget, `customer-id` and `corpus-id` for a widget
 * that speaks v1 only (a v2 widget uses the key). Recent searches off: every run starts empty.
 */
const searchgate = (mode: 'inline' | 'modal', setup: SearchgateSetup): Contender => ({
  name: `Searchgate (${mode})`,
  path: `/searchgate-${mode}.html`,
  html: shell(
    `Searchgate ${mode}`,
    '<script type="module" src="/search-gate.js"></script>',
    `<search-gate mode="${mode}" no-recent api-key="${setup.apiKey}" corpus-key="${setup.corpusKey}" customer-id="${setup.customerId}" corpus-id="${setup.corpusId}"></search-gate>`,
  ),
  code: /^\/search-gate\.js$/,
  hit: '[role="option"]',
  open: async (page) => {
    if (mode === 'modal') {
      await page.locator('search-gate button').first().click();
      return page.locator('search-gate dialog input');
    }
    const box = page.locator('search-gate input');
    await box.click();
    return box;
  },
});

/** Algolia DocSearch 4, its search client pointed at the local stub of Algolia's API. */
const docsearch = (): Contender => ({
  name: 'DocSearch 4.7',
  path: '/docsearch.html',
  html: shell(
    'DocSearch',
    `<link rel="stylesheet" href="/vendor/docsearch.css">
<script src="/vendor/docsearch.js"></script>`,
    `<div id="docsearch"></div>
<script>
  docsearch({
    container: '#docsearch',
    appId: 'BENCH',
    apiKey: 'bench',
    indexName: 'docs',
    disableUserPersonalization: true,
    // Algolia's hosts are not reachable: the same request, to the stub on this site.
    transformSearchClient: (client) =>
      Object.assign(Object.create(client), {
        search: ({ requests }) =>
          fetch('/1/indexes/*/queries', {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ requests }),
          }).then((response) => response.json()),
      }),
  });
</script>`,
  ),
  code: /^\/vendor\/docsearch\.(js|css)$/,
  hit: '.DocSearch-Hit',
  open: async (page) => {
    await page.locator('.DocSearch-Button').click();
    return page.locator('.DocSearch-Input');
  },
});

/** Pagefind UI 1.6 (the default UI the `pagefind` package writes into its bundle). */
const pagefind = (): Contender => ({
  name: 'Pagefind UI 1.6',
  path: '/pagefind.html',
  html: shell(
    'Pagefind',
    `<link rel="stylesheet" href="/_pagefind/pagefind-ui.css">
<script src="/_pagefind/pagefind-ui.js"></script>`,
    `<div id="search"></div>
<script>
  window.addEventListener('DOMContentLoaded', () => new PagefindUI({ element: '#search' }));
</script>`,
  ),
  code: /^\/_pagefind\/.*\.(js|css|pagefind)$/,
  hit: '.pagefind-ui__result',
  open: async (page) => {
    const box = page.locator('.pagefind-ui__search-input');
    await box.click();
    return box;
  },
});

export const contenders = (setup: SearchgateSetup): Contender[] => [
  searchgate('inline', setup),
  searchgate('modal', setup),
  docsearch(),
  pagefind(),
];
