/**
 * Judged queries for the relevance benchmark: what a visitor types into a docs site's search box
 * and the pages that answer it (paths relative to the site root, without `.html`). Written from
 * knowledge of the docs, before any tuning. Each kind is split in two halves by position (even:
 * tuned on, odd: held out), so both halves have the same mix of plain, prefix and typo queries.
 */

export type QueryKind = 'plain' | 'prefix' | 'typo';
export type QueryHalf = 'tuned' | 'held-out';

export interface JudgedQuery {
  query: string;
  /** Pages that answer the query, as alternatives: the first found counts. */
  relevant: string[];
  kind: QueryKind;
  half: QueryHalf;
}

type Judgement = [query: string, relevant: string[]];

/** Builds a site's query list; halves alternate within each kind. */
export function judgedQueries(groups: Record<QueryKind, Judgement[]>): JudgedQuery[] {
  const all: JudgedQuery[] = [];
  for (const kind of ['plain', 'prefix', 'typo'] as const) {
    groups[kind].forEach(([query, relevant], index) => {
      all.push({ query, relevant, kind, half: index % 2 === 0 ? 'tuned' : 'held-out' });
    });
  }
  return all;
}
