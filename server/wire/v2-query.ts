import { z } from 'zod';
import type { ErrorCode } from '../errors.ts';
import { boundedInt, corpusKey, wireLimits } from './wire-values.ts';

/**
 * Vectara REST API v2 query: `POST /v2/query`, `POST|GET /v2/corpora/{corpus_key}/query`.
 * Names and shapes follow `vectara-v2-openapi.yaml` (QueryRequest, QueryFullResponse and the
 * streamed events). Searchgate only bounds what the spec leaves open (limits, lengths).
 */

export const contextConfigurationSchema = z.object({
  characters_before: boundedInt(0, wireLimits.maxContextCharacters).optional(),
  characters_after: boundedInt(0, wireLimits.maxContextCharacters).optional(),
  sentences_before: boundedInt(0, wireLimits.maxContextSentences).optional(),
  sentences_after: boundedInt(0, wireLimits.maxContextSentences).optional(),
  start_tag: z.string().max(wireLimits.maxTagLength).optional(),
  end_tag: z.string().max(wireLimits.maxTagLength).optional(),
});

/** Reranker types of the spec; Searchgate runs `none` and `mmr`, and reports the others. */
export const rerankerTypes = ['none', 'mmr', 'customer_reranker', 'userfn', 'chain'] as const;

export const rerankerSchema = z.looseObject({
  type: z.enum(rerankerTypes, { error: `expected one of ${rerankerTypes.join(', ')}` }),
  /** mmr: 0 = relevance only, 1 = diversity only. */
  diversity_bias: z
    .number()
    .min(0, { error: 'must be between 0 and 1' })
    .max(1, { error: 'must be between 0 and 1' })
    .optional(),
  limit: boundedInt(1, wireLimits.maxResultDepth).optional(),
  cutoff: z.number().optional(),
});

/** SearchCorpus: what can be set per corpus. */
const searchCorpusFields = {
  metadata_filter: z.string().max(wireLimits.maxFilterLength).optional(),
  lexical_interpolation: z.number().min(0).max(1).optional(),
  semantics: z.enum(['default', 'query', 'response']).optional(),
  custom_dimensions: z.record(z.string(), z.number()).optional(),
};

export const keyedSearchCorpusSchema = z.object({
  corpus_key: corpusKey(),
  /** Searches this corpus with other words than the request's `query`. */
  query: z.string().max(wireLimits.maxQueryLength).optional(),
  ...searchCorpusFields,
});

/** Paging stops at `maxResultDepth`: a page may not reach past it. */
const withinDepth = (search: { offset?: number | undefined; limit?: number | undefined }) =>
  (search.offset ?? 0) + (search.limit ?? 10) <= wireLimits.maxResultDepth;
const depthError = {
  error: `offset + limit must be at most ${wireLimits.maxResultDepth}`,
  path: ['offset'],
};

const searchParametersFields = {
  offset: boundedInt(0, wireLimits.maxResultDepth).optional(),
  limit: boundedInt(1, wireLimits.maxResultsPerQuery).optional(),
  context_configuration: contextConfigurationSchema.optional(),
  reranker: rerankerSchema.optional(),
};

/** GenerationParameters: checked for shape only; the embedded engine cannot generate. */
export const generationSchema = z.looseObject({
  enabled: z.boolean().optional(),
  generation_preset_name: z.string().min(1).max(200).optional(),
  prompt_name: z.string().min(1).max(200).optional(),
  max_used_search_results: boundedInt(0, wireLimits.maxResultsPerQuery).optional(),
  prompt_template: z.string().max(20_000).optional(),
  max_response_characters: boundedInt(0, 100_000).optional(),
  response_language: z.string().max(8).optional(),
  model_parameters: z.looseObject({}).optional(),
  citations: z
    .looseObject({ style: z.enum(['none', 'numeric', 'html', 'markdown']).optional() })
    .optional(),
  enable_factual_consistency_score: z.boolean().optional(),
});

const queryText = z
  .string({ error: 'expected the query text' })
  .max(wireLimits.maxQueryLength, { error: `longer than ${wireLimits.maxQueryLength} characters` });

