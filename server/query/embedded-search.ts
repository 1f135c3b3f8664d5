import type { FtsEngine } from '../search/fts-engine.ts';
import type { SearchHit, SearchResult } from '../search/search-types.ts';
import {
  type IndividualSearchResult,
  type QueryFullResponse,
  queryWarnings,
} from '../wire/v2-query.ts';
import { type CorpusQuery, type QueryInput, wantsSummary } from './query-input.ts';

/** Rerankers the embedded engine runs; others are accepted and reported in `warnings`. */
const embeddedRerankers = new Set(['none', 'mmr']);

/**
 * Runs a query on the embedded engine and answers in v2's shape. Corpora that carry their own
 * query text are searched apart and merged by score (scores are comparable: one BM25 index).
 * Synchronous and bounded: the engine caps each search, the caller caps the request.
 */
export function searchEmbedded(engine: FtsEngine, input: QueryInput): QueryFullResponse {
  const groups = new Map<string, CorpusQuery[]>();
  for (const corpus of input.corpora) {
    const text = corpus.query ?? input.query;
    groups.set(text, [...(groups.get(text) ?? []), corpus]);
  }
  const single = groups.size === 1;
  const found: Array<{ hit: SearchHit; documentMetadata: Record<string, unknown> }> = [];
  for (const [text, corpora] of groups) {
    const result = engine.search({
      query: text,
      corpora: corpora.map(({ corpus, metadataFilter }) => ({
        customerId: corpus.customerId,
        corpusId: corpus.corpusId,
        ...(metadataFilter?.trim() ? { metadataFilter } : {}),
      })),
      // Several groups are merged, so each must bring everything up to the page's end.
      start: single ? input.offset : 0,
      numResults: single ? input.limit : input.offset + input.limit,
      context: input.context,
      ...(input.reranker?.type === 'mmr'
        ? { reranker: { type: 'mmr' as const, diversityBias: input.reranker.diversity_bias ?? 0 } }
        : {}),
    });
    found.push(...withDocuments(result));
  }
  const page = single
    ? found
    : found
        .sort((a, b) => b.hit.score - a.hit.score)
        .slice(input.offset, input.offset + input.limit);

  const warnings: string[] = [];
  if (wantsSummary(input.generation)) warnings.push(queryWarnings.summaryNeedsCompanion);
  const reranker = input.reranker?.type;
  if (reranker && !embeddedRerankers.has(reranker))
    warnings.push(queryWarnings.rerankerNotRun(reranker));

  return {
    search_results: page.map(({ hit, documentMetadata }) =>
      toSearchResult(hit, documentMetadata, input),
    ),
    ...(warnings.length > 0 ? { warnings } : {}),
  };
}

function withDocuments(result: SearchResult) {
  return result.hits.map((hit, i) => ({
    hit,
    documentMetadata: result.documents[result.documentIndex[i] ?? -1]?.metadata ?? {},
  }));
}

function toSearchResult(
  hit: SearchHit,
  documentMetadata: Record<string, unknown>,
  input: QueryInput,
): IndividualSearchResult {
  const index = input.corpora.findIndex((c) => c.corpus.corpusId === hit.corpus.corpusId);
  return {
    text: hit.text,
    score: hit.score,
    part_metadata: { ...hit.metadata },
    document_metadata: { ...documentMetadata },
    document_id: hit.documentId,
    request_corpora_index: Math.max(0, index),
  };
}
