import type { Corpus } from '../accounts/corpus-store.ts';
import { ApiError } from '../errors.ts';
import type { ContextConfig } from '../search/search-types.ts';
import type { ParsedGeneration, ParsedReranker } from '../wire/v2-query.ts';

/** One corpus of a query, already resolved and checked against the caller. */
export interface CorpusQuery {
  corpus: Corpus;
  /** This corpus's own query text (v2 `search.corpora[].query`), else the request's. */
  query?: string | undefined;
  metadataFilter?: string | undefined;
  lexicalInterpolation?: number | undefined;
  semantics?: 'default' | 'query' | 'response' | undefined;
  customDimensions?: Record<string, number> | undefined;
}

/**
 * A query as Searchgate runs it, whichever API it came in through: v2's fields, with corpora
 * resolved. v1 batches become one of these per query (v1-translation.ts).
 */
export interface QueryInput {
  query: string;
  corpora: CorpusQuery[];
  offset: number;
  limit: number;
  context: ContextConfig;
  /** The v2 context configuration as sent (forwarded upstream unchanged). */
  contextConfiguration?: Record<string, unknown> | undefined;
  reranker?: ParsedReranker | undefined;
  /** Present when a generated summary is asked for (and not `enabled: false`). */
  generation?: ParsedGeneration | undefined;
  /** Fields passed to Vectara unchanged in companion mode. */
  passThrough?: { save_history?: boolean; intelligent_query_rewriting?: boolean } | undefined;
}

/** Context around each match, from v2's `context_configuration`. */
export function contextFromV2(config: Record<string, unknown> | undefined): ContextConfig {
  const number = (name: string) =>
    typeof config?.[name] === 'number' ? (config[name] as number) : 0;
  const text = (name: string) =>
    typeof config?.[name] === 'string' ? (config[name] as string) : '';
  return {
    charsBefore: number('characters_before'),
    charsAfter: number('characters_after'),
    sentencesBefore: number('sentences_before'),
    sentencesAfter: number('sentences_after'),
    startTag: text('start_tag'),
    endTag: text('end_tag'),
  };
}

/** A summary is asked for when `generation` is sent and not turned off. */
export const wantsSummary = (generation: ParsedGeneration | undefined): boolean =>
  generation !== undefined && generation.enabled !== false;

/** A corpus named twice in one query would be searched twice with two filters: refused. */
export function distinctCorpora<T extends { corpus: Corpus }>(corpora: T[], field: string): T[] {
  const seen = new Set<number>();
  corpora.forEach(({ corpus }, i) => {
    if (seen.has(corpus.corpusId)) {
      throw new ApiError(
        'INVALID_ARGUMENT',
        `${field}[${i}]: corpus ${corpus.key} is named twice.`,
        {
          fieldErrors: { [`${field}[${i}]`]: 'this corpus is named twice' },
        },
      );
    }
    seen.add(corpus.corpusId);
  });
  return corpora;
}
