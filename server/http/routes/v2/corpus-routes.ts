import type { Corpus, CorpusStore } from '../../../accounts/corpus-store.ts';
import type { SqliteDatabase } from '../../../db/open-database.ts';
import { ApiError } from '../../../errors.ts';
import type { FtsEngine } from '../../../search/fts-engine.ts';
import {
  createCorpusRequestSchema,
  type ListCorporaResponse,
  listCorporaParametersSchema,
  type V2Corpus,
} from '../../../wire/v2-corpora.ts';
import { corpusForCaller, pathCorpusKey } from '../../corpus-access.ts';
import { decodePageKey, encodePageKey } from '../../page-key.ts';
import { bodyLimits, defineRoute, type Route } from '../../route.ts';
import { deleteCorpusWithDocuments } from '../corpus-deletion.ts';

/** A link to Vectara needs a server that knows where Vectara is. */
export function checkUpstreamLink(
  upstreamCorpusKey: string | undefined,
  upstreamConfigured: boolean,
  field: string,
): void {
  if (upstreamCorpusKey !== undefined && !upstreamConfigured) {
    throw new ApiError(
      'INVALID_ARGUMENT',
      `${field}: this server is not in front of a Vectara account (set UPSTREAM_URL and UPSTREAM_API_KEY first).`,
      { fieldErrors: { [field]: 'needs UPSTREAM_URL' } },
    );
  }
}

export function v2CorpusView(corpus: Corpus, engine: FtsEngine): V2Corpus {
  return {
    id: `crp_${corpus.corpusId}`,
    key: corpus.key,
    name: corpus.name,
    description: corpus.description,
    enabled: corpus.enabled,
    created_at: new Date(corpus.createdAt).toISOString(),
    limits: { used_docs: corpus.upstreamCorpusKey ? 0 : engine.countDocuments(corpus) },
    ...(corpus.upstreamCorpusKey ? { upstream_corpus_key: corpus.upstreamCorpusKey } : {}),
  };
}

/** `POST`/`GET /v2/corpora`, `GET`/`DELETE /v2/corpora/{corpus_key}`: the owner's corpora. */
export function v2CorpusRoutes(deps: {
  db: SqliteDatabase;
  corpora: CorpusStore;
  engine: FtsEngine;
  upstreamConfigured: boolean;
}): Route[] {
  const ownCorpus = (customerId: number, params: Record<string, string>) =>
    corpusForCaller({ kind: 'owner', customerId }, deps.corpora, { key: pathCorpusKey(params) });
  return [
    defineRoute({
      method: 'POST',
      path: '/v2/corpora',
      access: 'owner',
      body: { limit: bodyLimits.owner, schema: createCorpusRequestSchema },
      handle({ caller, body }) {
        checkUpstreamLink(body.upstream_corpus_key, deps.upstreamConfigured, 'upstream_corpus_key');
        const created = deps.corpora.create(caller.customerId, {
          key: body.key,
          name: body.name ?? body.key,
          description: body.description,
          upstreamCorpusKey: body.upstream_corpus_key,
        });
        if (!created) {
          throw new ApiError('ALREADY_EXISTS', `A corpus with key ${body.key} already exists.`);
        }
        return { status: 201, json: v2CorpusView(created, deps.engine) };
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/v2/corpora',
      access: 'owner',
      query: listCorporaParametersSchema,
      handle({ caller, query }) {
        const filter = query.filter?.toLowerCase() ?? '';
        const all = deps.corpora
          .list(caller.customerId)
          .filter(
            (c) => c.key.toLowerCase().includes(filter) || c.name.toLowerCase().includes(filter),
          );
        const offset = decodePageKey(query.page_key);
        const limit = query.limit ?? 10;
        const answer: ListCorporaResponse = {
          corpora: all.slice(offset, offset + limit).map((c) => v2CorpusView(c, deps.engine)),
          metadata: offset + limit < all.length ? { page_key: encodePageKey(offset + limit) } : {},
        };
        return { json: answer };
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/v2/corpora/:corpus_key',
      access: 'owner',
      handle({ caller, params }) {
        return { json: v2CorpusView(ownCorpus(caller.customerId, params), deps.engine) };
      },
    }),
    defineRoute({
      method: 'DELETE',
      path: '/v2/corpora/:corpus_key',
      access: 'owner',
      handle({ caller, params }) {
        const corpus = ownCorpus(caller.customerId, params);
        if (!deleteCorpusWithDocuments(deps, corpus)) {
          throw new ApiError(
            'CORPUS_NOT_FOUND',
            `Corpus ${JSON.stringify(corpus.key)} does not exist.`,
          );
        }
        return { status: 204 };
      },
    }),
  ];
}
