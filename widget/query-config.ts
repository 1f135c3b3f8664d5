/** What one search needs to know, taken from the element's properties. */
export interface QueryConfig {
  endpoint: string;
  apiKey: string;
  customerId: string;
  /** v2 corpus keys; when there are any, the widget speaks v2. */
  corpusKeys: string[];
  /** v1 corpus ids, used when no corpus key is given. */
  corpusIds: number[];
  numResults: number;
  offset: number;
  metadataFilter: string;
}

/** `docs, blog` → `['docs', 'blog']`; the server names a key it cannot accept. */
export const parseCorpusKeys = (value: string): string[] => value.split(/[\s,]+/).filter(Boolean);

export const parseCorpusIds = (value: string): number[] =>
  parseCorpusKeys(value)
    .map(Number)
    .filter((id) => Number.isInteger(id) && id > 0);
