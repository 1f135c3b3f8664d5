import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { openPage } from '../helpers/browser.ts';
import { createFixture, type Fixture, v2WidgetMarkup } from './fixture-corpus.ts';
import { widgetHarness } from './widget-harness.ts';

const h = widgetHarness();

interface PageLog {
  errors: Array<{ code: string; status: number }>;
  /** performance.now() of each /v2/query request the page sent. */
  queries: number[];
}

/** Opens the widget (v2) with a log of `search-gate-error` events and of /v2/query fetches. */
const open = async (target: Fixture = h.fixture): Promise<Page> => {
  h.current = await openPage(h.browser, h.server.url, {
    body: `<main>${v2WidgetMarkup(h.server, target, 'no-recent')}</main>`,
  });
  const { page } = h.current;
  await page.evaluate(() => {
    const log: PageLog = { errors: [], queries: [] };
    (window as unknown as { log: PageLog }).log = log;
    document.addEventListener('search-gate-error', (event) => log.errors.push(event.detail));
    const realFetch = window.fetch;
    window.fetch = (...args) => {
      if (String(args[0]).endsWith('/v2/query')) log.queries.push(performance.now());
      return realFetch(...args);
    };
  });
  return page;
};

const pageLog = (page: Page) => page.evaluate(() => (window as unknown as { log: PageLog }).log);
const queriesSent = async (page: Page) => (await pageLog(page)).queries.length;

/** Resolves after `ms` of the page's own time. */
const pageWait = (page: Page, ms: number) =>
  page.evaluate((wait) => new Promise((resolve) => setTimeout(resolve, wait)), ms);

