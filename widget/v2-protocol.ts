import type { QueryFullResponse, QueryRequest } from '../server/wire/v2-query.ts';
import { MARK_END, MARK_START } from './highlight.ts';
import type { QueryConfig } from './query-config.ts';
import { hitFrom, type SearchHit } from './search-hit.ts';

/**
 * Vectara REST v2 (`corpus-key`): `POST /v2/query`, as Vectara's own endpoint takes it, so the
 * widget works unchanged against `https://api.vectara.io`.
 */
export const v2Body = (config: QueryConfig, query: string): QueryRequest => ({
  query,
  search: {
    corpora: config.corpusKeys.map((corpus_key) => ({
      corpus_key,
      ...(config.metadataFilter ? { metadata_filter: config.metadataFilter } : {}),
    })),
    offset: config.offset,
    limit: config.numResults,
    context_configuration: {
      characters_before: 80,
      characters_after: 120,
      start_tag: MARK_START,
      end_tag: MARK_END,
    },
  },
});

/** The hits of a `QueryFullResponse`; undefined when the answer is not one. */
export const v2Hits = (answer: QueryFullResponse | undefined): SearchHit[] | undefined => {
  const results = answer?.search_results;
  if (!Array.isArray(results)) return undefined;
  return results.map((hit) =>
    hitFrom(
      // The same document id may exist in two corpora: they are different pages.
      `${hit.request_corpora_index ?? 0}:${hit.document_id}`,
      hit.document_id ?? '',
      hit.part_metadata ?? {},
      hit.document_metadata ?? {},
      hit.text,
      hit.score,
    ),
  );
};
