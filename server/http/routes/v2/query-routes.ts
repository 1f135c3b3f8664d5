import type { Logger } from 'pino';
import type { CorpusStore } from '../../../accounts/corpus-store.ts';
import { ClientGoneError } from '../../../errors.ts';
import { visitorAddress } from '../../../limits/client-ip.ts';
import { StreamSlots } from '../../../limits/stream-slots.ts';
import { withCallerPolicy } from '../../../query/caller-policy.ts';
import {
  type CorpusQuery,
  contextFromV2,
  distinctCorpora,
  type QueryInput,
} from '../../../query/query-input.ts';
import type { QueryService } from '../../../query/query-service.ts';
import {
  type KeyedSearchCorpus,
  type ParsedGeneration,
  type ParsedReranker,
  type QueryStreamEvent,
  queryCorpusParametersSchema,
  queryCorpusRequestSchema,
  queryRequestSchema,
} from '../../../wire/v2-query.ts';
import { corpusForCaller, pathCorpusKey } from '../../corpus-access.ts';
import { toApiError } from '../../error-handler.ts';
import { EventStream } from '../../event-stream.ts';
import type { OutageLog } from '../../outage-log.ts';
import type { Principal } from '../../principal.ts';
import { bodyLimits, defineRoute, type Route, type RouteContext } from '../../route.ts';

/** What answering a query needs of the request, whichever route it came through. */
type Asker = Pick<RouteContext<unknown, unknown>, 'req' | 'res' | 'caller' | 'signal'>;

interface V2Search {
  corpora: KeyedSearchCorpus[];
  offset?: number | undefined;
  limit?: number | undefined;
  context_configuration?: Record<string, unknown> | undefined;
  reranker?: ParsedReranker | undefined;
}

interface V2Query {
  query: string;
  search: V2Search;
  generation?: ParsedGeneration | undefined;
  stream_response?: boolean | undefined;
  save_history?: boolean | undefined;
  intelligent_query_rewriting?: boolean | undefined;
}

function v2QueryInput(request: V2Query, caller: Principal, corpora: CorpusStore): QueryInput {
  const resolved: CorpusQuery[] = distinctCorpora(
    request.search.corpora.map((c) => ({
      corpus: corpusForCaller(caller, corpora, { key: c.corpus_key }),
      query: c.query,
      metadataFilter: c.metadata_filter,
      lexicalInterpolation: c.lexical_interpolation,
      semantics: c.semantics,
      customDimensions: c.custom_dimensions,
    })),
    'search.corpora',
  );
  return {
    query: request.query,
    corpora: resolved,
    offset: request.search.offset ?? 0,
    limit: request.search.limit ?? 10,
    context: contextFromV2(request.search.context_configuration),
    contextConfiguration: request.search.context_configuration,
    reranker: request.search.reranker,
    generation: request.generation,
    passThrough: {
      ...(request.save_history !== undefined ? { save_history: request.save_history } : {}),
      ...(request.intelligent_query_rewriting !== undefined
        ? { intelligent_query_rewriting: request.intelligent_query_rewriting }
        : {}),
    },
  };
}

/** `POST /v2/query`, and `POST`/`GET /v2/corpora/{corpus_key}/query`: one query, or its stream. */
export function v2QueryRoutes(deps: {
  corpora: CorpusStore;
  queries: QueryService;
  logger: Logger;
  outages: OutageLog;
  /** How long a visitor may stop reading a stream before it is cut off. */
  streamStallMs: number;
}): Route[] {
  const streams = new StreamSlots();
  const answer = async (asker: Asker, request: V2Query): Promise<{ json: unknown } | undefined> => {
    // Every check (corpora, limits) happens before a stream starts, so refusals are JSON answers.
    const input = withCallerPolicy(v2QueryInput(request, asker.caller, deps.corpora), asker.caller);
    const context = { visitor: visitorAddress(asker.req), signal: asker.signal };
    asker.res.locals.viaUpstream = deps.queries.isLinked(input);
    if (!request.stream_response) return { json: await deps.queries.run(input, context) };
    const giveBack = streams.take(context.visitor);
    asker.res.on('close', giveBack);
    // The stream opens with its first event: a refusal before it (Vectara down, the key
    // refused) is still a plain JSON error with its status.
    let events: EventStream | null = null;
    const emit = (event: QueryStreamEvent) => {
      events ??= new EventStream(asker.res, deps.streamStallMs);
      return events.send(event);
    };
    try {
      await deps.queries.stream(input, context, emit);
    } catch (err) {
      // The visitor left: nobody to tell, and nothing worth logging.
      if (err instanceof ClientGoneError) return undefined;
      if (!events) throw err;
      // Once the stream has started a failure cannot be a status: it is an `error` event.
      const apiError = toApiError(err);
      asker.res.locals.refusal = apiError.code;
      if (apiError.status >= 500 && !deps.outages.refused(apiError.code, err)) {
        deps.logger.error({ err, requestId: asker.res.locals.requestId }, 'stream failed');
      }
      await emit({ type: 'error', messages: [apiError.message], code: apiError.code });
    } finally {
      (events as EventStream | null)?.end();
    }
    return undefined;
  };

  return [
    defineRoute({
      method: 'POST',
      path: '/v2/query',
      access: 'query',
      body: { limit: bodyLimits.query, schema: queryRequestSchema },
      handle: (context) => answer(context, context.body),
    }),
    defineRoute({
      method: 'POST',
      path: '/v2/corpora/:corpus_key/query',
      access: 'query',
      body: { limit: bodyLimits.query, schema: queryCorpusRequestSchema },
      handle(context) {
        const { search, ...rest } = context.body;
        const { offset, limit, context_configuration, reranker, ...corpusFields } = search ?? {};
        return answer(context, {
          ...rest,
          search: {
            corpora: [{ corpus_key: pathCorpusKey(context.params), ...corpusFields }],
            offset,
            limit,
            context_configuration,
            reranker,
          },
        });
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/v2/corpora/:corpus_key/query',
      access: 'query',
      query: queryCorpusParametersSchema,
      handle(context) {
        const { query, limit, offset, save_history, intelligent_query_rewriting } = context.query;
        return answer(context, {
          query,
          search: { corpora: [{ corpus_key: pathCorpusKey(context.params) }], offset, limit },
          save_history,
          intelligent_query_rewriting,
        });
      },
    }),
  ];
}
