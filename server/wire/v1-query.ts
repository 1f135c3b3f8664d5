import { z } from 'zod';
import { boundedInt, wireId, wireLimits } from './wire-values.ts';

/**
 * Vectara REST API v1 query (`POST /v1/query`), as `vectara-v1-openapi.yaml` has it. Keys arrive
 * in camelCase (snake_case is normalised first), integers as numbers or numeric strings.
 */

export const v1CorpusKeySchema = z.looseObject({
  customerId: wireId().optional(),
  corpusId: wireId(),
  metadataFilter: z.string().max(wireLimits.maxFilterLength).optional(),
  semantics: z.enum(['DEFAULT', 'QUERY', 'RESPONSE', 'default', 'query', 'response']).optional(),
  lexicalInterpolationConfig: z
    .looseObject({ lambda: z.number().min(0).max(1).optional() })
    .optional(),
});

export const v1ContextConfigSchema = z.looseObject({
  charsBefore: boundedInt(0, wireLimits.maxContextCharacters).optional(),
  charsAfter: boundedInt(0, wireLimits.maxContextCharacters).optional(),
  sentencesBefore: boundedInt(0, wireLimits.maxContextSentences).optional(),
  sentencesAfter: boundedInt(0, wireLimits.maxContextSentences).optional(),
  startTag: z.string().max(wireLimits.maxTagLength).optional(),
  endTag: z.string().max(wireLimits.maxTagLength).optional(),
});

/** v1 reranker ids: MMR, and Vectara's multilingual cross-attention reranker. */
export const v1RerankerIds = { mmr: 272725718, multilingual: 272725717 } as const;

export const v1RerankingConfigSchema = z.looseObject({
  rerankerId: wireInt64(),
  mmrConfig: z.looseObject({ diversityBias: z.number().min(0).max(1).optional() }).optional(),
});

export const v1SummarySchema = z.looseObject({
  summarizerPromptName: z.string().max(200).optional(),
  maxSummarizedResults: boundedInt(0, wireLimits.maxResultsPerQuery).optional(),
  responseLang: z.string().max(8).optional(),
  promptText: z.string().max(20_000).optional(),
  factualConsistencyScore: z.boolean().optional(),
});

export const v1QueryItemSchema = z
  .looseObject({
    // v1 allowed longer texts than v2's 5 000; only the first words are ever searched.
    query: z.string({ error: 'expected the query text' }).max(10_000, {
      error: 'longer than 10 000 characters',
    }),
    start: boundedInt(0, wireLimits.maxResultDepth).optional(),
    numResults: boundedInt(1, wireLimits.maxResultsPerQuery).optional(),
    contextConfig: v1ContextConfigSchema.optional(),
    corpusKey: z
      .array(v1CorpusKeySchema)
      .min(1, { error: 'name at least one corpus' })
      .max(wireLimits.maxCorporaPerQuery, {
        error: `at most ${wireLimits.maxCorporaPerQuery} corpora per query`,
      }),
    rerankingConfig: v1RerankingConfigSchema.optional(),
    summary: z.array(v1SummarySchema).max(1).optional(),
  })
  .refine((item) => (item.start ?? 0) + (item.numResults ?? 10) <= wireLimits.maxResultDepth, {
    error: `start + numResults must be at most ${wireLimits.maxResultDepth}`,
    path: ['start'],
  });

export const v1BatchQuerySchema = z.looseObject({
  query: z
    .array(v1QueryItemSchema)
    .min(1, { error: 'send at least one query' })
    .max(wireLimits.maxQueriesPerBatch, {
      error: `at most ${wireLimits.maxQueriesPerBatch} queries per request`,
    }),
});

export type V1QueryItem = z.output<typeof v1QueryItemSchema>;
export type V1BatchQuery = z.input<typeof v1BatchQuerySchema>;

/** `{ name, value }` metadata, as v1 answers it. */
export interface V1Attribute {
  name: string;
  value: string;
}

export interface V1Status {
  code: string;
  statusDetail: string;
}

export interface V1ResponseSet {
  response: Array<{
    text: string;
    score: number;
    metadata: V1Attribute[];
    documentIndex: number;
    corpusKey: { customerId: number; corpusId: number };
  }>;
  status: V1Status[];
  document: Array<{ id: string; metadata: V1Attribute[] }>;
  summary?: Array<{
    text: string;
    lang: string;
    status: V1Status[];
    futureId: number;
    done: boolean;
    factualConsistency?: { score: number };
  }>;
  futureId: number;
}

export interface V1BatchQueryResponse {
  responseSet: V1ResponseSet[];
  status: V1Status[];
}

/** v1 reranker ids are int64: a number or a numeric string. */
function wireInt64() {
  return z.preprocess(
    (value) => (typeof value === 'string' && /^\d{1,16}$/.test(value) ? Number(value) : value),
    z.number({ error: 'expected a reranker id' }).int(),
  );
}
