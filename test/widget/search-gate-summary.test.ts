import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page, Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, openPage } from '../helpers/browser.ts';
import { requestJson, startTestServer, type TestServer } from '../helpers/test-server.ts';
import { v2SchemaErrors } from '../helpers/v2-spec.ts';
import { v2WidgetMarkup } from './fixture-corpus.ts';
import { widgetHarness } from './widget-harness.ts';

/**
 * `<search-gate summary>` in Chromium. On the embedded engine there is no summary (the server
 * says so in a warning); in companion mode a scripted upstream plays Vectara's streamed
 * generation (the v2 spec's events) through a real Searchgate gateway.
 */
const h = widgetHarness();

const hits = [
  {
    text: 'The answer is \u0002forty-two\u0003.',
    score: 0.9,
    part_metadata: { title: 'The answer' },
    document_metadata: { title: 'Life', url: 'https://docs.example.com/life' },
    document_id: 'life',
    request_corpora_index: 0,
  },
  {
    text: 'Always know where your \u0002towel\u0003 is.',
    score: 0.7,
    part_metadata: {},
    document_metadata: { title: 'Towels', url: 'https://docs.example.com/towels' },
    document_id: 'towels',
    request_corpora_index: 0,
  },
];

type Script = (res: ServerResponse, body: Record<string, unknown>) => void;
const sse = (res: ServerResponse, event: Record<string, unknown>) =>
  res.write(`event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`);

let upstream: Server;
let gateway: TestServer;
let key = '';
/** What the gateway sent upstream for summaries, with the spec's QueryRequest errors. */
const summaryRequests: Array<{ body: Record<string, unknown>; errors: string[] }> = [];
let streamScript: Script = () => {};

beforeAll(async () => {
  upstream = createServer((req: IncomingMessage, res: ServerResponse) => {
    let raw = '';
    req.on('data', (chunk) => {
      raw += chunk;
    });
    req.on('end', () => {
      const body = JSON.parse(raw) as Record<string, unknown>;
      if (!body.stream_response) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ search_results: hits }));
        return;
      }
      summaryRequests.push({ body, errors: v2SchemaErrors('QueryRequest', body) });
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      streamScript(res, body);
    });
  });
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  const upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
  gateway = await startTestServer({
    env: { UPSTREAM_URL: upstreamUrl, UPSTREAM_API_KEY: 'zqt_upstream_key_for_summaries' },
  });
  await requestJson(
    'POST',
    `${gateway.url}/v2/corpora`,
    { key: 'docs', upstream_corpus_key: 'vectara-docs' },
    { 'x-api-key': gateway.adminToken },
  );
  const corpusId = gateway.services.corpora.getByKey(gateway.customerId, 'docs')?.corpusId ?? 0;
  key = (await gateway.createKey({ corpusIds: [corpusId] })).apiKey;
});
afterAll(async () => {
  await gateway?.close();
  upstream?.closeAllConnections();
  upstream?.close();
});

/** The widget on a page of the gateway, asking it for summaries of the linked corpus. */
const openCompanion = async (): Promise<Page> => {
  h.current = await openPage(h.browser, gateway.url, {
    body: `<main><search-gate endpoint="${gateway.url}" api-key="${key}" corpus-key="docs" summary no-recent></search-gate></main>`,
  });
  return h.current.page;
};
const summary = (page: Page) => page.locator('search-gate .summary');