describe('<search-gate> failures', () => {
  it('a refusal drops everything the widget holds: nothing answered before is shown again', async () => {
    const own = await createFixture(h.server);
    const page = await open(own);
    const input = page.getByRole('combobox');
    await input.fill('guide');
    await page.getByText('Installing Searchgate').waitFor();
    await input.fill('zebra');
    await page.getByText('Evil page').waitFor();
    await h.server.setKeyEnabled(own.keyId, false);

    // Asked before, so held in memory: the server is still asked, and its refusal wins.
    await input.fill('guide');
    await page.getByText('Search is unavailable right now.').first().waitFor();
    await expect(page.getByRole('option').count()).resolves.toBe(0);
    await expect(pageLog(page)).resolves.toMatchObject({
      errors: [{ code: 'KEY_DISABLED', status: 403 }],
    });
    await expect(page.getByRole('status').textContent()).resolves.toContain('unavailable');

    // The other held answer went too; during the back-off nothing is sent.
    const sent = await queriesSent(page);
    await input.fill('zebra');
    await pageWait(page, 300);
    await expect(page.getByRole('option').count()).resolves.toBe(0);
    await expect(page.getByText('Evil page').count()).resolves.toBe(0);
    await page.getByText('Search is unavailable right now.').first().waitFor();
    await expect(queriesSent(page)).resolves.toBe(sent);
  });

  it('comes back by itself within seconds of a re-enable: short first retries, then longer', async () => {
    const own = await createFixture(h.server);
    const page = await open(own);
    await h.server.setKeyEnabled(own.keyId, false);
    await page.getByRole('combobox').fill('guide');
    await page.getByText('Search is unavailable right now.').first().waitFor();
    // Still disabled: the widget tries again after about 1 s, then after about 2 s.
    await expect.poll(() => queriesSent(page), { timeout: 10_000 }).toBeGreaterThanOrEqual(3);
    const [first = 0, second = 0, third = 0] = (await pageLog(page)).queries;
    expect(second - first).toBeGreaterThanOrEqual(900);
    expect(third - second).toBeGreaterThanOrEqual(1800);

    // The owner re-enables: the next retry (within 4 s) brings the results, no visitor action.
    await h.server.setKeyEnabled(own.keyId, true);
    await page.getByText('Installing Searchgate').waitFor({ timeout: 10_000 });
    await expect(page.getByText('Search is unavailable right now.').count()).resolves.toBe(0);
  });

  it('an unknown key is unavailable too', async () => {
    const page = await open({ ...h.fixture, apiKey: 'zqt_not_a_real_key' });
    await page.getByRole('combobox').fill('guide');
    await page.getByText('Search is unavailable right now.').first().waitFor();
    await expect(pageLog(page)).resolves.toMatchObject({
      errors: [{ code: 'API_KEY_UNKNOWN', status: 401 }],
    });
  });

  it('on 429 says when it will retry and retries once by itself', async () => {
    const page = await open();
    let calls = 0;
    await page.route(`${h.server.url}/v2/query`, (route) => {
      calls++;
      if (calls > 1) return route.continue();
      return route.fulfill({
        status: 429,
        headers: { 'retry-after': '1', 'content-type': 'application/json' },
        body: JSON.stringify({ messages: ['slow down'], request_id: 'r1', code: 'RATE_LIMITED' }),
      });
    });
    await page.getByRole('combobox').fill('guide');
    await page.getByText('Too many searches. Retrying in 1 s.').first().waitFor();
    await page.getByText('Installing Searchgate').waitFor();
    expect(calls).toBe(2);
    await expect(pageLog(page)).resolves.toMatchObject({
      errors: [{ code: 'RATE_LIMITED', status: 429 }],
    });
  });

  it('offline and 5xx answers offer a retry button', async () => {
    const page = await open();
    let calls = 0;
    await page.route(`${h.server.url}/v2/query`, (route) => {
      calls++;
      if (calls === 1) return route.abort('internetdisconnected');
      if (calls === 2) {
        return route.fulfill({
          status: 500,
          contentType: 'application/json',
          body: JSON.stringify({ messages: ['x'], request_id: 'r', code: 'INTERNAL' }),
        });
      }
      return route.continue();
    });
    await page.getByRole('combobox').fill('guide');
    await page.getByText('Cannot reach search. Check your connection.').first().waitFor();
    await page.getByRole('button', { name: 'Try again' }).click();
    await page.getByText('Search failed.').first().waitFor();
    await page.getByRole('button', { name: 'Try again' }).click();
    await page.getByText('Installing Searchgate').waitFor();
    await expect(pageLog(page)).resolves.toMatchObject({
      errors: [
        { code: 'NETWORK', status: 0 },
        { code: 'INTERNAL', status: 500 },
      ],
    });
  });

  it('never shows a stale answer that arrives after a newer one', async () => {
    const page = await open();
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let sent: () => void = () => undefined;
    const guideSent = new Promise<void>((resolve) => {
      sent = resolve;
    });
    let finish: () => void = () => undefined;
    const finished = new Promise<void>((resolve) => {
      finish = resolve;
    });
    await page.route(`${h.server.url}/v2/query`, async (route) => {
      if (!route.request().postData()?.includes('"query":"guide"')) return route.continue();
      sent();
      await held;
      // The widget aborted this request; continuing it may fail, which is the point.
      await route.continue().catch(() => undefined);
      finish();
    });
    const input = page.getByRole('combobox');
    await input.fill('guide');
    await guideSent;
    await input.fill('zebra');
    await page.getByText('Evil page').waitFor();
    release();
    await finished;
    await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 100)));
    await expect(page.getByText('Installing Searchgate').count()).resolves.toBe(0);
    await expect(page.getByRole('option').count()).resolves.toBe(1);
  });

  it('a slow answer shows a spinner, standing still under prefers-reduced-motion', async () => {
    const page = await open();
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    await page.route(`${h.server.url}/v2/query`, async (route) => {
      await held;
      await route.continue();
    });
    await page.getByRole('combobox').fill('guide');
    const spinner = page.locator('search-gate .spinner');
    await spinner.waitFor();
    await page.getByText('Searching…').first().waitFor();
    await expect(
      spinner.evaluate((element) => getComputedStyle(element).animationName),
    ).resolves.toBe('spin');
    await page.emulateMedia({ reducedMotion: 'reduce' });
    await expect(
      spinner.evaluate((element) => getComputedStyle(element).animationName),
    ).resolves.toBe('none');
    await expect(spinner.isVisible()).resolves.toBe(true);
    release();
    await page.getByText('Installing Searchgate').waitFor();
    await expect(spinner.isHidden()).resolves.toBe(true);
  });

  it('renders hostile indexed content as inert text', async () => {
    const page = await open();
    await page.getByRole('combobox').fill('zebra');
    const option = page.getByRole('option');
    await option.waitFor();
    await expect(page.locator('search-gate .group-title').textContent()).resolves.toBe(
      '<img src=x onerror="window.__xss=1">Evil page',
    );
    await expect(option.textContent()).resolves.toContain('<script>window.__xss=5</script>');
    await expect(option.getAttribute('href')).resolves.toBeNull();
    const injected = await page.evaluate(
      () =>
        document.querySelector('search-gate')?.shadowRoot?.querySelectorAll('img, script').length,
    );
    expect(injected).toBe(0);
    await option.click();
    await expect(page.evaluate(() => location.pathname)).resolves.toBe('/widget-test.html');
    await expect(
      page.evaluate(() => (window as { __xss?: unknown }).__xss),
    ).resolves.toBeUndefined();
  });
});
