export type UpstreamFailure = 'auth' | 'timeout' | 'unreachable' | 'missing-corpus';

/**
 * What `/healthz` says about Vectara: `ok` once a request succeeded, `failing` while the latest
 * outcome was a failure (the key refused, Vectara unreachable or too slow), with the reason.
 */
export class UpstreamHealth {
  #failure: UpstreamFailure | null = null;
  #failingSince: number | null = null;
  #firstFailure = false;

  succeeded(): void {
    this.#failure = null;
    this.#failingSince = null;
  }

  failed(reason: UpstreamFailure, now = Date.now()): void {
    this.#firstFailure = this.#failure !== reason;
    this.#failure = reason;
    this.#failingSince ??= now;
  }

  /** True when the latest failure started a new outage (for logging it once). */
  get firstFailure(): boolean {
    return this.#firstFailure;
  }

  get status(): { upstream: 'ok' | 'failing'; reason?: UpstreamFailure; since?: string } {
    if (this.#failure === null) return { upstream: 'ok' };
    return {
      upstream: 'failing',
      reason: this.#failure,
      ...(this.#failingSince ? { since: new Date(this.#failingSince).toISOString() } : {}),
    };
  }
}
