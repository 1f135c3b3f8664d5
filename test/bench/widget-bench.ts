/**
 * Widget figures for `npm run bench`: bundle size (raw, gzipped) and the time from the end of the
 * debounce (the request is sent) to results painted, p50/p95 over 100 distinct queries against a
 * local server in headless Chromium. Run directly: `npx tsx test/widget/widget-bench.ts`.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { launchBrowser, openPage } from '../helpers/browser.ts';
import { startTestServer } from '../helpers/test-server.ts';
import { type BenchRow, ms, percentile } from './bench-report.ts';

const budget = 16 * 1024;

/** Deterministic pseudo-words, so every run searches the same corpus. */
const vocabulary = (count: number): string[] => {
  const syllables = ['ka', 'lo', 'mi', 'ren', 'tas', 'vo', 'qui', 'zel', 'dor', 'fin', 'gra', 'pu'];
  let seed = 7;
  const next = () => {
    seed = (seed * 48271) % 2147483647;
    return seed;
  };
  const words = new Set<string>();
  while (words.size < count) {
    const length = 2 + (next() % 3);
    words.add(Array.from({ length }, () => syllables[next() % syllables.length]).join(''));
  }
  return [...words];
};

export async function runWidgetBench(queries = 100): Promise<BenchRow[]> {
  const bundle = readFileSync(new URL('../../dist/widget/search-gate.js', import.meta.url));
  const gzipped = gzipSync(bundle, { level: 9 }).length;
  const rows: BenchRow[] = [
    { benchmark: 'widget', metric: 'bundle raw', value: `${bundle.length} B` },
    {
      benchmark: 'widget',
      metric: 'bundle gzipped',
      value: `${gzipped} B`,
      target: `≤ ${budget} B`,
      met: gzipped <= budget,
    },
  ];

  const words = vocabulary(400);
  const [server, browser] = await Promise.all([startTestServer(), launchBrowser()]);
  try {
    const corpusId = await server.createCorpus('widget-bench');
    const documents = Array.from({ length: 200 }, (_, d) => ({
      documentId: `doc-${d}`,
      title: `Page ${d}`,
      metadata: { url: `/page/${d}` },
      sections: Array.from({ length: 3 }, (_, s) => ({
        title: `Section ${s}`,
        text: Array.from(
          { length: 40 },
          (_, w) => words[(d * 31 + s * 7 + w * 13) % words.length],
        ).join(' '),
      })),
    }));
    await server.indexDocuments(corpusId, documents);
    // High limits: the bench measures the widget, not the rate limiter.
    const { apiKey } = await server.createKey({
      corpusIds: [corpusId],
      limits: { perMinute: 100_000, perIpPerMinute: 100_000 },
    });
    const { page, context } = await openPage(browser, server.url, {
      body: `<search-gate endpoint="${server.url}" api-key="${apiKey}" customer-id="${server.customerId}" corpus-id="${corpusId}" no-recent></search-gate>`,
    });
    // Started when the request is sent (debounce over), stopped after the frame with results.
    await page.evaluate(() => {
      const times: number[] = [];
      let started = 0;
      (window as unknown as { times: number[] }).times = times;
      document.addEventListener('search-gate-search', () => {
        started = performance.now();
      });
      document.addEventListener('search-gate-results', () => {
        requestAnimationFrame(() => setTimeout(() => times.push(performance.now() - started)));
      });
    });
    const input = page.getByRole('combobox');
    for (const [i, word] of words.slice(0, queries).entries()) {
      await input.fill(word);
      await page.waitForFunction(
        (count) => (window as unknown as { times: number[] }).times.length >= count,
        i + 1,
      );
    }
    const times = await page.evaluate(() => (window as unknown as { times: number[] }).times);
    await context.close();
    const sorted = [...times].sort((a, b) => a - b);
    rows.push(
      {
        benchmark: 'widget',
        metric: `request sent → results painted p50 (${queries} queries)`,
        value: ms(percentile(sorted, 50)),
      },
      {
        benchmark: 'widget',
        metric: `request sent → results painted p95 (${queries} queries)`,
        value: ms(percentile(sorted, 95)),
      },
    );
  } finally {
    await browser.close();
    await server.close();
  }
  return rows;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { markdownTable } = await import('./bench-report.ts');
  console.log(markdownTable(await runWidgetBench()));
}
