/**
 * Bounds how often one visitor may present credentials that do not exist (API keys, admin
 * tokens). Such requests never reach the per-key limiters (there is no key), yet each costs a
 * store lookup: a loop of random, well-formed guesses would otherwise be free. Counted per
 * instance, in memory, and only on failures, so legitimate requests pay nothing.
 */
export class GuessThrottle {
  readonly #limit: number;
  readonly #windowMs: number;
  readonly #maxVisitors: number;
  readonly #visitors = new Map<string, { failures: number; resetAt: number }>();

  constructor(options: { limit?: number; windowMs?: number; maxVisitors?: number } = {}) {
    this.#limit = options.limit ?? 120;
    this.#windowMs = options.windowMs ?? 60_000;
    this.#maxVisitors = options.maxVisitors ?? 50_000;
  }

  /** Seconds until this visitor may try again, or 0 when it may now. */
  retryAfter(visitor: string, now: number): number {
    const entry = this.#visitors.get(visitor);
    if (!entry || entry.resetAt <= now || entry.failures < this.#limit) return 0;
    return Math.ceil((entry.resetAt - now) / 1000);
  }

  recordFailure(visitor: string, now: number): void {
    const entry = this.#visitors.get(visitor);
    if (entry && entry.resetAt > now) {
      entry.failures++;
      return;
    }
    if (this.#visitors.size >= this.#maxVisitors) {
      const oldest = this.#visitors.keys().next().value;
      if (oldest !== undefined) this.#visitors.delete(oldest);
    }
    this.#visitors.delete(visitor);
    this.#visitors.set(visitor, { failures: 1, resetAt: now + this.#windowMs });
  }
}
