import { z } from 'zod';
import { boundedInt, corpusKey } from './wire-values.ts';

/** `POST /v2/corpora` (CreateCorpusRequest); `upstream_corpus_key` is Searchgate's (companion). */
export const createCorpusRequestSchema = z.object({
  key: corpusKey(),
  name: z.string().trim().min(1, { error: 'must not be empty' }).max(200).optional(),
  description: z.string().max(2_000).optional(),
  /** Links the corpus to this corpus key on the Vectara account the server stands in front of. */
  upstream_corpus_key: corpusKey().optional(),
});

/** `GET /v2/corpora?limit=&filter=&page_key=`. */
export const listCorporaParametersSchema = z.object({
  limit: boundedInt(1, 100).optional(),
  filter: z.string().max(200).optional(),
  page_key: z.string().max(200).optional(),
});

export type CreateCorpusRequest = z.input<typeof createCorpusRequestSchema>;

/** `Corpus`, with the fields Searchgate has; `upstream_corpus_key` is its addition. */
export interface V2Corpus {
  /** `crp_<numeric id>`: the same number v1 calls `corpusId`. */
  id: string;
  key: string;
  name: string;
  description: string;
  enabled: boolean;
  created_at: string;
  limits: { used_docs: number };
  upstream_corpus_key?: string;
}

export interface ListMetadata {
  /** Pass back to get the next page; absent on the last page. */
  page_key?: string;
}

export interface ListCorporaResponse {
  corpora: V2Corpus[];
  metadata: ListMetadata;
}
