import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { expect, it } from 'vitest';

// `npm test` runs `vite build` first, so this measures what ships.
const budget = 16 * 1024;

it('dist/widget/search-gate.js stays within 16 KB gzipped', () => {
  const bundle = readFileSync(new URL('../../dist/widget/search-gate.js', import.meta.url));
  const gzipped = gzipSync(bundle, { level: 9 }).length;
  console.log(
    `search-gate.js: ${bundle.length} bytes raw, ${gzipped} bytes gzipped (budget ${budget})`,
  );
  expect(gzipped).toBeLessThanOrEqual(budget);
});
