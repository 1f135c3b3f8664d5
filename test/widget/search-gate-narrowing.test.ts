import type { Page, Request } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, openPage } from '../helpers/browser.ts';
import { createFixture, type Fixture, v2WidgetMarkup } from './fixture-corpus.ts';
import { widgetHarness } from './widget-harness.ts';

const h = widgetHarness();

/** Nine ferry pages of two kinds, each with an image. */
const documents = Array.from({ length: 9 }, (_, d) => ({
  documentId: `ferry-${d}`,
  title: `Ferry ${d}`,
  metadata: {
    url: `/ferries/${d}`,
    kind: d % 3 === 0 ? 'timetable' : 'news',
    image: `/images/ferry-${d}.png`,
  },
  sections: [{ text: `Ferry number ${d} leaves the harbour at ${d + 6} o'clock.` }],
}));

let ferries: Fixture;
beforeAll(async () => {
  ferries = await createFixture(h.server, documents);
});

const open = async (extra: string): Promise<{ page: Page; sent: Request[] }> => {
  h.current = await openPage(h.browser, h.server.url, {
    body: `<main>${v2WidgetMarkup(h.server, ferries, `no-recent ${extra}`)}</main>`,
  });
  const { page } = h.current;
  const sent: Request[] = [];
  page.on('request', (request) => {
    if (request.url().endsWith('/v2/query')) sent.push(request);
  });
  await page.route('**/images/**', (route) =>
    route.fulfill({
      contentType: 'image/svg+xml',
      body: '<svg xmlns="http://www.w3.org/2000/svg"/>',
    }),
  );
  return { page, sent };
};

describe('<search-gate> beyond the first page', () => {
  it('loads more results on request, the first new one active, until there are no more', async () => {
    const { page, sent } = await open('num-results="5"');
    await page.getByRole('combobox').fill('ferry');
    await page.getByRole('option').nth(4).waitFor();
    await expect(page.getByRole('option').count()).resolves.toBe(5);
    const more = page.getByRole('button', { name: 'Show more results' });
    await more.click();
    await page.getByRole('option').nth(8).waitFor();
    await expect(page.getByRole('option').count()).resolves.toBe(9);
    await expect(page.locator('search-gate .count').textContent()).resolves.toBe('9 results');
    expect(sent.map((request) => request.postDataJSON().search)).toMatchObject([
      { offset: 0, limit: 5 },
      { offset: 5, limit: 5 },
    ]);
    // Fewer than a page came back: nothing more to load; the keyboard goes on from the new ones.
    await expect(more.count()).resolves.toBe(0);
    await expect(page.getByRole('combobox').getAttribute('aria-activedescendant')).resolves.toBe(
      'sg-o-5',
    );
    await page.keyboard.press('ArrowDown');
    await expect(page.getByRole('combobox').getAttribute('aria-activedescendant')).resolves.toBe(
      'sg-o-6',
    );
  });

  it('lets the visitor narrow the results with the filters the owner defined', async () => {
    const { page, sent } = await open(
      `metadata-filter="doc.kind != 'secret'" filters="Timetables: doc.kind = 'timetable'; News: doc.kind = 'news'"`,
    );
    await page.getByRole('combobox').fill('ferry');
    await page.getByRole('option').nth(8).waitFor();
    const filters = page.getByRole('group', { name: 'Filter results' });
    await expect(filters.getByRole('button').allTextContents()).resolves.toEqual([
      expect.stringContaining('All'),
      expect.stringContaining('Timetables'),
      expect.stringContaining('News'),
    ]);
    await expect(
      filters.getByRole('button', { name: 'All' }).getAttribute('aria-pressed'),
    ).resolves.toBe('true');
    await filters.getByRole('button', { name: 'Timetables' }).click();
    await expect.poll(() => page.getByRole('option').count()).toBe(3);
    await expect(
      filters.getByRole('button', { name: 'Timetables' }).getAttribute('aria-pressed'),
    ).resolves.toBe('true');
    expect(sent.at(-1)?.postDataJSON().search.corpora[0].metadata_filter).toBe(
      "(doc.kind != 'secret') and (doc.kind = 'timetable')",
    );
    expect(await axeViolations(page)).toEqual([]);
    await filters.getByRole('button', { name: 'All' }).click();
    await expect.poll(() => page.getByRole('option').count()).toBe(9);
  });

  it("shows each page's image, as decoration", async () => {
    const { page } = await open('');
    await page.getByRole('combobox').fill('ferry');
    await page.getByRole('option').nth(8).waitFor();
    const images = page.locator('search-gate .group-head img');
    await expect(images.count()).resolves.toBe(9);
    await expect(images.first().getAttribute('alt')).resolves.toBe('');
    await expect(images.first().getAttribute('src')).resolves.toMatch(/\/images\/ferry-\d\.png$/);
  });
});
