import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { build, type Rolldown } from 'vite';
import type { TestPage } from '../helpers/browser.ts';

/**
 * A controller's own browser test: a small host element (test/widget/hosts/*.ts) that uses it,
 * bundled with Lit by Vite in memory and run in a blank Chromium page.
 */
export async function bundleHost(name: string): Promise<string> {
  const entry = fileURLToPath(new URL(`./hosts/${name}.ts`, import.meta.url));
  const result = await build({
    configFile: false,
    logLevel: 'silent',
    build: {
      write: false,
      minify: false,
      target: 'es2022',
      lib: { entry, formats: ['es'], fileName: () => `${name}.js` },
    },
  });
  const [output] = (Array.isArray(result) ? result : [result]) as Rolldown.RolldownOutput[];
  const chunk = output?.output[0];
  if (chunk?.type !== 'chunk') throw new Error(`no bundle for ${name}`);
  return chunk.code;
}

export async function openHostPage(
  browser: Browser,
  code: string,
  body: string,
): Promise<TestPage> {
  const context = await browser.newContext({ viewport: { width: 800, height: 600 } });
  const page = await context.newPage();
  const errors: Error[] = [];
  page.on('pageerror', (error) => errors.push(error));
  await page.setContent(
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Host</title></head><body>${body}</body></html>`,
  );
  await page.addScriptTag({ type: 'module', content: code });
  return { page, context, errors };
}
