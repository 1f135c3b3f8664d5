import { defineConfig } from 'vitest/config';

// One config for the widget build (a self-contained ES module, Lit bundled in) and the tests.
export default defineConfig({
  build: {
    outDir: 'dist/widget',
    emptyOutDir: true,
    target: 'es2021',
    lib: {
      entry: 'widget/search-gate.ts',
      formats: ['es'],
      fileName: () => 'search-gate.js',
    },
  },
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Server tests bind ephemeral ports and own temp folders, so files may run in parallel.
    pool: 'forks',
  },
});