describe('<search-gate summary>', () => {
  it('shows nothing at all when the server cannot generate (the embedded engine)', async () => {
    h.current = await openPage(h.browser, h.server.url, {
      body: `<main>${v2WidgetMarkup(h.server, h.fixture, 'summary no-recent')}</main>`,
    });
    const { page } = h.current;
    const isSummary = (request: Request) =>
      request.url().endsWith('/v2/query') &&
      (request.postDataJSON() as { stream_response?: boolean } | null)?.stream_response === true;
    // The stream read to its end, or dropped once it said that no summary will come.
    const settled = new Promise<Request>((resolve) => {
      const done = (request: Request) => {
        if (isSummary(request)) resolve(request);
      };
      page.on('requestfinished', done);
      page.on('requestfailed', done);
    });
    await page.getByRole('combobox').fill('guide');
    const request = await settled;
    // The widget's request is a spec-valid QueryRequest with generation, streamed.
    const sent = request.postDataJSON();
    expect(v2SchemaErrors('QueryRequest', sent)).toEqual([]);
    expect(sent).toMatchObject({
      query: 'guide',
      generation: { citations: { style: 'numeric' } },
      stream_response: true,
    });
    await page.getByRole('option').nth(3).waitFor();
    await expect(summary(page).count()).resolves.toBe(0);
    await expect(page.getByText('Generated by AI').count()).resolves.toBe(0);
  });

  it('streams the answer above the results as text, with citations linked to the results', async () => {
    let release: () => void = () => {};
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    streamScript = (res) => {
      sse(res, { type: 'search_results', search_results: hits });
      sse(res, { type: 'generation_chunk', generation_chunk: 'Forty-two ' });
      void released.then(() => {
        for (const chunk of ['[1], and <img src=x onerror="window.__xss=1"> ', 'a towel [2] [7].'])
          sse(res, { type: 'generation_chunk', generation_chunk: chunk });
        sse(res, { type: 'generation_end' });
        sse(res, { type: 'factual_consistency_score', factual_consistency_score: 0.8 });
        sse(res, { type: 'end' });
        res.end();
      });
    };
    const page = await openCompanion();
    await page.getByRole('combobox').fill('life');
    // The first chunk is shown while the rest is still being written.
    await summary(page).getByText('Forty-two').waitFor();
    await expect(summary(page).getAttribute('aria-busy')).resolves.toBe('true');
    await expect(summary(page).getByText('Generated by AI').count()).resolves.toBe(1);
    const answer = await summary(page).boundingBox();
    const results = await page.getByRole('listbox').boundingBox();
    expect(answer?.y ?? 0).toBeLessThan(results?.y ?? 0);
    release();
    await expect.poll(() => summary(page).getAttribute('aria-busy')).toBe('false');
    await expect(summary(page).locator('p').textContent()).resolves.toMatch(
      /^\s*Forty-two \[1\], and <img src=x onerror="window.__xss=1"> a towel \[2\] \[7\]\.\s*$/,
    );
    const links = summary(page).getByRole('link');
    await expect(links.allTextContents()).resolves.toEqual(['[1]', '[2]']);
    await expect(links.first().getAttribute('href')).resolves.toBe('https://docs.example.com/life');
    await expect(page.locator('search-gate .summary img').count()).resolves.toBe(0);
    await expect(
      page.evaluate(() => (window as { __xss?: unknown }).__xss),
    ).resolves.toBeUndefined();
    expect(await axeViolations(page)).toEqual([]);
    // What reached "Vectara" is a spec-valid QueryRequest asking for a streamed, cited answer.
    expect(summaryRequests.at(-1)).toMatchObject({
      errors: [],
      body: {
        query: 'life',
        stream_response: true,
        generation: { citations: { style: 'numeric' } },
      },
    });
    // Typing on drops the answer at once.
    await page.getByRole('combobox').press('s');
    await expect(summary(page).count()).resolves.toBe(0);
  });

  it("searches as usual when the summary's file cannot be loaded", async () => {
    h.current = await openPage(h.browser, h.server.url, {
      body: `<main>${v2WidgetMarkup(h.server, h.fixture, 'no-recent')}</main>`,
    });
    const { page } = h.current;
    const blocked = new Promise<void>((resolve) => {
      void page.route(/\/summary-controller-[\w-]+\.js$/, async (route) => {
        await route.abort();
        resolve();
      });
    });
    // Turned on now: the file is asked for (and refused) after the route is in place.
    await page.locator('search-gate').evaluate((el) => el.setAttribute('summary', ''));
    await blocked;
    await page.getByRole('combobox').fill('guide');
    await page.getByRole('option').nth(3).waitFor();
    await expect(summary(page).count()).resolves.toBe(0);
    // The harness fails the test on any uncaught error in the page.
  });

  it('drops a partial answer when the stream reports an error', async () => {
    streamScript = (res) => {
      sse(res, { type: 'search_results', search_results: hits });
      sse(res, { type: 'generation_chunk', generation_chunk: 'Forty' });
      setTimeout(() => {
        sse(res, { type: 'error', messages: ['generation failed'] });
        sse(res, { type: 'end' });
        res.end();
      }, 300);
    };
    const page = await openCompanion();
    await page.getByRole('combobox').fill('life');
    await summary(page).getByText('Forty').waitFor();
    await summary(page).waitFor({ state: 'detached' });
    await expect(page.getByRole('option').count()).resolves.toBe(2);
  });
});
