import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { brotliCompress, gzip, constants as zlib } from 'node:zlib';
import { minifyHTMLLiterals } from '@lit-labs/rollup-plugin-minify-html-literals/lib/minify-html-literals.js';
import { createFilter, type Plugin } from 'vite';
import { defineConfig } from 'vitest/config';

/**
 * The oldest browsers the widget supports: those that run its ES2022 output. Lightning CSS keeps
 * the CSS they understand (without targets it would write e.g. `@media (width<=640px)`).
 */
const cssTargets = { chrome: 94 << 16, firefox: 93 << 16, safari: (15 << 16) | (4 << 8) };

const root = fileURLToPath(new URL('.', import.meta.url));
const widgetOut = path.join(root, 'dist', 'widget');

/**
 * dist/widget/custom-elements.json, generated from the widget's JSDoc by the analyzer with the
 * project's custom-elements-manifest.config.mjs: the same file `npx cem analyze` writes.
 */
const customElementsManifest = (): Plugin => {
  let manifest: Promise<unknown> | undefined;
  return {
    name: 'custom-elements-manifest',
    apply: 'build',
    // Started with the build and awaited at its end: the analysis runs while Rolldown bundles.
    buildStart() {
      // The analyzer's CLI module has no types; a computed specifier keeps it `any` for tsc.
      const cliModule = '@custom-elements-manifest/analyzer/cli.js';
      manifest = import(cliModule).then(
        ({
          cli,
        }: {
          cli: (options: { argv: string[]; cwd: string; noWrite: boolean }) => unknown;
        }) => cli({ argv: ['analyze', '--quiet'], cwd: root, noWrite: true }),
      );
      // Awaited in generateBundle; a failure there fails the build.
      manifest.catch(() => {});
    },
    async generateBundle() {
      this.emitFile({
        type: 'asset',
        fileName: 'custom-elements.json',
        source: `${JSON.stringify(await manifest, null, 2)}\n`,
      });
    },
  };
};

/**
 * search-gate.js.br and .gz beside the bundle, compressed once at the highest levels, so the
 * server sends them as they are instead of compressing on every request.
 */
const precompressBundle = (): Plugin => ({
  name: 'precompress-bundle',
  apply: 'build',
  async writeBundle(output, bundle) {
    const chunk = Object.values(bundle).find((item) => item.type === 'chunk' && item.isEntry);
    if (!chunk || !output.dir) return;
    const file = path.join(output.dir, chunk.fileName);
    const code = await readFile(file);
    const [br, gz] = await Promise.all([
      promisify(brotliCompress)(code, {
        params: {
          [zlib.BROTLI_PARAM_QUALITY]: zlib.BROTLI_MAX_QUALITY,
          [zlib.BROTLI_PARAM_MODE]: zlib.BROTLI_MODE_TEXT,
          [zlib.BROTLI_PARAM_SIZE_HINT]: code.length,
        },
      }),
      promisify(gzip)(code, { level: zlib.Z_BEST_COMPRESSION }),
    ]);
    await Promise.all([writeFile(`${file}.br`, br), writeFile(`${file}.gz`, gz)]);
  },
});

/**
 * Lit's html`` and css`` bodies: the JS minifier leaves template literals alone, so these go
 * through an HTML minifier and Lightning CSS, which parse them rather than pattern-match, and keep
 * the source map. Exported for the test that feeds it the cases a regex got wrong.
 */
export const literalMinifier = (): Plugin => {
  const isWidgetSource = createFilter('widget/**/*.ts');
  return {
    name: 'minify-lit-literals',
    // Tests import the widget's sources as written.
    apply: 'build',
    async transform(code, id) {
      if (!isWidgetSource(id)) return null;
      const minified = await minifyHTMLLiterals(code, {
        fileName: id,
        minifyOptions: { minifyCSS: { targets: cssTargets } },
      });
      // magic-string's map, typed loosely (its version may be a string); Rolldown chains it.
      return minified && { code: minified.code, map: minified.map?.toString() ?? null };
    },
  };
};

// One config for the widget build (a self-contained ES module, Lit bundled in) and the tests.
const widgetAndTestConfig = defineConfig({
  build: {
    outDir: widgetOut,
    emptyOutDir: true,
    target: 'es2022',
    minify: true,
    // Vite's library mode leaves an ES bundle's whitespace in place; Rolldown minifies it fully.
    rolldownOptions: { output: { minify: true } },
    // search-gate.js.map ships beside the bundle; the minifiers below keep the mappings.
    sourcemap: true,
    lib: {
      entry: 'widget/search-gate.ts',
      formats: ['es'],
      fileName: () => 'search-gate.js',
    },
  },
  plugins: [literalMinifier(), customElementsManifest(), precompressBundle()],
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Server tests bind ephemeral ports and own temp folders, so files may run in parallel.
    pool: 'forks',
  },
});

/**
 * Demo site pages (HTML files under demo/), each built with its scripts and styles. A page that
 * loads the widget as owners do keeps the tag out of the bundle with `vite-ignore`:
 * `<script type="module" src="/search-gate.js" vite-ignore>` (Vite drops the attribute).
 */
const demoPages = ['console/index.html'];

// `vite build --mode demo`: the demo site and the key console as static files in dist/demo,
// served by the server as built (the widget itself comes from dist/widget).
const demoConfig = defineConfig({
  root: fileURLToPath(new URL('demo', import.meta.url)),
  base: '/',
  // The demo site's pages are copied as they are: they embed the widget exactly as an owner
  // would (a script tag pointing at the server), which Vite must not try to bundle.
  publicDir: fileURLToPath(new URL('demo/site', import.meta.url)),
  build: {
    outDir: fileURLToPath(new URL('dist/demo', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    rolldownOptions: {
      // Named after the page (console/index.html → console), which names its asset files.
      input: Object.fromEntries(
        demoPages.map((page) => [
          page.replace(/(\/index)?\.html$/, '') || 'index',
          fileURLToPath(new URL(`demo/${page}`, import.meta.url)),
        ]),
      ),
    },
  },
});

export default defineConfig(({ mode }) => (mode === 'demo' ? demoConfig : widgetAndTestConfig));
