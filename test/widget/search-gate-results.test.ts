import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, openPage } from '../helpers/browser.ts';
import { createFixture, type Fixture, v2WidgetMarkup } from './fixture-corpus.ts';
import { widgetHarness } from './widget-harness.ts';

const h = widgetHarness();

/** A page with long sections: snippets are cut out of them, as on a real documentation site. */
const longText = (topic: string, n: number) =>
  `Before you start, read the overview of the harbour and its history, which explains why the ` +
  `quays were built where they are. Section ${n} of this page describes ${topic} in detail: the ` +
  `lantern schedule, who lights each lantern at dusk, and how long every lantern burns through ` +
  `the night before the keepers put it out again at dawn, with the exceptions made for fog.`;
const longDocuments = ['North quay', 'South quay', 'Old lighthouse'].map((title, d) => ({
  documentId: `quay-${d}`,
  title,
  metadata: {
    url: `/harbour/quays/${d}.html`,
    ...(d === 2 ? { breadcrumb: 'Harbour › History' } : {}),
  },
  sections: [0, 1, 2].map((s) => ({ title: `Lanterns, part ${s + 1}`, text: longText(title, s) })),
}));
const oddDocuments = [
  {
    documentId: 'tokens',
    title: 'Configuration reference',
    metadata: { url: 'https://other.example/reference/config' },
    sections: [
      {
        title:
          'SEARCHGATE_SUPERCALIFRAGILISTIC_EXPIALIDOCIOUS_CONFIGURATION_VARIABLE_NAME_THAT_NEVER_ENDS',
        text: 'Set `SEARCHGATE_QUOKKA_MODE=1` to enable the quokka mode: https://example.com/a/very/long/path/without/any/spaces/at/all/in/it',
      },
    ],
  },
];

let long: Fixture;
beforeAll(async () => {
  long = await createFixture(h.server, [...longDocuments, ...oddDocuments]);
});

const open = async (
  extra = 'no-recent',
  options: { viewport?: { width: number; height: number }; lang?: string } = {},
): Promise<Page> => {
  h.current = await openPage(h.browser, h.server.url, {
    body: `<main>${v2WidgetMarkup(h.server, long, extra)}</main>`,
    ...options,
  });
  return h.current.page;
};

/** Options whose whole box is inside the scrolling popup's visible area. */
const fullyVisibleOptions = (page: Page) =>
  page.evaluate(() => {
    const root = document.querySelector('search-gate')?.shadowRoot;
    const popup = root?.querySelector('.popup')?.getBoundingClientRect();
    if (!popup) return 0;
    return [...(root?.querySelectorAll('[role=option]') ?? [])].filter((option) => {
      const box = option.getBoundingClientRect();
      return box.top >= popup.top && box.bottom <= popup.bottom;
    }).length;
  });

describe('<search-gate> results', () => {
  it('fits at least 7 hits with two-line snippets in the inline popup and in the dialog', async () => {
    let page = await open();
    await page.getByRole('combobox').fill('lantern');
    await page.getByRole('option').nth(8).waitFor({ state: 'attached' });
    expect(await fullyVisibleOptions(page)).toBeGreaterThanOrEqual(7);
    await h.current?.context.close();

    page = await open('no-recent mode="modal"');
    await page.getByRole('button', { name: /Search/ }).click();
    await page.getByRole('combobox').fill('lantern');
    await page.getByRole('option').nth(8).waitFor({ state: 'attached' });
    expect(await fullyVisibleOptions(page)).toBeGreaterThanOrEqual(7);
  });

  it('sets page titles apart from section headings, shows where each page is, and cuts snippets visibly', async () => {
    const page = await open();
    await page.getByRole('combobox').fill('lantern');
    await page.getByRole('option').nth(8).waitFor({ state: 'attached' });
    const size = (selector: string) =>
      page
        .locator(`search-gate ${selector}`)
        .first()
        .evaluate((el) => Number.parseFloat(getComputedStyle(el).fontSize));
    expect(await size('.group-title')).toBeLessThan(await size('.section'));
    expect(await size('.snippet')).toBeLessThan(await size('.section'));
    await expect(page.locator('search-gate .path').allTextContents()).resolves.toEqual([
      'harbour › quays › 0',
      'harbour › quays › 1',
      'Harbour › History',
    ]);
    const snippet = page.locator('search-gate .snippet').first();
    await expect(snippet.evaluate((el) => getComputedStyle(el).webkitLineClamp)).resolves.toBe('2');
    // Cut out of the middle of a sentence: the snippet says so at both ends.
    await expect(snippet.textContent()).resolves.toMatch(/^… .*lantern.* …$/);
    expect(await axeViolations(page)).toEqual([]);
  });

  it('keeps inline code readable and wraps long tokens on a phone, left to right and right to left', async () => {
    for (const lang of ['en', 'ar']) {
      const page = await open('no-recent', { viewport: { width: 360, height: 640 }, lang });
      await page.getByRole('combobox').fill('quokka');
      await page.getByRole('option').first().waitFor();
      await expect(page.locator('search-gate .path').textContent()).resolves.toBe(
        'other.example › reference › config',
      );
      const code = page.locator('search-gate .snippet code');
      await expect(code.allTextContents()).resolves.toEqual(['SEARCHGATE_', 'QUOKKA', '_MODE=1']);
      await expect(code.first().evaluate((el) => getComputedStyle(el).fontFamily)).resolves.toMatch(
        /monospace/,
      );
      const overflow = await page.evaluate(() => {
        const popup = document.querySelector('search-gate')?.shadowRoot?.querySelector('.popup');
        return {
          popup: (popup?.scrollWidth ?? 0) - (popup?.clientWidth ?? 0),
          page: document.documentElement.scrollWidth - innerWidth,
        };
      });
      expect(overflow).toEqual({ popup: 0, page: 0 });
      await h.current?.context.close();
      h.current = undefined;
    }
  });
});
