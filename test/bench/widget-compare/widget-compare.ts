/**
 * `<search-gate>` beside Algolia DocSearch 4.7 and Pagefind UI 1.6, in one run, on the same
 * pages, the same machine and the same headless Chromium at 1280×800: code bytes over the wire
 * (compressed, as each is served), keystroke → results painted while typing at 120 ms per key with
 * 120 ms added to every search request, frames with an empty list while typing, and hits visible
 * without scrolling. Run directly: `npx tsx test/bench/widget-compare/widget-compare.ts`.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as pagefind from 'pagefind';
import { launchBrowser } from '../../helpers/browser.ts';
import { startTestServer } from '../../helpers/test-server.ts';
import { type BenchRow, ms } from '../bench-report.ts';
import { AlgoliaStub } from './algolia-stub.ts';
import { startBenchSite } from './bench-site.ts';
import { comparePages, searchgateDocuments, writeSite } from './compare-corpus.ts';
import { contenders } from './contenders.ts';
import { type ContenderFigures, measureContender, type TypingPlan } from './measure-contender.ts';

const require = createRequire(import.meta.url);

export interface WidgetCompareOptions {
  /** Pages in the corpus (the demo's READMEs, in order). */
  pages?: number;
  plan?: Partial<TypingPlan>;
  /** Only the contenders whose name contains one of these. */
  only?: string[];
}

const defaultPlan: TypingPlan = {
  queries: ['rate limit', 'source map', 'reactive properties', 'middleware', 'typescript types'],
  keyIntervalMs: 120,
  latencyMs: 120,
  warmUp: 'express',
};

async function pagefindBundle(site: string): Promise<void> {
  const { index, errors } = await pagefind.createIndex({});
  if (!index) throw new Error(`pagefind: ${errors.join('; ')}`);
  const added = await index.addDirectory({ path: site });
  if (added.errors.length > 0) throw new Error(`pagefind: ${added.errors.join('; ')}`);
  const written = await index.writeFiles({ outputPath: path.join(site, '_pagefind') });
  if (written.errors.length > 0) throw new Error(`pagefind: ${written.errors.join('; ')}`);
  await pagefind.close();
}

export async function measureWidgets(
  options: WidgetCompareOptions = {},
): Promise<ContenderFigures[]> {
  const plan = { ...defaultPlan, ...options.plan };
  const pages = await comparePages(options.pages ?? 1_000);
  const site = await mkdtemp(path.join(os.tmpdir(), 'searchgate-widget-compare-'));
  // The per-visitor work budget guards against abuse; one bench visitor types a lot, fast.
  const [server, browser] = await Promise.all([
    startTestServer({ env: { SEARCH_WORK_MS_PER_MINUTE: '60000' } }),
    launchBrowser(),
  ]);
  try {
    await writeSite(site, pages);
    await pagefindBundle(site);

    const corpusId = await server.createCorpus('widget-compare');
    const corpusKey = server.services.corpora.get(server.customerId, corpusId)?.key ?? '';
    server.services.engine.indexDocuments(
      { customerId: server.customerId, corpusId },
      searchgateDocuments(pages),
    );
    // High limits: the comparison measures widgets, not the rate limiter.
    const { apiKey } = await server.createKey({
      corpusIds: [corpusId],
      limits: { perMinute: 1_000_000, perIpPerMinute: 1_000_000 },
    });

    const setup = { apiKey, customerId: server.customerId, corpusId, corpusKey };
    const chosen = contenders(setup).filter(
      (c) => !options.only?.length || options.only.some((name) => c.name.includes(name)),
    );
    const benchSite = await startBenchSite({
      latencyMs: plan.latencyMs,
      pages: Object.fromEntries(chosen.map((c) => [c.path, c.html])),
      folders: { '/_pagefind/': path.join(site, '_pagefind'), '/docs/': path.join(site, 'docs') },
      files: {
        '/vendor/docsearch.js': require.resolve('@docsearch/js'),
        '/vendor/docsearch.css': path.join(
          path.dirname(require.resolve('@docsearch/css/package.json')),
          'dist',
          'style.css',
        ),
      },
      algolia: new AlgoliaStub(pages),
      searchgate: server.url,
    });
    try {
      const figures: ContenderFigures[] = [];
      for (const contender of chosen) {
        process.stderr.write(`bench: widget comparison: ${contender.name}…\n`);
        figures.push(await measureContender(browser, benchSite.url, contender, plan));
      }
      return figures;
    } finally {
      await benchSite.close();
    }
  } finally {
    await browser.close();
    await server.close();
    await rm(site, { recursive: true, force: true });
  }
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

/** The comparison as rows of `npm run bench`. */
export async function benchWidgetCompare(options: WidgetCompareOptions = {}): Promise<BenchRow[]> {
  const plan = { ...defaultPlan, ...options.plan };
  const figures = await measureWidgets(options);
  const benchmark = 'widget comparison';
  return figures.flatMap((f) => {
    const searchgate = f.name.startsWith('Searchgate');
    const k = f.keystrokeToPaint;
    return [
      {
        benchmark,
        metric: `${f.name}: code over the wire (JS, CSS, WASM; compressed)`,
        value: kb(f.codeBytes),
      },
      { benchmark, metric: `${f.name}: data fetched while typing`, value: kb(f.dataBytes) },
      {
        benchmark,
        metric: `${f.name}: keystroke → results painted p50 (${k.keystrokes} keystrokes ${Math.round(f.keyInterval)} ms apart, ${plan.latencyMs} ms latency${k.neverPainted ? `, ${k.neverPainted} never painted` : ''})`,
        value: ms(k.p50),
      },
      { benchmark, metric: `${f.name}: keystroke → results painted p95`, value: ms(k.p95) },
      {
        benchmark,
        metric: `${f.name}: first keystroke → first results painted (median of the queries)`,
        value: ms(f.firstResults),
      },
      {
        benchmark,
        metric: `${f.name}: frames with an empty list between a query's first and final results (of ${f.framesWhileTyping})`,
        value: String(f.emptyFrames),
        ...(searchgate ? { target: '0', met: f.emptyFrames === 0 } : {}),
      },
      {
        benchmark,
        metric: `${f.name}: hits visible without scrolling at 1280×800`,
        value: String(f.hitsInView),
      },
    ];
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { markdownTable } = await import('../bench-report.ts');
  const only = process.argv.slice(2);
  console.log(markdownTable(await benchWidgetCompare(only.length > 0 ? { only } : {})));
}
