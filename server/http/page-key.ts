import { ApiError } from '../errors.ts';

/** List calls page with an opaque `pageKey` (v2 `page_key`); ours encodes an offset. */
export const encodePageKey = (offset: number): string =>
  Buffer.from(`o:${offset}`, 'utf8').toString('base64');

export function decodePageKey(pageKey: string | undefined): number {
  if (!pageKey) return 0;
  const match = /^o:(\d{1,9})$/.exec(Buffer.from(pageKey, 'base64').toString('utf8'));
  if (!match?.[1])
    throw new ApiError('INVALID_ARGUMENT', 'page key: not a page key from a previous answer.', {
      fieldErrors: { page_key: 'not a page key from a previous answer' },
    });
  return Number(match[1]);
}

/** A `{ code, statusDetail }` entry as v1 responses carry them. */
export const okStatus = (statusDetail = '') => ({ code: 'OK', statusDetail });
