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

/** Requests each page has sent and not yet seen finish (or fail, when a widget aborts one). */
const inFlight = new WeakMap<Page, Set<Request>>();

/**
 * Waits until the page has nothing in flight and its DOM has been quiet well past the latency
 * of one search: its last answer is on screen. (DOM quiet alone is not enough: a widget that
 * keeps the previous results while the next load changes nothing until they arrive.)
 */
async function settle(page: Page, plan: TypingPlan): Promise<void> {
  const quietMs = Math.max(400, plan.latencyMs * 2);
  const deadline = Date.now() + 15_000;
  for (;;) {
    const quiet = await page.evaluate((quiet) => {
      const state = (window as unknown as { __widgetBench: BenchState }).__widgetBench;
      const now = performance.now();
      return now - state.lastMutationAt > quiet && now - state.lastInputAt > quiet * 1.5;
    }, quietMs);
    if (quiet && (inFlight.get(page)?.size ?? 0) === 0) return;
    if (Date.now() > deadline) throw new Error('the page did not settle within 15 s');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
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
  const pending = new Set<Request>();
  inFlight.set(page, pending);
  page.on('request', (request) => pending.add(request));
  page.on('requestfailed', (request) => pending.delete(request));
  page.on('requestfinished', (request) => {
    pending.delete(request);
    onRequest?.(request);
  });
  await page.addInitScript({ content: frameRecorder(contender.hit) });
  await page.goto(`${origin}${contender.path}`, { waitUntil: 'load' });
  const box = await contender.open(page);
  await box.waitFor();
  return { context, page, box };
}

/**
 * Types `text` one key every `intervalMs`, on a fixed schedule from the first key, so the time
 * each key takes to send does not add up and slow the pace.
 */
async function typeAtPace(box: ReturnType<Page['locator']>, text: string, intervalMs: number) {
  await box.focus();
  const page = box.page();
  const start = Date.now();
  for (const [i, key] of [...text].entries()) {
    const wait = start + i * intervalMs - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    await page.keyboard.type(key);
  }
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
    await typeAtPace(box, plan.warmUp, plan.keyIntervalMs);
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
      await typeAtPace(box, query, plan.keyIntervalMs);
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
