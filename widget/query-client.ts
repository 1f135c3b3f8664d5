import type { QueryConfig } from './query-config.ts';
import { errorFromResponse, SearchError } from './search-error.ts';
import type { SearchHit } from './search-hit.ts';
import { v1Body, v1Hits } from './v1-protocol.ts';
import { v2Body, v2Hits } from './v2-protocol.ts';

/**
 * POSTs a query body to `{endpoint}/v2/query` (`v2`) or `/v1/query`, with the key in
 * `x-api-key`; v1 needs the account in `customer-id`, v2 knows it from the key and checks it
 * only when sent. No cookies: the key is the only credential.
 */
export const postQuery = (
  config: QueryConfig,
  v2: boolean,
  body: unknown,
  signal: AbortSignal,
): Promise<Response> =>
  fetch(`${config.endpoint.replace(/\/+$/, '')}/v${v2 ? 2 : 1}/query`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      'x-api-key': config.apiKey,
      ...(!v2 || config.customerId ? { 'customer-id': config.customerId } : {}),
    },
    body: JSON.stringify(body),
    credentials: 'omit',
    signal,
  });

/**
 * Runs one search: v2 (`/v2/query`) when corpus keys are given, else v1 (`/v1/query`). Throws
 * SearchError, or the AbortError when cancelled.
 */
export const runQuery = async (
  config: QueryConfig,
  query: string,
  signal: AbortSignal,
): Promise<SearchHit[]> => {
  const v2 = config.corpusKeys.length > 0;
  let response: Response;
  try {
    response = await postQuery(
      config,
      v2,
      v2 ? v2Body(config, query) : v1Body(config, query),
      signal,
    );
  } catch (error) {
    if (signal.aborted) throw error;
    throw new SearchError('NETWORK', 0);
  }
  const body = await response.json().catch(() => undefined);
  if (!response.ok) throw errorFromResponse(response, body);
  const hits = v2 ? v2Hits(body) : v1Hits(body);
  if (!hits) throw new SearchError('BAD_RESPONSE', response.status);
  return hits;
};
