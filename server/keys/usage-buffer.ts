import type { KeyOutcome, KeyStore } from './key-store.ts';

interface Pending {
  id: string;
  outcome: KeyOutcome;
  count: number;
  at: number;
}

/**
 * Counts requests per key and outcome in memory and writes them to the key store in batches
 * (every `intervalMs`, on demand, and on close): one store write per key and outcome per
 * interval instead of one per request. Counters may lag by one interval on other instances.
 */
export class UsageBuffer {
  readonly #store: KeyStore;
  readonly #pending = new Map<string, Pending>();
  readonly #timer: NodeJS.Timeout;
  #flushing: Promise<void> = Promise.resolve();
  /** Counts that could not be written (the store was down); they never fail a request. */
  writeFailures = 0;

  constructor(store: KeyStore, intervalMs = 1_000) {
    this.#store = store;
    this.#timer = setInterval(() => void this.flush(), intervalMs);
    this.#timer.unref();
  }

  add(id: string, outcome: KeyOutcome, at: number): void {
    const slot = `${id}\u0000${outcome}`;
    const pending = this.#pending.get(slot);
    if (pending) {
      pending.count++;
      pending.at = Math.max(pending.at, at);
    } else {
      this.#pending.set(slot, { id, outcome, count: 1, at });
    }
  }

  /** Writes everything counted so far; resolves when it is in the store (or failed there). */
  flush(): Promise<void> {
    const batch = [...this.#pending.values()];
    this.#pending.clear();
    // Usage is best effort: a failed write is counted, never thrown at a request.
    const write = (p: Pending) =>
      this.#store.recordUsage(p.id, p.outcome, p.at, p.count).catch(() => {
        this.writeFailures++;
      });
    this.#flushing = this.#flushing.then(() => Promise.all(batch.map(write)).then(() => undefined));
    return this.#flushing;
  }

  async close(): Promise<void> {
    clearInterval(this.#timer);
    await this.flush();
  }
}
