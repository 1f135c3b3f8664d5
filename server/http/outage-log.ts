import type { Logger } from 'pino';
import type { ErrorCode } from '../errors.ts';

/** Codes that mean a store is down: logged on the way down and back up, sampled in between. */
const outageCodes = new Set<ErrorCode>(['KEY_STORE_UNAVAILABLE', 'STORAGE_UNAVAILABLE']);
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
    if (!outageCodes.has(code)) return false;
    const now = this.#now();
    const outage = this.#outages.get(code);
    if (!outage) {
      this.#outages.set(code, { since: now, refused: 1, lastLoggedAt: now });
      this.#logger.error({ err, code }, 'a store is unreachable: refusing requests (fail closed)');
      return true;
    }
    outage.refused++;
    if (now - outage.lastLoggedAt >= sampleEveryMs) {
      outage.lastLoggedAt = now;
      this.#logger.warn(
        { code, refused: outage.refused, seconds: Math.round((now - outage.since) / 1000) },
        'a store is still unreachable',
      );
    }
    return true;
  }

  /** A request was answered: any outage is over. */
  served(): void {
    if (this.#outages.size === 0) return;
    const now = this.#now();
    for (const [code, outage] of this.#outages) {
      this.#logger.info(
        { code, refused: outage.refused, seconds: Math.round((now - outage.since) / 1000) },
        'the store is reachable again',
      );
    }
    this.#outages.clear();
  }
}
