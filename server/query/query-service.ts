import { ApiError } from '../errors.ts';
import type { WorkBudget } from '../limits/work-budget.ts';
import type { FtsEngine } from '../search/fts-engine.ts';
import type { QueryFullResponse, QueryStreamEvent } from '../wire/v2-query.ts';
import { searchEmbedded } from './embedded-search.ts';
import type { QueryInput } from './query-input.ts';

/** The owner's Vectara account, in companion mode (upstream/upstream-queries.ts). */
export interface UpstreamQueries {
  query(input: QueryInput, signal: AbortSignal): Promise<QueryFullResponse>;
  /** Relays Vectara's events; `emit` resolves false once the visitor has gone. */
  stream(
    input: QueryInput,
    signal: AbortSignal,
    emit: (event: QueryStreamEvent) => Promise<boolean>,
  ): Promise<void>;
}

export interface QueryContext {
  /** The visitor's address, for the work budget. */
  visitor: string;
  signal: AbortSignal;
}

/**
 * Runs a checked query where its corpora live: on the embedded engine (bounded by the visitor's
 * work budget), or on the owner's Vectara account when the corpora are linked to it. A query
 * may not mix the two: their scores are not comparable.
 */
export class QueryService {
  readonly #engine: FtsEngine;
  readonly #upstream: UpstreamQueries | null;
  readonly #work: WorkBudget;

  constructor(deps: { engine: FtsEngine; upstream: UpstreamQueries | null; work: WorkBudget }) {
    this.#engine = deps.engine;
    this.#upstream = deps.upstream;
    this.#work = deps.work;
  }

  async run(input: QueryInput, context: QueryContext): Promise<QueryFullResponse> {
    if (this.#isLinked(input)) return this.#upstreamOf().query(input, context.signal);
    return this.#work.run(context.visitor, () => searchEmbedded(this.#engine, input));
  }

  /**
   * Streams the answer as v2 events. Everything that can refuse the query is checked before the
   * first event (so refusals are plain JSON errors); a failure after that is an `error` event.
   */
  async stream(
    input: QueryInput,
    context: QueryContext,
    emit: (event: QueryStreamEvent) => Promise<boolean>,
  ): Promise<void> {
    if (this.#isLinked(input)) {
      await this.#upstreamOf().stream(input, context.signal, emit);
      return;
    }
    const response = this.#work.run(context.visitor, () => searchEmbedded(this.#engine, input));
    if (context.signal.aborted) return;
    const sent = await emit({
      type: 'search_results',
      search_results: response.search_results,
      ...(response.warnings ? { warnings: response.warnings } : {}),
    });
    if (sent) await emit({ type: 'end' });
  }

  /** Whether the query goes to Vectara; throws before any work when both kinds are mixed. */
  isLinked(input: QueryInput): boolean {
    return this.#isLinked(input);
  }

  #isLinked(input: QueryInput): boolean {
    const linked = input.corpora.filter((c) => c.corpus.upstreamCorpusKey !== null).length;
    if (linked > 0 && linked < input.corpora.length) throw new ApiError('MIXED_CORPORA');
    return linked > 0;
  }

  #upstreamOf(): UpstreamQueries {
    if (!this.#upstream) {
      throw new ApiError(
        'UPSTREAM_UNAVAILABLE',
        'This corpus is linked to Vectara, but this server has no UPSTREAM_URL configured.',
      );
    }
    return this.#upstream;
  }
}
