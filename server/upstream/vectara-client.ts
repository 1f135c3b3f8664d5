import type { Readable } from 'node:stream';
import type { Logger } from 'pino';
import { Agent, errors as undiciErrors } from 'undici';
import type { UpstreamConfig } from '../config.ts';
import { ApiError, ClientGoneError } from '../errors.ts';
import { UpstreamHealth } from './upstream-health.ts';

/** An answer from Vectara that passed the status checks: 2xx, its body still to be read. */
export interface UpstreamAnswer {
  body: Readable;
  contentType: string;
}

/** Upstream answers larger than this are not read (a query answer is a few hundred KB). */
export const maxUpstreamBytes = 8 * 1024 * 1024;

/**
 * The one way Searchgate talks to the owner's Vectara account: pooled keep-alive connections,
 * the server-held key in `x-api-key`, a deadline on every request, and every failure turned
 * into one of our codes. Nothing Vectara sends back in an error is passed on (it could echo the
 * key or the URL): callers get our messages, operators get status codes and Vectara's request
 * id in the log.
 */
export class VectaraClient {
  readonly health = new UpstreamHealth();
  readonly #config: UpstreamConfig;
  readonly #logger: Logger;
  readonly #agent: Agent;
  readonly #origin: string;
  readonly #basePath: string;

  constructor(config: UpstreamConfig, logger: Logger) {
    this.#config = config;
    this.#logger = logger;
    const url = new URL(config.url);
    this.#origin = url.origin;
    this.#basePath = url.pathname.replace(/\/+$/, '');
    this.#agent = new Agent({
      keepAliveTimeout: 30_000,
      keepAliveMaxTimeout: 120_000,
      connections: 128,
      connect: { timeout: Math.min(config.timeoutMs, 5_000) },
    });
  }

  /**
   * POSTs JSON to a v2 path and reads the whole answer, all within UPSTREAM_TIMEOUT_MS (waiting
   * for a pooled connection included). Throws ApiError for every failure, ClientGoneError when
   * the visitor left (`signal`).
   */
  async postForText(path: string, body: unknown, signal: AbortSignal): Promise<string> {
    const deadline = AbortSignal.timeout(this.#config.timeoutMs);
    const both = AbortSignal.any([signal, deadline]);
    try {
      const answer = await this.#send(path, body, both);
      return await readBounded(answer.body);
    } catch (err) {
      throw this.#classify(err, signal, deadline);
    }
  }

  /**
   * POSTs JSON to a v2 path for a stream: the answer must start within UPSTREAM_TIMEOUT_MS
   * (connection wait included), and then no more than UPSTREAM_TIMEOUT_MS may pass between two
   * chunks. The caller reads the body; `signal` (the visitor left) aborts it.
   */
  async postForStream(path: string, body: unknown, signal: AbortSignal): Promise<UpstreamAnswer> {
    const start = new AbortController();
    const timer = setTimeout(() => start.abort(new Error('timeout')), this.#config.timeoutMs);
    try {
      return await this.#send(path, body, AbortSignal.any([signal, start.signal]));
    } catch (err) {
      throw this.#classify(err, signal, start.signal);
    } finally {
      clearTimeout(timer);
    }
  }

  async #send(path: string, body: unknown, signal: AbortSignal): Promise<UpstreamAnswer> {
    const response = await this.#agent.request({
      origin: this.#origin,
      path: `${this.#basePath}${path}`,
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        'x-api-key': this.#config.apiKey,
      },
      body: JSON.stringify(body),
      signal,
      headersTimeout: this.#config.timeoutMs,
      bodyTimeout: this.#config.timeoutMs,
    });
    const { statusCode, headers } = response;
    if (statusCode >= 200 && statusCode < 300) {
      this.health.succeeded();
      const type = headers['content-type'];
      return {
        body: response.body,
        contentType: String(Array.isArray(type) ? type[0] : (type ?? '')),
      };
    }
    // The body may carry anything: it is drained, never shown.
    const requestId = await vectaraRequestId(response.body);
    throw this.#refusal(statusCode, headers['retry-after'], requestId);
  }

  async close(): Promise<void> {
    await this.#agent.close();
  }

  /** Turns any failure into our code: the visitor leaving, our deadline, or Vectara's fault. */
  #classify(err: unknown, visitor: AbortSignal, deadline: AbortSignal): Error {
    if (err instanceof ApiError) return err;
    if (visitor.aborted) return new ClientGoneError();
    const timedOut =
      deadline.aborted ||
      err instanceof undiciErrors.HeadersTimeoutError ||
      err instanceof undiciErrors.BodyTimeoutError ||
      err instanceof undiciErrors.ConnectTimeoutError;
    // Logged as an outage (transitions, samples) by whoever answers the request.
    this.health.failed(timedOut ? 'timeout' : 'unreachable');
    return timedOut ? new ApiError('UPSTREAM_TIMEOUT') : new ApiError('UPSTREAM_UNAVAILABLE');
  }

  #refusal(status: number, retryAfter: unknown, requestId: string | undefined): ApiError {
    if (status === 401 || status === 403) {
      this.health.failed('auth');
      // The one thing an operator must fix: say it loudly, once per outage.
      if (this.health.firstFailure) {
        this.#logger.error(
          { status, vectaraRequestId: requestId },
          "Vectara refused this server's key (UPSTREAM_API_KEY): it was revoked or lacks access to the linked corpora; every linked query fails until it is replaced",
        );
      }
      return new ApiError('UPSTREAM_AUTH_FAILED');
    }
    if (status === 429) {
      const seconds = /^\d{1,6}$/.test(String(retryAfter ?? '')) ? String(retryAfter) : '1';
      return new ApiError('UPSTREAM_RATE_LIMITED', undefined, {
        headers: { 'Retry-After': seconds },
      });
    }
    if (status === 404) {
      // A link the operator set up points nowhere: theirs to fix, said once per outage.
      this.health.failed('missing-corpus');
      if (this.health.firstFailure) {
        this.#logger.error(
          { status, vectaraRequestId: requestId },
          'Vectara has no corpus under a linked corpus key (or UPSTREAM_API_KEY cannot see it): fix the link (upstream_corpus_key)',
        );
      }
      return new ApiError('UPSTREAM_CORPUS_MISSING');
    }
    if (status >= 400 && status < 500) {
      this.#logger.debug({ status, vectaraRequestId: requestId }, 'Vectara refused a query');
      return new ApiError(
        'INVALID_ARGUMENT',
        'Vectara refused the query as invalid (check its filter, reranker and generation settings).',
      );
    }
    this.health.failed('unreachable');
    this.#logger.debug({ status, vectaraRequestId: requestId }, 'Vectara failed a query');
    return new ApiError('UPSTREAM_UNAVAILABLE');
  }
}

/** Vectara's `request_id` from an error body, for the operator's log; nothing else is kept. */
async function vectaraRequestId(body: Readable): Promise<string | undefined> {
  try {
    let text = '';
    for await (const chunk of body) {
      text += String(chunk);
      if (text.length > 64 * 1024) break;
    }
    body.destroy();
    const parsed: unknown = JSON.parse(text);
    const id = (parsed as { request_id?: unknown })?.request_id;
    return typeof id === 'string' && /^[\w-]{1,100}$/.test(id) ? id : undefined;
  } catch {
    return undefined;
  }
}

/** Reads an answer of at most `maxUpstreamBytes`; more is not a Vectara answer. */
async function readBounded(body: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.length;
    if (size > maxUpstreamBytes) {
      body.destroy();
      throw new ApiError('UPSTREAM_BAD_RESPONSE');
    }
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}
