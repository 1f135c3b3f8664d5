import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { accept, keyId, refuse, refusedFor } from './key-refusals.ts';
import { runQuery } from './query-client.ts';
import type { QueryConfig } from './query-config.ts';
import { groupResults, type ResultGroup } from './result-groups.ts';
import { SearchError } from './search-error.ts';
import { emit } from './search-gate-events.ts';
import type { SearchHit } from './search-hit.ts';

export type SearchStatus = 'idle' | 'pending' | 'complete' | 'error';

export interface SearchFailure {
  kind: 'unavailable' | 'rate' | 'network' | 'failed';
  /** Rate limited: seconds until the retry. */
  seconds: number;
  /** Whether the visitor is offered a retry button. */
  retry: boolean;
}

/** The element: it fires the events, and its base URI resolves relative result URLs. */
export interface SearchHost extends ReactiveControllerHost, EventTarget {
  readonly baseURI: string;
}

interface Answer {
  hits: SearchHit[];
  /** The last page was full: there may be more. */
  more: boolean;
  /** The hits grouped for display, once shown: the same answer shows the same groups. */
  groups?: ResultGroup[];
}

const SLOW_MS = 300;
const MAX_CACHED = 50;
/** At most this many requests in flight: a third aborts the oldest, least likely to be shown. */
const MAX_IN_FLIGHT = 2;
/** The server's paging depth (offset + limit). */
const MAX_DEPTH = 1_000;

/**
 * The search lifecycle. Every keystroke searches, at most one request per `interval` ms (the
 * first at once, the last always): no debounce, so the results follow the typing. Results stay
 * on screen (`stale`) until the next ones arrive; an answer older than the one shown is dropped
 * and shown answers abort older requests. Answers are remembered per query and shown at once
 * when asked again, but the server is still asked: a refusal (401, 403, 404) drops everything
 * held (the owner's kill switch is absolute), and searching resumes by itself after 1 s, then
 * 2, 4 … up to `backoffMs`. A 429 is retried once after its Retry-After.
 * States: idle, pending, complete, error. Events only for what the visitor did (not `quiet`).
 */
export class SearchController implements ReactiveController {
  /** The longest wait between two tries of a refused key. */
  static backoffMs = 60_000;
  /** The first wait after a refusal. */
  static firstRetryMs = 1_000;

  status: SearchStatus = 'idle';
  /** What is on screen; while `pending`, the previous query's results. */
  groups: ResultGroup[] = [];
  /** Sections in `groups`. */
  count = 0;
  /** The query `groups` answer. */
  query = '';
  /** More results may follow (`loadMore`). */
  more = false;
  failure: SearchFailure | undefined;
  /** A request has been under way for a while: show that it is. */
  slow = false;

