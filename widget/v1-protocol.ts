import type { V1Attribute, V1BatchQuery, V1BatchQueryResponse } from '../server/wire/v1-query.ts';
import { MARK_END, MARK_START } from './highlight.ts';
import type { QueryConfig } from './query-config.ts';
import { hitFrom, type SearchHit } from './search-hit.ts';

/** Vectara REST v1 (`corpus-id`): `POST /v1/query` with `customer-id`, numeric corpus ids. */
export const v1Body = (config: QueryConfig, query: string): V1BatchQuery => {
  const customerId = Number(config.customerId);
  return {
    query: [
      {
        query,
        start: config.offset,
        numResults: config.numResults,
        contextConfig: {
          sentencesBefore: 0,
          sentencesAfter: 0,
          charsBefore: 80,
          charsAfter: 120,
          startTag: MARK_START,
          endTag: MARK_END,
        },
        corpusKey: config.corpusIds.map((corpusId) => ({
          customerId,
          corpusId,
          ...(config.metadataFilter ? { metadataFilter: config.metadataFilter } : {}),
        })),
      },
    ],
  };
};

const record = (list: V1Attribute[] | undefined): Record<string, unknown> =>
  Object.fromEntries((list ?? []).map((entry) => [entry.name, entry.value]));

/** The hits of the first response set; undefined when the answer has none (not a v1 answer). */
export const v1Hits = (answer: V1BatchQueryResponse | undefined): SearchHit[] | undefined => {
  const set = answer?.responseSet?.[0];
  if (!set) return undefined;
  return (set.response ?? []).map((hit) => {
    const document = set.document?.[hit.documentIndex];
    return hitFrom(
      String(hit.documentIndex),
      document?.id ?? '',
      record(hit.metadata),
      record(document?.metadata),
      hit.text,
      hit.score,
    );
  });
};
