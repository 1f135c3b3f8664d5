import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { IndividualSearchResult, QueryStreamEvent } from '../server/wire/v2-query.ts';
import { readEvents } from './event-stream.ts';

/** A source a citation `[n]` points at: the n-th search result the summary was made from. */
export interface SummarySource {
  title: string;
  url?: string | undefined;
}

interface Summary {
  text: string;
  sources: SummarySource[];
}

/**
 * How to ask, given by the element, which knows the protocol: this module (a file loaded only
 * by widgets with `summary`) then needs nothing else from the widget's code.
 */
export interface SummaryRequests {
  /** POSTs the v2 query for `query` with these extra fields. */
  send(query: string, extra: Record<string, unknown>, signal: AbortSignal): Promise<Response>;
  /** The sources of the citations, in the order of the search results the answer used. */
  sources(results: IndividualSearchResult[]): SummarySource[];
}

/** The embedded engine's warning (server/wire/v2-query.ts): there is no summary to wait for. */
const NO_SUMMARY = /^summaries need companion mode/;
/** Ask only once the visitor has stopped typing: each summary costs the owner money. */
const PAUSE_MS = 600;
const MAX_CACHED = 20;

/**
 * The generated answer above the results (`summary`, v2 only): asked for with `generation`
 * and `stream_response` once typing pauses, shown as its chunks arrive. Nothing is shown when
 * there is none: the embedded engine's "summaries need companion mode" warning, a refusal, a
 * failure, or an `error` event (a partial answer could mislead).
 */
export class SummaryController implements ReactiveController {
  /** The answer so far; empty when there is none to show. */
  text = '';
  sources: SummarySource[] = [];
  /** Whether more text is on its way. */
  streaming = false;

  readonly #host: ReactiveControllerHost;
  readonly #requests: SummaryRequests;
  readonly #cache = new Map<string, Summary>();
  #query = '';
  #timer: ReturnType<typeof setTimeout> | undefined;
  #request: AbortController | undefined;

  constructor(host: ReactiveControllerHost, requests: SummaryRequests) {
    this.#host = host;
    this.#requests = requests;
    host.addController(this);
  }

  hostDisconnected(): void {
    this.want('');
  }

  /** The summary wanted now: for `query`, or none (''). Cheap to call on every update. */
  want(query: string): void {
    if (query === this.#query) return;
    this.#query = query;
    clearTimeout(this.#timer);
    this.#request?.abort();
    const held = this.#cache.get(query);
    this.#show(held?.text ?? '', held?.sources ?? [], false);
    if (query && !held) this.#timer = setTimeout(() => void this.#fetch(query), PAUSE_MS);
  }

  /** Drops every summary held: the key was refused, or the settings changed. */
  drop(): void {
    this.#cache.clear();
    this.want('');
  }

  #show(text: string, sources: SummarySource[], streaming: boolean): void {
    Object.assign(this, { text, sources, streaming });
    this.#host.requestUpdate();
  }

  async #fetch(query: string): Promise<void> {
    const request = new AbortController();
    this.#request = request;
    let text = '';
    let sources: SummarySource[] = [];
    try {
      const response = await this.#requests.send(
        query,
        {
          generation: {
            max_used_search_results: 5,
            response_language: 'auto',
            citations: { style: 'numeric' },
            enable_factual_consistency_score: false,
          },
          stream_response: true,
        },
        request.signal,
      );
      if (response.status === 401 || response.status === 403) this.drop();
      if (!response.ok || !response.body) return;
      for await (const event of readEvents(response.body)) {
        const e = event as QueryStreamEvent;
        if (e.type === 'search_results') {
          if (e.warnings?.some((warning) => NO_SUMMARY.test(warning))) return;
          sources = this.#requests.sources(e.search_results);
        } else if (e.type === 'generation_chunk') {
          text += e.generation_chunk;
          this.#show(text, sources, true);
        } else if (e.type === 'error') {
          return this.#show('', [], false);
        } else if (e.type === 'generation_end' || e.type === 'end') {
          break;
        }
      }
      if (this.#cache.size >= MAX_CACHED) this.#cache.clear();
      if (text) this.#cache.set(query, { text, sources });
      this.#show(text, sources, false);
    } catch {
      // Aborted (the visitor typed on) or failed: the results are there without a summary.
      if (!request.signal.aborted) this.#show('', [], false);
    } finally {
      // Done reading, or stopped early: the connection is not held open.
      request.abort();
    }
  }
}
