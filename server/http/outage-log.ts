import type { Logger } from 'pino';
import type { ErrorCode } from '../errors.ts';

/** Codes that mean something we depend on is down: logged going down and back up, sampled between. */
const outageMessages: Partial<Record<ErrorCode, string>> = {
  KEY_STORE_UNAVAILABLE: 'the key store is unreachable: refusing requests (fail closed)',
  STORAGE_UNAVAILABLE: 'the index cannot be used: refusing requests',
  UPSTREAM_UNAVAILABLE: 'Vectara cannot be reached: queries on linked corpora fail',
  UPSTREAM_TIMEOUT: 'Vectara does not answer in time: queries on linked corpora fail',
  UPSTREAM_AUTH_FAILED: "Vectara refuses this server's key: queries on linked corpora fail",
  UPSTREAM_BAD_RESPONSE:
    'Vectara answers with something unreadable: queries on linked corpora fail',
};
const sampleEveryMs = 10_000;

interface Outage {
  since: number;
  refused: number;
  lastLoggedAt: number;
}

/**
 * An outage must not flood the log: every refused request would otherwise log an error with a
 * stack (thousands a second under load). The first refusal logs the cause with its stack, then
 * one line every 10 s says how many were refused meanwhile, and the first success after says it
 * is over.
 */
export class OutageLog {
  readonly #logger: Logger;
  readonly #now: () => number;
  readonly #outages = new Map<ErrorCode, Outage>();

  constructor(logger: Logger, now: () => number = Date.now) {
    this.#logger = logger;
    this.#now = now;
  }

  /** True when the code is an outage code (it is then logged here, not by the caller). */
  refused(code: ErrorCode, err: unknown): boolean {
    const message = outageMessages[code];
    if (message === undefined) return false;
    const now = this.#now();
    const outage = this.#outages.get(code);
    if (!outage) {
      this.#outages.set(code, { since: now, refused: 1, lastLoggedAt: now });
      this.#logger.error({ err, code }, message);
      return true;
    }
    outage.refused++;
    if (now - outage.lastLoggedAt >= sampleEveryMs) {
      outage.lastLoggedAt = now;
      this.#logger.warn(
        { code, refused: outage.refused, seconds: Math.round((now - outage.since) / 1000) },
        `still: ${message}`,
      );
    }
    return true;
  }

  /**
   * A request was answered: the stores worked, and so did Vectara when it was asked
   * (`viaUpstream`). An answer from the local index says nothing about Vectara.
   */
  served(viaUpstream: boolean): void {
    if (this.#outages.size === 0) return;
    const now = this.#now();
    for (const [code, outage] of this.#outages) {
      if (code.startsWith('UPSTREAM_') && !viaUpstream) continue;
      this.#logger.info(
        { code, refused: outage.refused, seconds: Math.round((now - outage.since) / 1000) },
        'recovered: requests are answered again',
      );
      this.#outages.delete(code);
    }
  }
}
