import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { launchBrowser, type TestPage } from '../helpers/browser.ts';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';
import { createFixture, type Fixture } from './fixture-corpus.ts';

/** What every widget test file shares: one browser, one real server, one indexed fixture. */
export interface WidgetHarness {
  browser: Browser;
  server: TestServer;
  fixture: Fixture;
  /** The page a test opened; closed (and checked for uncaught errors) after each test. */
  current: TestPage | undefined;
}

export function widgetHarness(options: { failOnPageErrors?: boolean } = {}): WidgetHarness {
  const harness = { current: undefined } as WidgetHarness;
  beforeAll(async () => {
    [harness.browser, harness.server] = await Promise.all([launchBrowser(), startTestServer()]);
    harness.fixture = await createFixture(harness.server);
  });
  afterAll(async () => {
    await harness.browser?.close();
    await harness.server?.close();
  });
  afterEach(async () => {
    if (options.failOnPageErrors !== false) expect(harness.current?.errors ?? []).toEqual([]);
    await harness.current?.context.close();
    harness.current = undefined;
  });
  return harness;
}
