import { fileURLToPath } from 'node:url';
import type { Plugin } from 'vite';
import { defineConfig } from 'vitest/config';

const root = fileURLToPath(new URL('.', import.meta.url));

/**
 * dist/widget/custom-elements.json, generated from the widget's JSDoc by the analyzer with the
 * project's custom-elements-manifest.config.mjs: the same file `npx cem analyze` writes.
 */
const customElementsManifest = (): Plugin => ({
  name: 'custom-elements-manifest',
  apply: 'build',
  async generateBundle() {
    // The analyzer's CLI module has no types; a computed specifier keeps it `any` for tsc.
    const cliModule = '@custom-elements-manifest/analyzer/cli.js';
    const { cli } = (await import(cliModule)) as {
      cli: (options: { argv: string[]; cwd: string; noWrite: boolean }) => Promise<unknown>;
    };
    const manifest = await cli({ argv: ['analyze', '--quiet'], cwd: root, noWrite: true });
    this.emitFile({
      type: 'asset',
      fileName: 'custom-elements.json',
      source: `${JSON.stringify(manifest, null, 2)}\n`,
    });
  },
});

const minifyCss = (body: string): string =>
  body
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/\s+/g, ' ')
    .replace(/ ?([{}:;,>]) ?/g, '$1')
    .replace(/;}/g, '}')
    .trim();

// One config for the widget build (a self-contained ES module, Lit bundled in) and the tests.
const widgetAndTestConfig = defineConfig({
  build: {
    outDir: 'dist/widget',
    emptyOutDir: true,
    target: 'es2022',
    minify: true,
    rolldownOptions: { output: { minify: true } },
    lib: {
      entry: 'widget/search-gate.ts',
      formats: ['es'],
      fileName: () => 'search-gate.js',
    },
  },
  plugins: [
    {
      // Our css`` bodies have no interpolations: collapse them like a CSS minifier would.
      name: 'minify-css-literals',
      apply: 'build',
      transform: (code, id) =>
        id.endsWith('.styles.ts')
          ? code.replace(/css`([^`]*)`/g, (_, body: string) => `css\`${minifyCss(body)}\``)
          : null,
    },
    {
      // The minifier leaves template literals alone; Lit's html`` and css`` bodies are the only
      // multi-line strings left, and HTML and CSS treat an indented line break like a plain one.
      name: 'strip-template-indentation',
      apply: 'build',
      renderChunk: (code) => ({ code: code.replace(/\n\s+/g, '\n'), map: null }),
    },
    customElementsManifest(),
  ],
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
