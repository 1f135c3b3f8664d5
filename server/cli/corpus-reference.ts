import type { V2Corpus } from '../wire/v2-corpora.ts';
import { UsageError } from './cli-io.ts';
import { ClientError } from './client-error.ts';

/**
 * How the CLI names a corpus: by its key (`docs`), or by its id (`3` or `crp_3`, the number v1
 * calls `corpusId`). Resolved through the account's corpus list, so v2 routes get keys.
 */

/** The number in `crp_3`, the id v1 routes and `searchgate index` take. */
export const numericCorpusId = (corpus: Pick<V2Corpus, 'id'>): number =>
  Number(corpus.id.replace(/^crp_/, ''));

/** The id a reference names when it is a number (`7`, `crp_7`); undefined for a key. */
export function idInReference(reference: string): number | undefined {
  const digits = /^(?:crp_)?(\d{1,15})$/.exec(reference)?.[1];
  return digits === undefined ? undefined : Number(digits);
}

export function resolveCorpus(corpora: readonly V2Corpus[], reference: string): V2Corpus {
  const byKey = corpora.find((c) => c.key === reference);
  const id = idInReference(reference);
  const byId = id === undefined ? undefined : corpora.find((c) => numericCorpusId(c) === id);
  if (byKey && byId && byKey !== byId) {
    throw new UsageError(
      `corpus "${reference}" is ambiguous: the key of ${byKey.id} and the id of "${byId.key}"; write ${byId.id} for the id`,
    );
  }
  const found = byKey ?? byId;
  if (!found) {
    // Status 0: the list answered; no request was refused.
    throw new ClientError(
      0,
      'CORPUS_NOT_FOUND',
      `no corpus with key or id "${reference}" in this account`,
    );
  }
  return found;
}

/** Several references to distinct corpora, in the order given. */
export function resolveCorpora(
  corpora: readonly V2Corpus[],
  references: readonly string[],
): V2Corpus[] {
  return [...new Set(references.map((reference) => resolveCorpus(corpora, reference)))];
}
