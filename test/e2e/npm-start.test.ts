import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../helpers/browser.ts';
import { spawnServer } from '../helpers/server-process.ts';

/** What a newcomer sees after `npm install && npm start`: the demo, on an empty data folder. */
describe('npm start (searchgate demo) on a fresh data folder', () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'searchgate-demo-'));
  const ready = /Demo site\s+(http:\/\/\S+?)\/\s/;
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('indexes the package docs, prints the snippet once, and the demo page finds "rate limit"', async () => {
    const demo = await spawnServer({ DATA_DIR: dataDir }, ['demo'], ready);
    try {
      const out = demo.output();
      expect(out).toMatch(/Indexed \d{3,} documents/);
      expect(out).toMatch(/Admin token\s+sga_/);
      expect(out).toMatch(/<search-gate endpoint="http:\/\/127\.0\.0\.1:\d+" api-key="sgq_/);

      const page = await (await browser.newContext()).newPage();
      page.setDefaultTimeout(15_000);
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(`${demo.url}/`);
      const box = page.getByRole('combobox').first();
      await box.fill('rate limit');
      await page.getByRole('option').filter({ hasText: 'express-rate-limit' }).first().waitFor();
      // The theming page carries the same working snippet.
      await page.goto(`${demo.url}/theming.html`);
      await page.getByRole('combobox').first().fill('web comp');
      await page.getByRole('option').first().waitFor();
      expect(errors).toEqual([]);
    } finally {
      expect(await demo.stop()).toBe(0);
    }
    // A real process that indexes a few hundred documents on a shared machine: a bound, not a claim.
  }, 120_000);

  it('reuses the data on the next start: no re-indexing, no new admin token', async () => {
    const demo = await spawnServer({ DATA_DIR: dataDir }, ['demo'], ready);
    try {
      expect(demo.output()).not.toMatch(/Indexed/);
      expect(demo.output()).not.toMatch(/Admin token/);
      const page = await (await browser.newContext()).newPage();
      await page.goto(`${demo.url}/`);
      await page.getByRole('combobox').first().fill('lit');
      await page.getByRole('option').first().waitFor({ timeout: 15_000 });
    } finally {
      await demo.stop();
    }
  });
});
