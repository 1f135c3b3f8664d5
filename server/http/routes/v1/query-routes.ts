import { setImmediate as yieldToOtherRequests } from 'node:timers/promises';
import type { CorpusStore } from '../../../accounts/corpus-store.ts';
import { ApiError } from '../../../errors.ts';
import { visitorAddress } from '../../../limits/client-ip.ts';
import type { QueryService } from '../../../query/query-service.ts';
import { v1QueryInput, v1ResponseSet } from '../../../query/v1-translation.ts';
import { type V1BatchQueryResponse, v1BatchQuerySchema } from '../../../wire/v1-query.ts';
import { wireLimits } from '../../../wire/wire-values.ts';
import { bodyLimits, defineRoute, type Route } from '../../route.ts';

/** `POST /v1/query`: a batch of queries, one response set each, in order. */
export function v1QueryRoutes(deps: { corpora: CorpusStore; queries: QueryService }): Route[] {
  return [
    defineRoute({
      method: 'POST',
      path: '/v1/query',
      access: 'query',
      body: { limit: bodyLimits.query, schema: v1BatchQuerySchema },
      async handle({ req, caller, body, signal }) {
        const asked = body.query.reduce((sum, item) => sum + (item.numResults ?? 10), 0);
        if (asked > wireLimits.maxResultsPerRequest) {
          throw new ApiError(
            'INVALID_ARGUMENT',
            `query: the batch asks for ${asked} results; one request may ask for at most ${wireLimits.maxResultsPerRequest} (split it).`,
          );
        }
        // Every query is checked before any is run: one bad corpus refuses the whole batch.
        const translated = body.query.map((item, i) =>
          v1QueryInput(item, `query[${i}]`, caller, deps.corpora),
        );
        const visitor = visitorAddress(req);
        const responseSet = [];
        for (const [i, query] of translated.entries()) {
          // Other requests are served between the queries of a batch, not after all of them.
          if (i > 0) await yieldToOtherRequests();
          if (signal.aborted) return undefined;
          const response = await deps.queries.run(query.input, { visitor, signal });
          responseSet.push(v1ResponseSet(response, query, i + 1));
        }
        const answer: V1BatchQueryResponse = { responseSet, status: [] };
        return { json: answer };
      },
    }),
  ];
}
