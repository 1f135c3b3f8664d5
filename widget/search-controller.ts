import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { accept, keyId, refusal, refuse } from './key-refusals.ts';
import { runQuery } from './query-client.ts';
import type { QueryConfig } from './query-config.ts';
import { groupResults, type ResultGroup } from './result-groups.ts';
import { SearchError } from './search-error.ts';
import { emit } from './search-gate-events.ts';

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

const SLOW_MS = 300;
const MAX_CACHED = 50;

/**
 * The search lifecycle: one request at a time (a newer search aborts the older), answers cached
 * per query, explicit states (idle, pending, complete, error), a back-off for refused keys and
 * one automatic retry after a 429. Fires search-gate-search, -results and -error for searches
 * the visitor started (`quiet` ones are the page's doing: a setting changed).
 */
export class SearchController implements ReactiveController {
  /** How long a refused key is left alone. */
  static backoffMs = 60_000;

  status: SearchStatus = 'idle';
  groups: ResultGroup[] = [];
  /** Sections in `groups`. */
  count = 0;
  /** The query `groups` answer. */
  query = '';
  failure: SearchFailure | undefined;
  /** The request has been under way for a while: show that it is. */
  slow = false;

  readonly #host: SearchHost;
  /** The settings the next search runs with. */
  readonly #config: () => QueryConfig;
  readonly #cache = new Map<string, ResultGroup[]>();
  #request: AbortController | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #retryTimer: ReturnType<typeof setTimeout> | undefined;
  #slowTimer: ReturnType<typeof setTimeout> | undefined;
  #quiet = false;
  /** The query the visitor wants answered (the last one asked for). */
  #wanted = '';

  constructor(host: SearchHost, config: () => QueryConfig) {
    this.#host = host;
    this.#config = config;
    host.addController(this);
  }

  hostDisconnected(): void {
    this.#stop();
  }

  /** Searches for `query` after `delay` ms; an empty query goes back to idle. */
  schedule(query: string, delay: number, quiet = false): void {
    this.#stop();
    this.#wanted = query;
    if (!query) {
      this.#set({ status: 'idle', groups: [], failure: undefined, query: '' });
      return;
    }
    this.#timer = setTimeout(() => void this.#search(query, true, quiet), delay);
  }

  /** The settings changed: answers held so far no longer apply. */
  reset(): void {
    this.#cache.clear();
    if (this.#wanted) this.schedule(this.#wanted, 0, true);
  }

  /** Whether a search is under way or about to start. */
  get busy(): boolean {
    return this.#timer !== undefined || this.#request !== undefined;
  }

  #set(patch: Partial<SearchController>): void {
    Object.assign(this, patch);
    this.count = this.groups.reduce((sum, group) => sum + group.sections.length, 0);
    this.#host.requestUpdate();
  }

  /** Cancels the pending search, the request in flight and any scheduled retry. */
  #stop(): void {
    clearTimeout(this.#timer);
    clearTimeout(this.#retryTimer);
    clearTimeout(this.#slowTimer);
    this.#timer = undefined;
    this.#request?.abort();
    this.#request = undefined;
    this.slow = false;
  }

  async #search(query: string, retryOnRateLimit: boolean, quiet: boolean): Promise<void> {
    this.#stop();
    this.#quiet = quiet;
    const cached = this.#cache.get(query);
    if (cached) return this.#show(query, cached, 0);
    const config = this.#config();
    const key = keyId(config.endpoint, config.apiKey);
    const refusedAt = refusal(key, SearchController.backoffMs);
    if (refusedAt !== undefined) {
      // The owner was told once; until the back-off ends no request is sent for this key, and
      // the search runs again by itself when it ends (a re-enabled key recovers).
      this.#fail({ kind: 'unavailable', seconds: 0, retry: false });
      this.#retryAfterBackoff(refusedAt);
      return;
    }
    const request = new AbortController();
    this.#request = request;
    this.#set({ status: 'pending', failure: undefined });
    this.#slowTimer = setTimeout(() => this.#set({ slow: true }), SLOW_MS);
    if (!quiet) emit(this.#host, 'search-gate-search', { query });
    const started = performance.now();
    try {
      const hits = await runQuery(config, query, request.signal);
      if (request.signal.aborted) return;
      accept(key);
      const groups = groupResults(hits, this.#host.baseURI);
      if (this.#cache.size >= MAX_CACHED) this.#cache.clear();
      this.#cache.set(query, groups);
      this.#show(query, groups, performance.now() - started);
    } catch (error) {
      if (request.signal.aborted) return;
      const failed = error instanceof SearchError ? error : new SearchError('BAD_RESPONSE', 0);
      this.#failed(failed, query, key, retryOnRateLimit);
    } finally {
      if (this.#request === request) {
        clearTimeout(this.#slowTimer);
        this.#request = undefined;
        this.#set({ slow: false });
      }
    }
  }

  #failed(error: SearchError, query: string, key: string, retry: boolean): void {
    const { status } = error;
    if (!this.#quiet) emit(this.#host, 'search-gate-error', { code: error.code, status });
    if (status === 401 || status === 403 || status === 404) {
      this.#fail({ kind: 'unavailable', seconds: 0, retry: false });
      this.#retryAfterBackoff(refuse(key));
    } else if (status === 429) {
      const seconds = Math.min(error.retryAfter || 5, 600);
      this.#fail({ kind: 'rate', seconds, retry: !retry });
      if (retry) {
        this.#retryTimer = setTimeout(
          () => void this.#search(query, false, this.#quiet),
          seconds * 1000,
        );
      }
    } else {
      this.#fail({ kind: status ? 'failed' : 'network', seconds: 0, retry: true });
    }
  }

  /** Try again once the back-off ends, so a re-enabled key recovers without a reload. */
  #retryAfterBackoff(refusedAt: number): void {
    clearTimeout(this.#retryTimer);
    const wait = Math.max(0, refusedAt + SearchController.backoffMs - Date.now());
    this.#retryTimer = setTimeout(() => {
      if (this.#wanted) void this.#search(this.#wanted, true, this.#quiet);
    }, wait);
  }

  #fail(failure: SearchFailure): void {
    this.#set({ status: 'error', groups: [], failure });
  }

  #show(query: string, groups: ResultGroup[], ms: number): void {
    this.#set({ status: 'complete', groups, query, failure: undefined });
    if (!this.#quiet) {
      emit(this.#host, 'search-gate-results', { query, count: this.count, ms: Math.round(ms) });
    }
  }
}
