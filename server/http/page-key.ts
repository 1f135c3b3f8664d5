import { ApiError } from '../errors.ts';

/** v1 list calls page with an opaque `pageKey`; ours encodes an offset. */
export const encodePageKey = (offset: number): string =>
  Buffer.from(`o:${offset}`, 'utf8').toString('base64');

export function decodePageKey(pageKey: string | undefined): number {
  if (!pageKey) return 0;
  const match = /^o:(\d{1,9})$/.exec(Buffer.from(pageKey, 'base64').toString('utf8'));
  if (!match?.[1])
    throw new ApiError('INVALID_ARGUMENT', 'pageKey: not a page key from a previous answer.');
  return Number(match[1]);
}
