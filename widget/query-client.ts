import type { QueryConfig } from './query-config.ts';
import { errorFromResponse, SearchError } from './search-error.ts';
import type { SearchHit } from './search-hit.ts';
import { v1Body, v1Hits } from './v1-protocol.ts';
import { v2Body, v2Hits } from './v2-protocol.ts';

export interface QueryAnswer {
  hits: SearchHit[];
  /** Requests left in the tightest rate-limit window (`RateLimit` header), when the server says. */
  remaining: number | undefined;
}

/** The smallest `r=` (draft 8) or `remaining=` (draft 6/7) of a `RateLimit` header. */
const remainingOf = (header: string | null): number | undefined => {
  const counts = [...(header ?? '').matchAll(/\b(?:r|remaining)=(\d+)/g)].map((m) => Number(m[1]));
  return counts.length ? Math.min(...counts) : undefined;
};

/**
 * Runs one search: v2 (`/v2/query`) when corpus keys are given, else v1 (`/v1/query`). Throws
 * SearchError, or the AbortError when cancelled.
 */
export const runQuery = async (
  config: QueryConfig,
  query: string,
  signal: AbortSignal,
): Promise<QueryAnswer> => {
  const v2 = config.corpusKeys.length > 0;
  const headers: Record<string, string> = {
    'Content-Type': 'application/json',
    'x-api-key': config.apiKey,
  };
  // v1 needs the account; v2 knows it from the key, and checks it only when sent.
  if (!v2 || config.customerId) headers['customer-id'] = config.customerId;
  let response: Response;
  try {
    response = await fetch(`${config.endpoint.replace(/\/+$/, '')}/v${v2 ? 2 : 1}/query`, {
      method: 'POST',
      headers,
      body: JSON.stringify(v2 ? v2Body(config, query) : v1Body(config, query)),
      credentials: 'omit',
      signal,
    });
  } catch (error) {
    if (signal.aborted) throw error;
    throw new SearchError('NETWORK', 0);
  }
  const body = await response.json().catch(() => undefined);
  if (!response.ok) throw errorFromResponse(response, body);
  const hits = v2 ? v2Hits(body) : v1Hits(body);
  if (!hits) throw new SearchError('BAD_RESPONSE', response.status);
  return { hits, remaining: remainingOf(response.headers.get('ratelimit')) };
};
