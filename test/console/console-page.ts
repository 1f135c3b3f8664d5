import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { expect } from 'vitest';
import { projectPaths } from '../../server/project-paths.ts';
import { axeViolations } from '../helpers/browser.ts';
import type { TestServer } from '../helpers/test-server.ts';

/** How the console tests drive the built console (dist/demo/console) in Chromium. */

const require = createRequire(import.meta.url);
const axeUrl = '/__test__/axe.min.js';

/** Waits for the page to catch up: generous, because the machine is shared and noisy. */
export const poll: typeof expect.poll = (read, options) =>
  expect.poll(read, {
    timeout: 10_000,
    ...(typeof options === 'number' ? { timeout: options } : options),
  });

export function requireBuiltConsole(): void {
  if (!existsSync(path.join(projectPaths.demoDir, 'console', 'index.html'))) {
    throw new Error('dist/demo is missing: run "npx vite build --mode demo" (npm run build) first');
  }
}

/** A fresh browser context on the server's /console: the production build in dist/demo. */
export async function openConsole(
  browser: Browser,
  server: TestServer,
  viewport = { width: 1100, height: 800 },
) {
  const context = await browser.newContext({ viewport });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
  await context.route(
    (url) => url.pathname === axeUrl,
    (route) =>
      route.fulfill({
        contentType: 'text/javascript',
        body: readFileSync(require.resolve('axe-core/axe.min.js')),
      }),
  );
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  await page.goto(`${server.url}/console/`);
  return { context, page, errors };
}

/** The customer id is optional on v2: the token names the account; given, it is checked. */
export async function signIn(page: Page, server: TestServer, { withCustomerId = true } = {}) {
  await page.getByLabel('Admin token').fill(server.adminToken);
  if (withCustomerId) await page.getByLabel('Customer id').fill(String(server.customerId));
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { level: 1, name: 'API keys' }).waitFor();
}

/** axe-core loaded from a same-origin URL: the page's CSP (script-src 'self') refuses inline scripts. */
export async function expectNoAxeViolations(page: Page): Promise<void> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ url: axeUrl });
  expect(await axeViolations(page, 'html')).toEqual([]);
}

export const keyRow = (page: Page, description: string) =>
  page
    .locator('#keys-list tbody tr')
    .filter({ has: page.locator('.key-name', { hasText: description }) });

/** Opens a key's ⋯ menu by keyboard and picks an item with Enter. */
export async function menuAction(page: Page, description: string, item: string): Promise<void> {
  await keyRow(page, description)
    .getByRole('button', { name: `Actions for key ${description}` })
    .focus();
  await page.keyboard.press('Enter');
  const menu = page.getByRole('menu');
  await menu.waitFor();
  const items = menu.getByRole('menuitem');
  const labels = await items.allTextContents();
  const index = labels.indexOf(item);
  expect(index, `menu items ${labels.join(', ')}`).toBeGreaterThanOrEqual(0);
  await poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe(labels[0]);
  for (let i = 0; i < index; i++) await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
}

/** The secret and snippet of a key created through the Create key dialog. */
export async function createKeyInConsole(
  page: Page,
  description: string,
  choose: (dialog: ReturnType<Page['getByRole']>) => Promise<void> = async () => {},
) {
  await page.getByRole('button', { name: 'Create key' }).click();
  const dialog = page.getByRole('dialog', { name: 'Create key' });
  await dialog.getByLabel('Description').fill(description);
  await choose(dialog);
  await dialog.getByRole('button', { name: 'Create key' }).click();
  const secretDialog = page.getByRole('dialog', { name: `Key “${description}” created` });
  const secret = await secretDialog.getByLabel('Secret').inputValue();
  const snippet = await secretDialog.getByLabel('Paste into your page').inputValue();
  await secretDialog.getByRole('button', { name: 'Done' }).click();
  await secretDialog.waitFor({ state: 'hidden' });
  return { secret, snippet };
}
