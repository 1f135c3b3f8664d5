import type { Corpus, CorpusStore } from '../accounts/corpus-store.ts';
import { ApiError } from '../errors.ts';
import { corpusKeyPattern } from '../wire/wire-values.ts';
import type { Principal } from './principal.ts';

/** A corpus as a request names it: v1 by numeric id, v2 by key. */
export type CorpusRef = { id: number } | { key: string };

const describe = (ref: CorpusRef) => ('id' in ref ? String(ref.id) : JSON.stringify(ref.key));

/**
 * The corpus a caller may use, or the refusal: an API key reaches only the corpora it is bound
 * to (and learns nothing about others), the owner reaches every corpus of the account.
 */
export function corpusForCaller(caller: Principal, corpora: CorpusStore, ref: CorpusRef): Corpus {
  const corpus =
    'id' in ref
      ? corpora.get(caller.customerId, ref.id)
      : corpora.getByKey(caller.customerId, ref.key);
  if (caller.kind === 'key') {
    const boundId = 'id' in ref ? ref.id : corpus?.corpusId;
    if (boundId === undefined || !caller.key.corpusIds.includes(boundId)) {
      throw new ApiError('CORPUS_NOT_ALLOWED', `The API key may not use corpus ${describe(ref)}.`);
    }
  }
  if (!corpus) throw new ApiError('CORPUS_NOT_FOUND', `Corpus ${describe(ref)} does not exist.`);
  return corpus;
}

/** A corpus key from a path, checked like one from a body. */
export function pathCorpusKey(params: Record<string, string>): string {
  const key = params.corpus_key ?? '';
  if (!corpusKeyPattern.test(key)) {
    throw new ApiError(
      'INVALID_ARGUMENT',
      'corpus_key: must be 1–50 letters, digits, "_", "=" or "-".',
      {
        fieldErrors: { corpus_key: 'must be 1–50 letters, digits, "_", "=" or "-"' },
      },
    );
  }
  return key;
}
