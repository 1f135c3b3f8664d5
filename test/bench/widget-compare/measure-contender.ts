import path from 'node:path';
import type { Browser, BrowserContext, Page, Request } from 'playwright-core';
import type { Contender } from './contenders.ts';
import { frameRecorder, type Recording } from './frame-recorder.ts';
import { type TypingFigures, typingFigures } from './typing-figures.ts';

/** One contender's figures, all from the same run, page size 1280×800. */
export interface ContenderFigures extends TypingFigures {
  name: string;
  /** JS, CSS and WASM bytes as sent (compressed), loading the page and running one search. */
  codeBytes: number;
  /** Everything else the searches fetched while typing (API answers, index files). */
  dataBytes: number;
  /** Hits fully visible without scrolling, median over the queries' final results. */
  hitsInView: number;
}

export interface TypingPlan {
  queries: string[];
  /** Milliseconds between keystrokes. */
  keyIntervalMs: number;
  /** A search that is not one of `queries`, run first so lazily loaded code is there. */
  warmUp: string;
  latencyMs: number;
  /** When set, a screenshot of each contender's final results for the first query goes here. */
  screenshotDir?: string;
}

const viewport = { width: 1280, height: 800 };

interface BenchState {
  lastMutationAt: number;
  lastInputAt: number;
}

/** Waits until the page has been quiet (no DOM change) well past the latency of one search. */
async function settle(page: Page, plan: TypingPlan): Promise<void> {
  const quietMs = Math.max(400, plan.latencyMs * 2);
  await page.waitForFunction(
    (quiet) => {
      const state = (window as unknown as { __widgetBench: BenchState }).__widgetBench;
      const now = performance.now();
      return now - state.lastMutationAt > quiet && now - state.lastInputAt > quiet * 1.5;
    },
    quietMs,
    { polling: 50, timeout: 15_000 },
  );
}

async function openContender(
  browser: Browser,
  origin: string,
  contender: Contender,
  onRequest?: (request: Request) => void,
): Promise<{ context: BrowserContext; page: Page; box: ReturnType<Page['locator']> }> {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  if (onRequest) page.on('requestfinished', onRequest);
  await page.addInitScript({ content: frameRecorder(contender.hit) });
  await page.goto(`${origin}${contender.path}`, { waitUntil: 'load' });
  const box = await contender.open(page);
  await box.waitFor();
  return { context, page, box };
}

const sample = (page: Page) =>
  page.evaluate(() => {
    const state = (
      window as unknown as {
        __widgetBench: {
          dirty: boolean;
          sample(): { hits: number; print: number };
          fingerprints: string[];
        };
      }
    ).__widgetBench;
    state.dirty = true;
    const { hits, print } = state.sample();
    return { hits, text: state.fingerprints[print] ?? '' };
  });

/**
 * What each prefix of each query shows once the widget has settled, in a page of its own (so
 * the typing run below starts with cold caches): the fingerprints a typing frame is matched to.
 */
async function referencePrints(
  browser: Browser,
  origin: string,
  contender: Contender,
  plan: TypingPlan,
): Promise<{ prints: Map<string, string>; hitsInView: number[] }> {
  const { context, page, box } = await openContender(browser, origin, contender);
  const prints = new Map<string, string>();
  const hitsInView: number[] = [];
  try {
    for (const query of plan.queries) {
      for (let end = 1; end <= query.length; end++) {
        const prefix = query.slice(0, end);
        if (prints.has(prefix) || prefix.endsWith(' ')) continue;
        await box.fill(prefix);
        await settle(page, plan);
        const seen = await sample(page);
        prints.set(prefix, seen.hits > 0 ? seen.text : '');
      }
      if (plan.screenshotDir && query === plan.queries[0]) {
        const file = `${contender.path.replace(/\W+/g, '-').replace(/^-|-html$/g, '')}.png`;
        await page.screenshot({ path: path.join(plan.screenshotDir, file) });
      }
      hitsInView.push(
        await page.evaluate(() =>
          (
            window as unknown as { __widgetBench: { hitsInView(): number } }
          ).__widgetBench.hitsInView(),
        ),
      );
      await box.fill('');
      await settle(page, plan);
    }
  } finally {
    await context.close();
  }
  return { prints, hitsInView };
}

/** Types every query at the plan's pace in a fresh page, recording every frame. */
async function typingRun(
  browser: Browser,
  origin: string,
  contender: Contender,
  plan: TypingPlan,
): Promise<{
  recording: Recording;
  windows: Array<[number, number]>;
  codeBytes: number;
  dataBytes: number;
}> {
  const sizes: Array<Promise<{ path: string; bytes: number }>> = [];
  let counting = true;
  const { context, page, box } = await openContender(browser, origin, contender, (request) => {
    if (!counting) return;
    const path = new URL(request.url()).pathname;
    sizes.push(request.sizes().then((s) => ({ path, bytes: s.responseBodySize })));
  });
  try {
    // The first search loads what a widget fetches lazily (code, the index's entry point).
    await box.pressSequentially(plan.warmUp, { delay: plan.keyIntervalMs });
    await settle(page, plan);
    await box.fill('');
    await settle(page, plan);
    const windows: Array<[number, number]> = [];
    for (const query of plan.queries) {
      await page.evaluate(() => {
        (window as unknown as { __widgetBench: { recording: boolean } }).__widgetBench.recording =
          true;
      });
      const started = await page.evaluate(() => performance.now());
      await box.pressSequentially(query, { delay: plan.keyIntervalMs });
      await settle(page, plan);
      windows.push([started, await page.evaluate(() => performance.now())]);
      await page.evaluate(() => {
        (window as unknown as { __widgetBench: { recording: boolean } }).__widgetBench.recording =
          false;
      });
      await box.fill('');
      await settle(page, plan);
    }
    counting = false;
    const recording = await page.evaluate(() => {
      const state = (window as unknown as { __widgetBench: Recording }).__widgetBench;
      return { frames: state.frames, inputs: state.inputs, fingerprints: state.fingerprints };
    });
    const fetched = await Promise.all(sizes);
    const codeBytes = fetched
      .filter((f) => contender.code.test(f.path))
      .reduce((n, f) => n + f.bytes, 0);
    const dataBytes = fetched
      .filter((f) => !contender.code.test(f.path) && f.path !== contender.path)
      .reduce((n, f) => n + f.bytes, 0);
    return { recording, windows, codeBytes, dataBytes };
  } finally {
    await context.close();
  }
}

export async function measureContender(
  browser: Browser,
  origin: string,
  contender: Contender,
  plan: TypingPlan,
): Promise<ContenderFigures> {
  const reference = await referencePrints(browser, origin, contender, plan);
  const { recording, windows, codeBytes, dataBytes } = await typingRun(
    browser,
    origin,
    contender,
    plan,
  );
  const typing = typingFigures(recording, windows, reference.prints);
  const inView = [...reference.hitsInView].sort((a, b) => a - b);
  return {
    name: contender.name,
    codeBytes,
    dataBytes,
    ...typing,
    hitsInView: inView[Math.floor(inView.length / 2)] ?? 0,
  };
}
