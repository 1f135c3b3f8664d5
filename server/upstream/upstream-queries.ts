import type { Readable } from 'node:stream';
import { z } from 'zod';
import { ApiError, ClientGoneError } from '../errors.ts';
import type { QueryInput } from '../query/query-input.ts';
import type { UpstreamQueries } from '../query/query-service.ts';
import type {
  IndividualSearchResult,
  QueryFullResponse,
  QueryStreamEvent,
} from '../wire/v2-query.ts';
import { wireLimits } from '../wire/wire-values.ts';
import { maxUpstreamBytes, type VectaraClient } from './vectara-client.ts';

/**
 * Queries on corpora linked to Vectara: sent upstream as v2 with the server-held key, corpus
 * keys mapped to the linked Vectara corpus keys, and every v2 field Vectara understands
 * (generation, reranker, lexical interpolation, context, filters) passed unchanged. Answers are
 * checked before they are relayed: what does not look like Vectara's v2 is a 502, never a
 * half-read body passed on.
 */

const searchResultSchema = z.looseObject({
  text: z.string(),
  score: z.number(),
  part_metadata: z.record(z.string(), z.unknown()).optional(),
  document_metadata: z.record(z.string(), z.unknown()).optional(),
  document_id: z.string(),
  request_corpora_index: z.number().int().min(0).optional(),
});

const fullResponseSchema = z.looseObject({
  summary: z.string().optional(),
  response_language: z.string().optional(),
  search_results: z.array(searchResultSchema).max(10_000),
  factual_consistency_score: z.number().optional(),
  rendered_prompt: z.string().optional(),
  warnings: z.array(z.string()).optional(),
  rewritten_queries: z.array(z.record(z.string(), z.unknown())).optional(),
});

const streamEventSchema = z.discriminatedUnion('type', [
  z.looseObject({
    type: z.literal('search_results'),
    search_results: z.array(searchResultSchema).max(10_000),
  }),
  z.looseObject({ type: z.literal('generation_chunk'), generation_chunk: z.string() }),
  z.looseObject({ type: z.literal('generation_end') }),
  z.looseObject({ type: z.literal('generation_info') }),
  z.looseObject({
    type: z.literal('factual_consistency_score'),
    factual_consistency_score: z.number(),
  }),
  z.looseObject({ type: z.literal('error'), messages: z.array(z.string()).optional() }),
  z.looseObject({ type: z.literal('end') }),
]);

/** The v2 request Vectara gets for a query on linked corpora. */
export function upstreamRequest(input: QueryInput, stream: boolean): Record<string, unknown> {
  const search: Record<string, unknown> = {
    corpora: input.corpora.map((c) => ({
      corpus_key: c.corpus.upstreamCorpusKey,
      ...(c.query !== undefined ? { query: c.query.slice(0, wireLimits.maxQueryLength) } : {}),
      ...(c.metadataFilter?.trim() ? { metadata_filter: c.metadataFilter } : {}),
      ...(c.lexicalInterpolation !== undefined
        ? { lexical_interpolation: c.lexicalInterpolation }
        : {}),
      ...(c.semantics !== undefined ? { semantics: c.semantics } : {}),
      ...(c.customDimensions !== undefined ? { custom_dimensions: c.customDimensions } : {}),
    })),
    offset: input.offset,
    limit: input.limit,
  };
  if (input.contextConfiguration && Object.keys(input.contextConfiguration).length > 0) {
    search.context_configuration = input.contextConfiguration;
  }
  if (input.reranker) search.reranker = input.reranker;
  return {
    // v1 allowed longer texts than v2 takes; only the first words are ever searched.
    query: input.query.slice(0, wireLimits.maxQueryLength),
    search,
    ...(input.generation ? { generation: input.generation } : {}),
    ...input.passThrough,
    stream_response: stream,
  };
}

export class VectaraQueries implements UpstreamQueries {
  readonly #client: VectaraClient;
  readonly #scrub: (text: string) => string;

  constructor(client: VectaraClient, secrets: { apiKey: string }) {
    this.#client = client;
    // Relayed text (stream error messages) never carries the server-held key, whatever happens.
    this.#scrub = (text) => text.split(secrets.apiKey).join('(key)');
  }

