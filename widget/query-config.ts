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

/** A filter the visitor can pick: a label and a metadata filter expression. */
export interface VisitorFilter {
  label: string;
  filter: string;
}

/** `Guides: doc.type = 'guide'; Blog: doc.type = 'blog'` → two filters (`;` between them). */
export const parseFilters = (value: string): VisitorFilter[] =>
  value.split(';').flatMap((item) => {
    const colon = item.indexOf(':');
    const label = item.slice(0, colon).trim();
    const filter = item.slice(colon + 1).trim();
    return colon > 0 && label && filter ? [{ label, filter }] : [];
  });

/** Both must hold: the owner's filter and the visitor's. */
export const allOf = (...filters: string[]): string =>
  filters
    .filter(Boolean)
    .map((filter, _, all) => (all.length > 1 ? `(${filter})` : filter))
    .join(' and ');
