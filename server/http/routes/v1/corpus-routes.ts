import type { CorpusStore } from '../../../accounts/corpus-store.ts';
import type { SqliteDatabase } from '../../../db/open-database.ts';
import { ApiError } from '../../../errors.ts';
import type { FtsEngine } from '../../../search/fts-engine.ts';
import {
  v1CreateCorpusSchema,
  v1DeleteCorpusSchema,
  v1ListCorporaSchema,
} from '../../../wire/v1-admin.ts';
import { decodePageKey, encodePageKey, okStatus } from '../../page-key.ts';
import { bodyLimits, defineRoute, type Route } from '../../route.ts';
import { deleteCorpusWithDocuments } from '../corpus-deletion.ts';
import { checkUpstreamLink } from '../v2/corpus-routes.ts';

/** Owner routes for corpora: create, delete (with all documents), list with document counts. */
export function v1CorpusRoutes(deps: {
  db: SqliteDatabase;
  corpora: CorpusStore;
  engine: FtsEngine;
  upstreamConfigured: boolean;
}): Route[] {
  const body = <S>(schema: S) => ({ limit: bodyLimits.owner, schema });
  return [
    defineRoute({
      method: 'POST',
      path: '/v1/create-corpus',
      access: 'owner',
      body: body(v1CreateCorpusSchema),
      handle({ caller, body: { corpus } }) {
        checkUpstreamLink(
          corpus.upstreamCorpusKey,
          deps.upstreamConfigured,
          'corpus.upstreamCorpusKey',
        );
        const created = deps.corpora.create(caller.customerId, {
          key: corpus.key,
          name: corpus.name,
          description: corpus.description,
          upstreamCorpusKey: corpus.upstreamCorpusKey,
        });
        if (!created) {
          throw new ApiError(
            'ALREADY_EXISTS',
            `corpus.key: a corpus with key ${corpus.key} already exists.`,
          );
        }
        return { json: { corpusId: created.corpusId, corpusKey: created.key, status: okStatus() } };
      },
    }),
    defineRoute({
      method: 'POST',
      path: '/v1/delete-corpus',
      access: 'owner',
      body: body(v1DeleteCorpusSchema),
      handle({ caller, body }) {
        if (body.customerId !== undefined && body.customerId !== caller.customerId) {
          throw new ApiError('WRONG_ACCOUNT', 'customerId in the body is another account.');
        }
        const corpus = deps.corpora.get(caller.customerId, body.corpusId);
        if (!corpus || !deleteCorpusWithDocuments(deps, corpus)) {
          throw new ApiError('CORPUS_NOT_FOUND', `Corpus ${body.corpusId} does not exist.`);
        }
        return { json: { status: okStatus() } };
      },
    }),
    defineRoute({
      method: 'POST',
      path: '/v1/list-corpora',
      access: 'owner',
      body: body(v1ListCorporaSchema),
      handle({ caller, body }) {
        const filter = body.filter?.toLowerCase() ?? '';
        const all = deps.corpora
          .list(caller.customerId)
          .filter(
            (c) =>
              c.name.toLowerCase().includes(filter) ||
              c.description.toLowerCase().includes(filter) ||
              c.key.toLowerCase().includes(filter),
          );
        const offset = decodePageKey(body.pageKey);
        const size = body.numResults ?? 100;
        const page = all.slice(offset, offset + size);
        return {
          json: {
            corpus: page.map((c) => ({
              id: c.corpusId,
              name: c.name,
              description: c.description,
              dtProvision: String(Math.floor(c.createdAt / 1000)),
              enabled: c.enabled,
              documentCount: deps.engine.countDocuments(c),
              // Searchgate additions: the v2 key, and the Vectara corpus it is linked to.
              key: c.key,
              ...(c.upstreamCorpusKey ? { upstreamCorpusKey: c.upstreamCorpusKey } : {}),
            })),
            pageKey: offset + size < all.length ? encodePageKey(offset + size) : '',
            status: okStatus(),
          },
        };
      },
    }),
  ];
}
