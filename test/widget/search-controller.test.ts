import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { QueryConfig } from '../../widget/query-config.ts';
import { SearchController } from '../../widget/search-controller.ts';

/**
 * The search lifecycle on its own, in Node, against a scripted v2 server over real HTTP: each
 * query's answer (status, delay, headers) is chosen by the test, and every request is logged.
 */
interface Script {
  status?: number;
  delayMs?: number;
  headers?: Record<string, string>;
  hits?: number;
}
let server: Server;
let endpoint = '';
let script: (query: string) => Script = () => ({});
const received: Array<{ query: string; offset: number }> = [];
/** When the controller sent each request (the client's clock: connection set-up not counted). */
const sentAt: number[] = [];
const controllers: SearchController[] = [];

const answer = (res: ServerResponse, query: string, offset: number, s: Script) => {
  const status = s.status ?? 200;
  const body =
    status === 200
      ? {
          search_results: Array.from({ length: s.hits ?? 2 }, (_, i) => ({
            text: `${query} hit ${offset + i}`,
            score: 1 - i / 100,
            part_metadata: {},
            document_metadata: { title: `Page ${offset + i}` },
            document_id: `${query}-${offset + i}`,
            request_corpora_index: 0,
          })),
        }
      : {
          messages: ['no'],
          request_id: 'r',
          code: status === 429 ? 'RATE_LIMITED' : 'KEY_DISABLED',
        };
  res.writeHead(status, { 'content-type': 'application/json', ...s.headers });
  res.end(JSON.stringify(body));
};

beforeAll(async () => {
  server = createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk) => {
      raw += chunk;
    });
    req.on('end', () => {
      const body = JSON.parse(raw) as { query: string; search: { offset: number } };
      received.push({ query: body.query, offset: body.search.offset });
      const s = script(body.query);
      setTimeout(() => answer(res, body.query, body.search.offset, s), s.delayMs ?? 0);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const realFetch = globalThis.fetch;
  globalThis.fetch = (...args) => {
    sentAt.push(performance.now());
    return realFetch(...args);
  };
});
afterAll(() => {
  server.closeAllConnections();
  server.close();
});
afterEach(() => {
  for (const controller of controllers.splice(0)) controller.hostDisconnected();
  received.length = 0;
  sentAt.length = 0;
  script = () => ({});
  SearchController.firstRetryMs = 1_000;
  SearchController.backoffMs = 60_000;
});

/** Stands in for the element: counts updates and records the events fired. */
class Host extends EventTarget implements ReactiveControllerHost {
  readonly baseURI = 'https://site.example/';
  readonly events: string[] = [];
  readonly updateComplete = Promise.resolve(true);
  readonly controllers: ReactiveController[] = [];
  constructor() {
    super();
    for (const type of ['search-gate-search', 'search-gate-results', 'search-gate-error']) {
      this.addEventListener(type, (event) => {
        const detail = (event as CustomEvent<{ query?: string; code?: string }>).detail;
        this.events.push(`${type.slice(12)}:${detail.query ?? detail.code}`);
      });
    }
  }
  addController(controller: ReactiveController): void {
    this.controllers.push(controller);
  }
  removeController(): void {}
  requestUpdate(): void {}
}

let apiKey = 0;
const setup = () => {
  const host = new Host();
  // A key of its own per test: refusals are remembered per key for the whole page.
  const config: QueryConfig = {
    endpoint,
    apiKey: `key-${++apiKey}`,
    customerId: '',
    corpusKeys: ['docs'],
    corpusIds: [],
    numResults: 2,
    offset: 0,
    metadataFilter: '',
  };
  const search = new SearchController(host, () => config);
  controllers.push(search);
  const titles = () => search.groups.map((group) => group.title);
  return { host, search, titles };
};
const settled = (search: SearchController) =>
  expect.poll(() => search.status, { timeout: 5_000 }).toMatch(/complete|error/);

