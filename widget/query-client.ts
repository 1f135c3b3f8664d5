import { MARK_END, MARK_START } from './highlight.ts';

/** The part of a Vectara v1 query response the widget reads. */
export interface MetadataEntry {
  name: string;
  value: string;
}

export interface ResponseHit {
  text: string;
  score: number;
  metadata?: MetadataEntry[];
  documentIndex: number;
}

export interface ResponseSet {
  response?: ResponseHit[];
  document?: Array<{ id: string; metadata?: MetadataEntry[] }>;
}

export interface QueryConfig {
  endpoint: string;
  apiKey: string;
  customerId: string;
  corpusIds: number[];
  numResults: number;
  metadataFilter: string;
}

/** A failed search; `code` is the server's error code, or NETWORK / HTTP_<status> when it sent none. */
export class SearchError extends Error {
  readonly code: string;
  readonly status: number;
  /** Seconds from `Retry-After`, 0 when absent. */
  readonly retryAfter: number;

  constructor(code: string, status: number, retryAfter = 0) {
    super(code);
    this.code = code;
    this.status = status;
    this.retryAfter = retryAfter;
  }
}

export const parseCorpusIds = (value: string): number[] =>
  value
    .split(/[\s,]+/)
    .filter(Boolean)
    .map(Number)
    .filter((id) => Number.isInteger(id) && id > 0);

export const buildQueryBody = (config: QueryConfig, query: string) => {
  const customerId = Number(config.customerId);
  return {
    query: [
      {
        query,
        start: 0,
        numResults: config.numResults,
        contextConfig: {
          sentencesBefore: 0,
          sentencesAfter: 0,
          charsBefore: 80,
          charsAfter: 120,
          startTag: MARK_START,
          endTag: MARK_END,
        },
        corpusKey: config.corpusIds.map((corpusId) => ({
          customerId,
          corpusId,
          ...(config.metadataFilter ? { metadataFilter: config.metadataFilter } : {}),
        })),
      },
    ],
  };
};

/** POSTs one query to `{endpoint}/v1/query`; throws SearchError, or the AbortError when cancelled. */
export const runQuery = async (
  config: QueryConfig,
  query: string,
  signal: AbortSignal,
): Promise<ResponseSet> => {
  let response: Response;
  try {
    response = await fetch(`${config.endpoint.replace(/\/+$/, '')}/v1/query`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        'x-api-key': config.apiKey,
        'customer-id': config.customerId,
      },
      body: JSON.stringify(buildQueryBody(config, query)),
      credentials: 'omit',
      signal,
    });
  } catch (error) {
    if (signal.aborted) throw error;
    throw new SearchError('NETWORK', 0);
  }
  const body = (await response.json().catch(() => undefined)) as
    | { error?: { code?: string }; responseSet?: ResponseSet[] }
    | undefined;
  if (!response.ok) {
    const retryAfter = Number(response.headers.get('retry-after'));
    throw new SearchError(
      body?.error?.code ?? `HTTP_${response.status}`,
      response.status,
      Math.max(retryAfter || 0, 0),
    );
  }
  const set = body?.responseSet?.[0];
  if (!set) throw new SearchError('BAD_RESPONSE', response.status);
  return set;
};
