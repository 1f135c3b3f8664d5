import { benchWorkload } from './search-latency.ts';

/** The throughput benchmark's corpus: the search benchmark's generator at 10 000 sections. */
export const throughputCorpus = () =>
  benchWorkload({ documents: 2_000, sectionsPerDocument: 5, queries: 50_000 });

/** Its query mix, in generation order (the same seed, so the words match the corpus). */
export function throughputQueries(): string[] {
  const workload = throughputCorpus();
  for (const _ of workload.batches()) {
    // the queries come from the same random stream, after the corpus
  }
  return workload.queries().all;
}
