import type { Request } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { openPage } from '../helpers/browser.ts';
import { expectV2Shape, v2SchemaErrors } from '../helpers/v2-spec.ts';
import { v2WidgetMarkup, widgetMarkup } from './fixture-corpus.ts';
import { widgetHarness } from './widget-harness.ts';

const h = widgetHarness();

const vectara = 'https://api.vectara.io';

/** A spec-shaped `QueryFullResponse` as Vectara answers it. */
const vectaraAnswer = {
  search_results: [
    {
      text: 'Ferries leave at \u0002dawn\u0003 in winter.',
      score: 0.82,
      part_metadata: { title: 'Winter timetable', anchor: 'winter', lang: 'eng' },
      document_metadata: { title: 'Ferries', url: 'https://partner.example/ferries' },
      document_id: 'ferries',
      request_corpora_index: 0,
    },
    {
      text: 'Buses meet the \u0002dawn\u0003 ferry.',
      score: 0.4,
      part_metadata: {},
      document_metadata: { title: 'Buses', url: 'https://partner.example/buses' },
      document_id: 'buses',
      request_corpora_index: 1,
    },
  ],
};

describe('<search-gate corpus-key> speaks v2', () => {
  it('queries /v2/query on Searchgate and links each section to its anchor', async () => {
    h.current = await openPage(h.browser, h.server.url, {
      body: `<main>${v2WidgetMarkup(h.server, h.fixture, 'no-recent')}</main>`,
    });
    const { page } = h.current;
    const sent: Request[] = [];
    page.on('request', (request) => {
      if (request.url().includes('/query')) sent.push(request);
    });
    await page.getByRole('combobox').fill('guide');
    await page.getByRole('option').nth(3).waitFor();
    await expect(page.locator('search-gate .group-title').allTextContents()).resolves.toEqual([
      'Installing Searchgate',
      'API keys',
    ]);
    await expect(page.getByRole('option').first().getAttribute('href')).resolves.toBe(
      `${h.server.url}/docs/install#requirements`,
    );
    expect(sent.map((request) => request.url())).toEqual([`${h.server.url}/v2/query`]);
    const [request] = sent;
    expectV2Shape('QueryRequest', request?.postDataJSON());
    // v2 knows the account from the key: no customer-id unless the page gives one.
    expect(await request?.headerValue('customer-id')).toBeNull();
  });

  it('sends a spec-valid QueryRequest to Vectara itself and renders its QueryFullResponse', async () => {
    h.current = await openPage(h.browser, h.server.url, {
      body: `<main><search-gate endpoint="${vectara}" api-key="zqt_vectara_query_key" customer-id="1234567" corpus-key="ferries, buses" metadata-filter="doc.lang = 'eng'" num-results="7" no-recent></search-gate></main>`,
    });
    const { page } = h.current;
    const bodies: unknown[] = [];
    const headers: Record<string, string>[] = [];
    const cors = {
      'access-control-allow-origin': h.server.url,
      'access-control-allow-headers': 'content-type, x-api-key, customer-id',
      'access-control-allow-methods': 'POST',
    };
    await page.route(`${vectara}/**`, async (route) => {
      const request = route.request();
      if (request.method() === 'OPTIONS') return route.fulfill({ status: 204, headers: cors });
      bodies.push(request.postDataJSON());
      headers.push(await request.allHeaders());
      return route.fulfill({
        status: 200,
        headers: cors,
        contentType: 'application/json',
        body: JSON.stringify(vectaraAnswer),
      });
    });
    await page.getByRole('combobox').fill('dawn');
    await page.getByRole('option').nth(1).waitFor();

    expect(bodies).toHaveLength(1);
    expect(v2SchemaErrors('QueryRequest', bodies[0])).toEqual([]);
    expect(bodies[0]).toMatchObject({
      query: 'dawn',
      search: {
        corpora: [
          { corpus_key: 'ferries', metadata_filter: "doc.lang = 'eng'" },
          { corpus_key: 'buses', metadata_filter: "doc.lang = 'eng'" },
        ],
        limit: 7,
      },
    });
    expect(headers[0]).toMatchObject({
      'x-api-key': 'zqt_vectara_query_key',
      'customer-id': '1234567',
      'content-type': 'application/json',
    });
    expect(headers[0]).not.toHaveProperty('authorization');

    expectV2Shape('QueryFullResponse', vectaraAnswer);
    await expect(page.locator('search-gate .group-title').allTextContents()).resolves.toEqual([
      'Ferries',
      'Buses',
    ]);
    await expect(page.locator('search-gate .section').allTextContents()).resolves.toEqual([
      'Winter timetable',
    ]);
    const options = page.getByRole('option');
    await expect(options.first().getAttribute('href')).resolves.toBe(
      'https://partner.example/ferries#winter',
    );
    await expect(options.nth(1).getAttribute('href')).resolves.toBe(
      'https://partner.example/buses',
    );
    await expect(page.locator('search-gate mark').first().textContent()).resolves.toBe('dawn');
  });

  it('reads a v2 error body: a disabled key is unavailable, with its code', async () => {
    h.current = await openPage(h.browser, h.server.url, {
      body: `<main>${v2WidgetMarkup(h.server, h.fixture, 'no-recent')}</main>`,
    });
    const { page } = h.current;
    await page.evaluate(() => {
      const log: unknown[] = [];
      (window as unknown as { log: unknown[] }).log = log;
      document.addEventListener('search-gate-error', (event) => log.push(event.detail));
    });
    await page.route(`${h.server.url}/v2/query`, (route) =>
      route.fulfill({
        status: 403,
        contentType: 'application/json',
        body: JSON.stringify({
          messages: ['The API key is disabled.'],
          request_id: 'r1',
          code: 'KEY_DISABLED',
        }),
      }),
    );
    await page.getByRole('combobox').fill('guide');
    await page.getByText('Search is unavailable right now.').first().waitFor();
    await expect(
      page.evaluate(() => (window as unknown as { log: unknown[] }).log),
    ).resolves.toEqual([{ code: 'KEY_DISABLED', status: 403 }]);
  });

  it('keeps speaking v1 with corpus-id', async () => {
    h.current = await openPage(h.browser, h.server.url, {
      body: `<main>${widgetMarkup(h.server, h.fixture, 'no-recent')}</main>`,
    });
    const { page } = h.current;
    const sent: Request[] = [];
    page.on('request', (request) => {
      if (request.url().includes('/query')) sent.push(request);
    });
    await page.getByRole('combobox').fill('guide');
    await page.getByText('Installing Searchgate').waitFor();
    expect(sent.map((request) => request.url())).toEqual([`${h.server.url}/v1/query`]);
    expect(await sent[0]?.headerValue('customer-id')).toBe(String(h.server.customerId));
    expect(sent[0]?.postDataJSON()).toMatchObject({
      query: [
        { query: 'guide', start: 0, numResults: 10, corpusKey: [{ corpusId: h.fixture.corpusId }] },
      ],
    });
  });
});
