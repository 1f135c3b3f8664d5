import { Router } from 'express';
import { z } from 'zod';
import type { CorpusStore } from '../../accounts/corpus-store.ts';
import { ApiError } from '../../errors.ts';
import type { FtsEngine } from '../../search/fts-engine.ts';
import type { ContextConfig, MetadataValue, SearchResult } from '../../search/search-types.ts';
import type { Principal } from '../request-context.ts';
import { wireId, wireInt } from '../wire-types.ts';

export const maxNumResults = 100;
const maxQueriesPerBatch = 10;
const maxCorporaPerQuery = 10;

const corpusKeySchema = z.looseObject({
  customerId: wireId().optional(),
  corpusId: wireId(),
  metadataFilter: z.string().max(4_096).optional(),
  semantics: z.string().optional(),
  lexicalInterpolationConfig: z.looseObject({ lambda: z.number().optional() }).optional(),
});

const contextConfigSchema = z.looseObject({
  charsBefore: wireInt().pipe(z.number().min(0).max(2_000)).optional(),
  charsAfter: wireInt().pipe(z.number().min(0).max(2_000)).optional(),
  sentencesBefore: wireInt().pipe(z.number().min(0).max(20)).optional(),
  sentencesAfter: wireInt().pipe(z.number().min(0).max(20)).optional(),
  startTag: z.string().max(64).optional(),
  endTag: z.string().max(64).optional(),
});

const queryItemSchema = z.looseObject({
  query: z.string({ error: 'expected the query text' }).max(10_000, {
    error: 'longer than 10 000 characters',
  }),
  start: wireInt().pipe(z.number().min(0).max(10_000)).optional(),
  numResults: wireInt()
    .pipe(
      z
        .number()
        .min(1, { error: 'must be at least 1' })
        .max(maxNumResults, { error: `must be at most ${maxNumResults}` }),
    )
    .optional(),
  contextConfig: contextConfigSchema.optional(),
  corpusKey: z
    .array(corpusKeySchema)
    .min(1, { error: 'name at least one corpus' })
    .max(maxCorporaPerQuery, { error: `at most ${maxCorporaPerQuery} corpora per query` }),
});

const batchSchema = z.looseObject({
  query: z
    .array(queryItemSchema)
    .min(1, { error: 'send at least one query' })
    .max(maxQueriesPerBatch, { error: `at most ${maxQueriesPerBatch} queries per request` }),
});

type QueryItem = z.infer<typeof queryItemSchema>;

/** v1 fields we accept and act on; anything else is answered with an "ignored" status entry. */
const implemented = {
  query: new Set(['query', 'start', 'numResults', 'contextConfig', 'corpusKey']),
  corpusKey: new Set([
    'customerId',
    'corpusId',
    'metadataFilter',
    'semantics',
    'lexicalInterpolationConfig',
  ]),
  contextConfig: new Set([
    'charsBefore',
    'charsAfter',
    'sentencesBefore',
    'sentencesAfter',
    'startTag',
    'endTag',
  ]),
};

function ignoredFields(item: QueryItem): string[] {
  const ignored = Object.keys(item).filter((k) => !implemented.query.has(k));
  item.corpusKey.forEach((ck, i) => {
    for (const k of Object.keys(ck))
      if (!implemented.corpusKey.has(k)) ignored.push(`corpusKey[${i}].${k}`);
  });
  for (const k of Object.keys(item.contextConfig ?? {})) {
    if (!implemented.contextConfig.has(k)) ignored.push(`contextConfig.${k}`);
  }
  return ignored;
}

const attributes = (metadata: Record<string, MetadataValue>) =>
  Object.entries(metadata).map(([name, value]) => ({
    name,
    value: value === null ? '' : String(value),
  }));

function toContext(config: QueryItem['contextConfig']): ContextConfig {
  return {
    charsBefore: config?.charsBefore ?? 0,
    charsAfter: config?.charsAfter ?? 0,
    sentencesBefore: config?.sentencesBefore ?? 0,
    sentencesAfter: config?.sentencesAfter ?? 0,
    startTag: config?.startTag ?? '',
    endTag: config?.endTag ?? '',
  };
}

/** Checks every corpus of a query against the caller before anything is searched. */
function authorizeCorpora(item: QueryItem, principal: Principal, corpora: CorpusStore, at: string) {
  item.corpusKey.forEach((ck, i) => {
    if (ck.customerId !== undefined && ck.customerId !== principal.customerId) {
      throw new ApiError('WRONG_ACCOUNT', `${at}.corpusKey[${i}].customerId is another account.`);
    }
    if (principal.kind === 'key' && !principal.key.corpusIds.includes(ck.corpusId)) {
      throw new ApiError('CORPUS_NOT_ALLOWED', `The API key may not query corpus ${ck.corpusId}.`);
    }
    if (!corpora.get(principal.customerId, ck.corpusId)) {
      throw new ApiError('CORPUS_NOT_FOUND', `Corpus ${ck.corpusId} does not exist.`);
    }
  });
}

function toResponseSet(result: SearchResult, futureId: number, ignored: string[]) {
  return {
    response: result.hits.map((hit, i) => ({
      text: hit.text,
      score: hit.score,
      metadata: attributes(hit.metadata),
      documentIndex: result.documentIndex[i] ?? 0,
      corpusKey: { customerId: hit.corpus.customerId, corpusId: hit.corpus.corpusId },
    })),
    status: ignored.map((field) => ({
      code: 'UNIMPLEMENTED',
      statusDetail: `${field} is not supported by Searchgate and was ignored.`,
    })),
    document: result.documents.map((doc) => ({
      id: doc.documentId,
      metadata: attributes(doc.metadata),
    })),
    futureId,
  };
}

/** POST /v1/query: a batch of queries, one response set each, in order. */
export function queryRoute(deps: { corpora: CorpusStore; engine: FtsEngine }): Router {
  const router = Router();
  router.post('/v1/query', (req, res) => {
    const principal = res.locals.principal;
    if (!principal)
      throw new ApiError('API_KEY_MISSING', 'Send an API key in the x-api-key header.');
    const batch = batchSchema.parse(req.body);
    for (const [i, item] of batch.query.entries()) {
      authorizeCorpora(item, principal, deps.corpora, `query[${i}]`);
    }
    const responseSet = batch.query.map((item, i) => {
      const result = deps.engine.search({
        query: item.query,
        corpora: item.corpusKey.map((ck) => ({
          customerId: principal.customerId,
          corpusId: ck.corpusId,
          ...(ck.metadataFilter?.trim() ? { metadataFilter: ck.metadataFilter } : {}),
        })),
        start: item.start ?? 0,
        numResults: item.numResults ?? 10,
        context: toContext(item.contextConfig),
      });
      return toResponseSet(result, i + 1, ignoredFields(item));
    });
    res.json({ responseSet, status: [] });
  });
  return router;
}
