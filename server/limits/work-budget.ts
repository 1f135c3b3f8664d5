import { ApiError } from '../errors.ts';

export interface WorkBudgetOptions {
  /** Milliseconds of search work one visitor may use per window on this instance. */
  msPerWindow?: number;
  windowMs?: number;
  maxVisitors?: number;
  now?: () => number;
}

interface Spent {
  ms: number;
  resetAt: number;
}

/**
 * Bounds the search work each visitor may take from this instance, measured, not estimated.
 * Request limits count requests, and one request may cost a hundred times another: a visitor
 * within 60 requests a minute could still keep the event loop busy for everyone. Each search's
 * time is charged to its visitor (by address, across keys); once a visitor's share of the
 * window is spent, further searches wait for the window with a 429. The default, 3 s of search
 * per minute, is 5 % of one instance; a visitor typing normally uses well under a tenth of it.
 */
export class WorkBudget {
  readonly #msPerWindow: number;
  readonly #windowMs: number;
  readonly #maxVisitors: number;
  readonly #now: () => number;
  readonly #visitors = new Map<string, Spent>();

  constructor(options: WorkBudgetOptions = {}) {
    this.#msPerWindow = options.msPerWindow ?? 3_000;
    this.#windowMs = options.windowMs ?? 60_000;
    this.#maxVisitors = options.maxVisitors ?? 50_000;
    this.#now = options.now ?? Date.now;
  }

  /** Throws RATE_LIMITED when the visitor's share of this window is spent. */
  check(visitor: string): void {
    const spent = this.#visitors.get(visitor);
    const now = this.#now();
    if (!spent || spent.resetAt <= now || spent.ms < this.#msPerWindow) return;
    const wait = Math.max(1, Math.ceil((spent.resetAt - now) / 1000));
    throw new ApiError(
      'RATE_LIMITED',
      `These searches used this visitor's share of the server (${this.#msPerWindow} ms of search per ${this.#windowMs / 1000} s); try again in ${wait} s.`,
      { headers: { 'Retry-After': String(wait) } },
    );
  }

  /** Adds the time a search took to its visitor's window. */
  charge(visitor: string, ms: number): void {
    const now = this.#now();
    const spent = this.#visitors.get(visitor);
    if (spent && spent.resetAt > now) {
      spent.ms += ms;
      return;
    }
    if (this.#visitors.size >= this.#maxVisitors) {
      const oldest = this.#visitors.keys().next().value;
      if (oldest !== undefined) this.#visitors.delete(oldest);
    }
    this.#visitors.delete(visitor);
    this.#visitors.set(visitor, { ms, resetAt: now + this.#windowMs });
  }

  /** Runs `work` for a visitor: refused when the share is spent, charged with its time. */
  run<T>(visitor: string, work: () => T): T {
    this.check(visitor);
    const started = performance.now();
    try {
      return work();
    } finally {
      this.charge(visitor, performance.now() - started);
    }
  }
}
