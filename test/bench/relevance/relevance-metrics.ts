import type { JudgedQuery } from './judged-queries.ts';

/** What one engine returned for one query: page ids, best first. */
export type RankedPages = string[];

export interface RelevanceScores {
  queries: number;
  /** Mean reciprocal rank of the first relevant page in the top 10 (0 when none). */
  mrrAt10: number;
  /**
   * Share of queries with a relevant page in the top 5. A query's relevant pages are
   * alternatives (any one answers it), so finding one is finding the answer.
   */
  recallAt5: number;
}

export function scoreQueries(
  judged: JudgedQuery[],
  results: Map<string, RankedPages>,
): RelevanceScores {
  let reciprocal = 0;
  let recall = 0;
  for (const query of judged) {
    const pages = results.get(query.query) ?? [];
    const relevant = new Set(query.relevant);
    const first = pages.slice(0, 10).findIndex((page) => relevant.has(page));
    if (first >= 0) reciprocal += 1 / (first + 1);
    if (first >= 0 && first < 5) recall += 1;
  }
  const count = judged.length;
  return {
    queries: count,
    mrrAt10: count === 0 ? 0 : reciprocal / count,
    recallAt5: count === 0 ? 0 : recall / count,
  };
}

/** Pages in first-seen order, each once: section hits of one page count as one result. */
export function distinctPages(pages: string[]): RankedPages {
  return [...new Set(pages)];
}