describe('SearchController', () => {
  it('searches on the first keystroke at once, then at most once per interval, and always the last', async () => {
    const { search } = setup();
    for (const query of ['g', 'gu', 'gui', 'guid', 'guide']) search.type(query, 200);
    await settled(search);
    expect(search.query).toBe('guide');
    // "g" at once; "gu" … "guid" fold into the one request sent when the interval is over.
    expect(received.map((r) => r.query)).toEqual(['g', 'guide']);
    // Measured at fetch(): the first call does more work before it than the later ones.
    expect((sentAt[1] ?? 0) - (sentAt[0] ?? 0)).toBeGreaterThanOrEqual(180);
  });

  it('keeps the results on screen, marked stale, until the next ones arrive', async () => {
    const { search, titles, host } = setup();
    search.type('guide', 0);
    await settled(search);
    script = () => ({ delayMs: 150 });
    search.type('zebra', 0);
    expect(search.status).toBe('pending');
    expect(search.stale).toBe(true);
    expect(titles()).toEqual(['Page 0', 'Page 1']);
    expect(search.query).toBe('guide');
    await settled(search);
    expect(search.stale).toBe(false);
    expect(search.groups[0]?.sections[0]?.text).toBe('zebra hit 0');
    expect(host.events).toEqual(['search:guide', 'results:guide', 'search:zebra', 'results:zebra']);
  });

  it('shows an answer that arrives early, but never one older than the answer shown', async () => {
    const { search } = setup();
    script = (query) => ({ delayMs: query === 'a' ? 300 : query === 'ab' ? 0 : 100 });
    search.type('a', 0);
    search.type('ab', 0);
    await expect.poll(() => search.query).toBe('ab');
    // "abc" is still on its way: what is shown is not yet the latest.
    search.type('abc', 0);
    expect(search.status).toBe('pending');
    await settled(search);
    expect(search.query).toBe('abc');
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(search.query).toBe('abc');
  });

  it('shows a remembered answer at once, still asks the server, and stays quiet when it agrees', async () => {
    const { search, host } = setup();
    search.type('guide', 0);
    await settled(search);
    search.type('zebra', 0);
    await settled(search);
    const before = received.length;
    script = () => ({ delayMs: 100 });
    search.type('guide', 0);
    expect(search.query).toBe('guide');
    expect(search.count).toBe(2);
    await settled(search);
    expect(received.length).toBe(before + 1);
    expect(host.events.slice(-1)).toEqual(['results:guide']);
    expect(host.events.filter((event) => event === 'search:guide')).toHaveLength(1);
  });

  it('drops everything held on a refusal, and tries again after 1×, 2×, 4× the first wait', async () => {
    SearchController.firstRetryMs = 100;
    SearchController.backoffMs = 400;
    const { search, host } = setup();
    search.type('guide', 0);
    await settled(search);
    script = () => ({ status: 403 });
    search.type('zebra', 0);
    await expect.poll(() => search.failure?.kind).toBe('unavailable');
    expect(search.groups).toEqual([]);
    await expect.poll(() => received.length, { timeout: 5_000 }).toBeGreaterThanOrEqual(6);
    // sentAt[1] is the refused "zebra"; then the retries.
    const gaps = sentAt.slice(2, 6).map((at, i) => at - (sentAt[i + 1] ?? 0));
    const [first = 0, second = 0, third = 0, fourth = 0] = gaps;
    // Timers never fire early: lower bounds hold on any machine; the first is the short one.
    expect(first).toBeGreaterThanOrEqual(95);
    expect(second).toBeGreaterThanOrEqual(180);
    expect(third).toBeGreaterThanOrEqual(395);
    expect(fourth).toBeGreaterThanOrEqual(395);
    expect(first).toBeLessThan(third);
    expect(host.events).toContain('error:KEY_DISABLED');

    // "guide" was answered before the refusal: typing it again does not show it from memory.
    const sent = received.length;
    search.type('guide', 0);
    expect(search.groups).toEqual([]);
    expect(received.length).toBe(sent);
    script = () => ({});
    await expect.poll(() => search.query, { timeout: 2_000 }).toBe('guide');
  });

  it('after a 429 sends nothing until Retry-After, then the latest query once', async () => {
    const { search } = setup();
    script = () => ({ status: 429, headers: { 'retry-after': '1' } });
    search.type('a', 0);
    await expect.poll(() => search.failure?.kind).toBe('rate');
    expect(search.failure).toMatchObject({ seconds: 1, retry: false });
    script = () => ({});
    search.type('ab', 0);
    search.type('abc', 0);
    expect(received.map((r) => r.query)).toEqual(['a']);
    await expect.poll(() => search.query, { timeout: 3_000 }).toBe('abc');
    expect(received.map((r) => r.query)).toEqual(['a', 'abc']);
    expect((sentAt[1] ?? 0) - (sentAt[0] ?? 0)).toBeGreaterThanOrEqual(980);
  });

  it('loads the next page, appended to the results shown', async () => {
    const { search } = setup();
    search.type('guide', 0);
    await settled(search);
    expect(search.more).toBe(true);
    search.loadMore();
    await settled(search);
    expect(search.count).toBe(4);
    expect(received.map((r) => r.offset)).toEqual([0, 2]);
    script = () => ({ hits: 1 });
    search.loadMore();
    await settled(search);
    expect(search.count).toBe(5);
    expect(search.more).toBe(false);
  });

  it('an empty query goes back to idle and cancels what was under way', async () => {
    const { search } = setup();
    script = () => ({ delayMs: 200 });
    search.type('guide', 0);
    search.type('', 0);
    expect(search.status).toBe('idle');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(search.status).toBe('idle');
    expect(search.groups).toEqual([]);
  });
});
