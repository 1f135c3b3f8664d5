import { setImmediate as yieldToOtherRequests } from 'node:timers/promises';
import type { Request, RequestHandler, Response } from 'express';
import type { CorpusStore } from '../../../accounts/corpus-store.ts';
import { ApiError } from '../../../errors.ts';
import { visitorAddress } from '../../../limits/client-ip.ts';
import type { QueryService } from '../../../query/query-service.ts';
import { v1QueryInput, v1ResponseSet } from '../../../query/v1-translation.ts';
import { type V1BatchQueryResponse, v1BatchQuerySchema } from '../../../wire/v1-query.ts';
import { wireLimits } from '../../../wire/wire-values.ts';
import { bodyLimits, defineRoute, type Route } from '../../route.ts';

/**
 * Runs the key's rate limiters once more: a request that costs several upstream queries counts
 * as that many against the key's limits and quota. A refusal is the limiter's own 429.
 */
function chargeOnce(limiters: RequestHandler[], req: Request, res: Response): Promise<void> {
  return limiters.reduce(
    (done, limiter) =>
      done.then(
        () =>
          new Promise<void>((resolve, reject) => {
            void limiter(req, res, (err?: unknown) => (err ? reject(err) : resolve()));
          }),
      ),
    Promise.resolve(),
  );
}

/** `POST /v1/query`: a batch of queries, one response set each, in order. */
export function v1QueryRoutes(deps: {
  corpora: CorpusStore;
  queries: QueryService;
  rateLimits: RequestHandler[];
}): Route[] {
  return [
    defineRoute({
      method: 'POST',
      path: '/v1/query',
      access: 'query',
      body: { limit: bodyLimits.query, schema: v1BatchQuerySchema },
      async handle({ req, res, caller, body, signal }) {
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
        res.locals.viaUpstream = translated.some((t) => deps.queries.isLinked(t.input));
        if (res.locals.viaUpstream) {
          // Each query of the batch is one billed Vectara query: each counts against the key's
          // limits and quota, and they run side by side, each under Vectara's deadline.
          for (let n = 1; n < translated.length; n++) await chargeOnce(deps.rateLimits, req, res);
          const answers = await Promise.all(
            translated.map((t) => deps.queries.run(t.input, { visitor, signal })),
          );
          const responseSet = answers.map((response, i) =>
            v1ResponseSet(response, translated[i] as (typeof translated)[number], i + 1),
          );
          const answer: V1BatchQueryResponse = { responseSet, status: [] };
          return { json: answer };
        }
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