  async query(input: QueryInput, signal: AbortSignal): Promise<QueryFullResponse> {
    const text = await this.#client.postForText('/v2/query', upstreamRequest(input, false), signal);
    return toResponse(vectaraShaped(fullResponseSchema, text));
  }

  async stream(
    input: QueryInput,
    signal: AbortSignal,
    emit: (event: QueryStreamEvent) => Promise<boolean>,
  ): Promise<void> {
    const answer = await this.#client.postForStream(
      '/v2/query',
      upstreamRequest(input, true),
      signal,
    );
    let ended = false;
    try {
      for await (const data of eventData(answer.body)) {
        const event = vectaraShaped(streamEventSchema, data);
        const relayed = this.#relayed(event as QueryStreamEvent);
        // Vectara's own `error` ends the answer as `end` does: nothing is added after it.
        if (relayed.type === 'end' || relayed.type === 'error') ended = true;
        // Awaiting the visitor's socket before reading on is the backpressure to Vectara.
        if (!(await emit(relayed))) return;
        if (ended) return;
      }
    } catch (err) {
      if (signal.aborted) throw new ClientGoneError();
      if (err instanceof ApiError) throw err;
      // Silence past UPSTREAM_TIMEOUT_MS between two events, or the connection cut mid-way.
      throw new ApiError('UPSTREAM_BAD_RESPONSE', 'The answer from Vectara was cut off.');
    } finally {
      answer.body.destroy();
    }
    if (!ended && !signal.aborted) {
      throw new ApiError('UPSTREAM_BAD_RESPONSE', 'The answer from Vectara was cut off.');
    }
  }

  #relayed(event: QueryStreamEvent): QueryStreamEvent {
    if (event.type === 'error') {
      return { type: 'error', messages: (event.messages ?? []).map(this.#scrub) };
    }
    if (event.type === 'search_results') {
      return { ...event, search_results: event.search_results.map(toSearchResult) };
    }
    return event;
  }
}

/** JSON text that must have Vectara's shape; anything else is a 502, never passed on. */
function vectaraShaped<T>(schema: z.ZodType<T>, text: string): T {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new ApiError('UPSTREAM_BAD_RESPONSE');
  }
  const checked = schema.safeParse(parsed);
  if (!checked.success) throw new ApiError('UPSTREAM_BAD_RESPONSE');
  return checked.data;
}

function toResponse(data: z.output<typeof fullResponseSchema>): QueryFullResponse {
  const { search_results, ...rest } = data;
  return { ...rest, search_results: search_results.map(toSearchResult) };
}

type UpstreamResult = z.output<typeof searchResultSchema>;

function toSearchResult(result: UpstreamResult | IndividualSearchResult): IndividualSearchResult {
  return {
    ...result,
    part_metadata: result.part_metadata ?? {},
    document_metadata: result.document_metadata ?? {},
    request_corpora_index: result.request_corpora_index ?? 0,
  };
}

/** The `data:` of each server-sent event as its frame completes (frames end in a blank line). */
async function* eventData(body: Readable): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  let buffer = '';
  for await (const chunk of body) {
    buffer += decoder.decode(chunk as Buffer, { stream: true });
    if (buffer.length > maxUpstreamBytes) throw new ApiError('UPSTREAM_BAD_RESPONSE');
    buffer = buffer.replace(/\r\n/g, '\n');
    let end = buffer.indexOf('\n\n');
    while (end !== -1) {
      const frame = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const data = frame
        .split('\n')
        .filter((line) => line.startsWith('data:'))
        .map((line) => line.slice(5).replace(/^ /, ''));
      if (data.length > 0) yield data.join('\n');
      end = buffer.indexOf('\n\n');
    }
  }
  // A last frame without its blank line is complete JSON or nothing.
  const rest = buffer
    .split('\n')
    .filter((line) => line.startsWith('data:'))
    .map((line) => line.slice(5).replace(/^ /, ''));
  if (rest.length > 0) yield rest.join('\n');
}