  readonly #host: SearchHost;
  readonly #config: () => QueryConfig;
  readonly #cache = new Map<string, Answer>();
  readonly #inFlight = new Map<number, AbortController>();
  /** The query the visitor wants answered. */
  #wanted = '';
  #quiet = false;
  /** Numbers of the last request sent and of the answer shown: older answers are dropped. */
  #sent = 0;
  #shown = 0;
  #sentAt = Number.NEGATIVE_INFINITY;
  /** After a 429, nothing is sent before this time (the retry is scheduled for it). */
  #pausedUntil = 0;
  #typingTimer: ReturnType<typeof setTimeout> | undefined;
  #retryTimer: ReturnType<typeof setTimeout> | undefined;
  #slowTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(host: SearchHost, config: () => QueryConfig) {
    this.#host = host;
    this.#config = config;
    host.addController(this);
  }

  hostDisconnected(): void {
    this.#stop();
  }

  /** On screen are the results of an earlier query than the one typed. */
  get stale(): boolean {
    return this.status === 'pending' && this.query !== this.#wanted;
  }

  /**
   * The visitor typed: search for `query` now, or as soon as `interval` ms have passed since the
   * last request. An empty query goes back to idle.
   */
  type(query: string, interval: number): void {
    this.#wanted = query;
    this.#quiet = false;
    if (!query) {
      this.#stop();
      this.#set({ status: 'idle', groups: [], query: '', failure: undefined, more: false });
      return;
    }
    if (this.#cache.has(query)) this.#showCached(query);
    else if (this.status !== 'error') this.#set({ status: 'pending' });
    const wait = this.#sentAt + interval;
    if (wait <= performance.now()) this.#send(query);
    else this.#typingTimer ??= setTimeout(() => this.#send(this.#wanted), wait - performance.now());
  }

  /** Search for `query` at once (Enter, retry, a linked query); `quiet`: not the visitor's doing. */
  run(query: string, quiet = false): void {
    if (!query) {
      this.type('', 0);
      return;
    }
    this.#wanted = query;
    this.#quiet = quiet;
    if (this.#cache.has(query)) this.#showCached(query);
    this.#send(query);
  }

  /**
   * The settings changed: answers held so far no longer apply and the query runs again, quietly
   * unless the visitor changed them (a filter).
   */
  reset(quiet = true): void {
    this.#cache.clear();
    if (this.#wanted) {
      this.#stop();
      this.run(this.#wanted, quiet);
    }
  }

  /** Asks for the next page of the results shown. */
  loadMore(): void {
    if (this.status === 'complete' && this.more) this.#send(this.query, this.count);
  }

  #set(patch: Partial<Omit<SearchController, 'stale'>>): void {
    Object.assign(this, patch);
    this.count = this.groups.reduce((sum, group) => sum + group.sections.length, 0);
    this.#host.requestUpdate();
  }

  /** Cancels the timers and every request in flight. */
  #stop(): void {
    clearTimeout(this.#typingTimer);
    clearTimeout(this.#retryTimer);
    clearTimeout(this.#slowTimer);
    this.#typingTimer = undefined;
    for (const request of this.#inFlight.values()) request.abort();
    this.#inFlight.clear();
    this.slow = false;
  }

  #showCached(query: string): void {
    const answer = this.#cache.get(query) as Answer;
    // Newest, so no answer still on its way for an earlier query may replace it.
    this.#show(++this.#sent, query, answer, 0);
    // Still shown as held until the server confirms: it may refuse now.
    if (this.status === 'complete') this.status = 'pending';
  }

  async #send(query: string, offset = 0, retryOnRateLimit = true): Promise<void> {
    clearTimeout(this.#typingTimer);
    this.#typingTimer = undefined;
    const config = this.#config();
    const key = keyId(config.endpoint, config.apiKey);
    const wait = refusedFor(key);
    if (wait > 0) return this.#refused(wait);
    const pause = this.#pausedUntil - performance.now();
    if (pause > 0) {
      // Rate limited: the latest query goes out, once, when the server said to come back.
      this.#typingTimer = setTimeout(() => this.#send(this.#wanted, 0, false), pause);
      return;
    }
    const quiet = this.#quiet;
    const id = ++this.#sent;
    const request = new AbortController();
    this.#inFlight.set(id, request);
    if (this.#inFlight.size > MAX_IN_FLIGHT) {
      const [oldest, controller] = this.#inFlight.entries().next().value as [
        number,
        AbortController,
      ];
      controller.abort();
      this.#inFlight.delete(oldest);
    }
    this.#sentAt = performance.now();
    const held = offset ? undefined : this.#cache.get(query);
    this.#set({ status: 'pending', failure: undefined, slow: false });
    clearTimeout(this.#slowTimer);
    this.#slowTimer = setTimeout(() => this.#set({ slow: this.status === 'pending' }), SLOW_MS);
    if (!quiet && !held) emit(this.#host, 'search-gate-search', { query });
    try {
      const hits = await runQuery(
        { ...config, offset, numResults: Math.min(config.numResults, MAX_DEPTH - offset) },
        query,
        request.signal,
      );
      if (request.signal.aborted || id < this.#shown) return;
      accept(key);
      const previous = offset ? (this.#cache.get(query)?.hits ?? []) : [];
      let answer: Answer = {
        hits: [...previous, ...hits],
        more: hits.length === config.numResults && offset + hits.length < MAX_DEPTH,
      };
      // An answer equal to the one held changes nothing the visitor sees.
      if (held && JSON.stringify(held.hits) === JSON.stringify(answer.hits)) answer = held;
      if (this.#cache.size >= MAX_CACHED) this.#cache.delete(this.#cache.keys().next().value ?? '');
      this.#cache.delete(query);
      this.#cache.set(query, answer);
      this.#show(id, query, answer, performance.now() - this.#sentAt, quiet || !!held);
    } catch (error) {
      if (request.signal.aborted) return;
      const failed = error instanceof SearchError ? error : new SearchError('BAD_RESPONSE', 0);
      this.#failed(failed, id, key, quiet, retryOnRateLimit);
    } finally {
      this.#inFlight.delete(id);
      if (!this.#inFlight.size) clearTimeout(this.#slowTimer);
    }
  }

  #show(id: number, query: string, answer: Answer, ms: number, quiet = this.#quiet): void {
    this.#shown = id;
    // The same groups for the same answer: the active option stays where the visitor put it.
    answer.groups ??= groupResults(answer.hits, this.#host.baseURI);
    for (const [older, request] of this.#inFlight) if (older < id) request.abort();
    const latest = id === this.#sent && query === this.#wanted && !this.#typingTimer;
    this.#set({
      status: latest ? 'complete' : 'pending',
      groups: answer.groups,
      query,
      more: answer.more,
      failure: undefined,
      slow: latest ? false : this.slow,
    });
    if (!quiet) {
      emit(this.#host, 'search-gate-results', { query, count: this.count, ms: Math.round(ms) });
    }
  }

  #failed(error: SearchError, id: number, key: string, quiet: boolean, retry: boolean): void {
    const { status } = error;
    const refused = status === 401 || status === 403 || status === 404;
    // A failure of an earlier request than the last one sent is that one's to report.
    if (!refused && id !== this.#sent) return;
    if (!quiet) emit(this.#host, 'search-gate-error', { code: error.code, status });
    clearTimeout(this.#retryTimer);
    if (refused) {
      this.#refused(refuse(key, SearchController.firstRetryMs, SearchController.backoffMs));
    } else if (status === 429) {
      const seconds = Math.min(error.retryAfter || 5, 600);
      this.#fail({ kind: 'rate', seconds, retry: !retry });
      if (retry) {
        this.#pausedUntil = performance.now() + seconds * 1000;
        this.#send(this.#wanted);
      }
    } else {
      this.#fail({ kind: status ? 'failed' : 'network', seconds: 0, retry: true });
    }
  }

  /** The key is refused: nothing held may be shown; try again when the back-off ends. */
  #refused(wait: number): void {
    this.#stop();
    this.#cache.clear();
    this.#fail({ kind: 'unavailable', seconds: 0, retry: false });
    this.#retryTimer = setTimeout(() => {
      if (this.#wanted) this.#send(this.#wanted);
    }, wait);
  }

  #fail(failure: SearchFailure): void {
    this.#set({ status: 'error', groups: [], query: '', more: false, failure });
  }
}