const commonQueryFields = {
  query: queryText,
  generation: generationSchema.optional(),
  stream_response: z.boolean().optional(),
  save_history: z.boolean().optional(),
  intelligent_query_rewriting: z.boolean().optional(),
};

/** `POST /v2/query`. */
export const queryRequestSchema = z.object({
  ...commonQueryFields,
  search: z
    .object({
      corpora: z
        .array(keyedSearchCorpusSchema)
        .min(1, { error: 'name at least one corpus' })
        .max(wireLimits.maxCorporaPerQuery, {
          error: `at most ${wireLimits.maxCorporaPerQuery} corpora per query`,
        }),
      ...searchParametersFields,
    })
    .refine(withinDepth, depthError),
});

/** `POST /v2/corpora/{corpus_key}/query`: one corpus, named in the path. */
export const queryCorpusRequestSchema = z.object({
  ...commonQueryFields,
  search: z
    .object({ ...searchCorpusFields, ...searchParametersFields })
    .refine(withinDepth, depthError)
    .optional(),
});

/** `GET /v2/corpora/{corpus_key}/query?query=…&limit=…&offset=…` (`q` is accepted too). */
export const queryCorpusParametersSchema = z.preprocess(
  (params) =>
    typeof params === 'object' && params !== null && !('query' in params) && 'q' in params
      ? { ...params, query: (params as { q: unknown }).q }
      : params,
  z.object({
    query: queryText,
    limit: boundedInt(1, wireLimits.maxResultsPerQuery).optional(),
    offset: boundedInt(0, wireLimits.maxResultDepth).optional(),
    save_history: z.stringbool().optional(),
    intelligent_query_rewriting: z.stringbool().optional(),
  }),
);

export type QueryRequest = z.input<typeof queryRequestSchema>;
export type ParsedQueryRequest = z.output<typeof queryRequestSchema>;
export type QueryCorpusRequest = z.input<typeof queryCorpusRequestSchema>;
export type KeyedSearchCorpus = z.input<typeof keyedSearchCorpusSchema>;
export type ContextConfiguration = z.input<typeof contextConfigurationSchema>;
export type GenerationParameters = z.input<typeof generationSchema>;
export type SearchReranker = z.input<typeof rerankerSchema>;
/** As the server holds them once parsed (numbers are numbers). */
export type ParsedGeneration = z.output<typeof generationSchema>;
export type ParsedReranker = z.output<typeof rerankerSchema>;

/** `IndividualSearchResult`. */
export interface IndividualSearchResult {
  text: string;
  score: number;
  part_metadata: Record<string, unknown>;
  document_metadata: Record<string, unknown>;
  document_id: string;
  /** Index into the request's `search.corpora`. */
  request_corpora_index: number;
}

/**
 * Searchgate's warnings, beside the spec's QueryWarning values: the embedded engine cannot
 * generate summaries, and rerankers other than `none` and `mmr` are not run.
 */
export const queryWarnings = {
  summaryNeedsCompanion:
    'summaries need companion mode: this server searches its own index, which cannot generate a summary; the search results are complete',
  rerankerNotRun: (type: string) =>
    `reranker ${type} is not available on this server; results are in relevance order`,
} as const;

/** `QueryFullResponse`. */
export interface QueryFullResponse {
  summary?: string;
  response_language?: string;
  search_results: IndividualSearchResult[];
  factual_consistency_score?: number;
  rendered_prompt?: string;
  warnings?: string[];
  rewritten_queries?: Array<Record<string, unknown>>;
}

/** `QueryStreamedResponse`: one server-sent event each, `event: <type>` and `data: <json>`. */
export type QueryStreamEvent =
  | {
      type: 'search_results';
      search_results: IndividualSearchResult[];
      /** Searchgate addition: the same warnings a full response carries. */
      warnings?: string[];
    }
  | { type: 'generation_chunk'; generation_chunk: string }
  | { type: 'generation_end' }
  | { type: 'generation_info'; rendered_prompt?: string; rephrased_query?: string }
  | { type: 'factual_consistency_score'; factual_consistency_score: number }
  | {
      type: 'error';
      messages: string[];
      /** Searchgate addition: the stable code, as in error bodies. */
      code?: ErrorCode;
    }
  | { type: 'end' };

export type QueryStreamEventType = QueryStreamEvent['type'];
