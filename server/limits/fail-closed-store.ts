import type { ClientRateLimitInfo, IncrementResponse, Options, Store } from 'express-rate-limit';
import { KeyStoreUnavailableError } from '../errors.ts';

const unavailable = (error: unknown) =>
  error instanceof KeyStoreUnavailableError ? error : new KeyStoreUnavailableError(error);

/**
 * Wraps a rate-limit store so that a failing store refuses the request with 503
 * KEY_STORE_UNAVAILABLE (express-rate-limit, with passOnStoreError false, hands the store's own
 * error to next(); spending control must fail closed, never open). Optionally reports a fixed
 * reset time, for windows tied to the calendar such as the UTC day.
 */
export class FailClosedStore implements Store {
  readonly #inner: Store;
  readonly #resetTime: ((now: number) => Date) | undefined;
  readonly localKeys: boolean | undefined;
  readonly prefix: string | undefined;

  constructor(inner: Store, resetTime?: (now: number) => Date) {
    this.#inner = inner;
    this.#resetTime = resetTime;
    this.localKeys = inner.localKeys;
    this.prefix = inner.prefix;
  }

  init(options: Options): void | Promise<void> {
    return this.#inner.init?.(options);
  }

  async increment(key: string): Promise<IncrementResponse> {
    let counted: IncrementResponse;
    try {
      counted = await this.#inner.increment(key);
    } catch (error) {
      throw unavailable(error);
    }
    return this.#resetTime ? { ...counted, resetTime: this.#resetTime(Date.now()) } : counted;
  }

  async get(key: string): Promise<ClientRateLimitInfo | undefined> {
    try {
      return await this.#inner.get?.(key);
    } catch (error) {
      throw unavailable(error);
    }
  }

  async decrement(key: string): Promise<void> {
    try {
      await this.#inner.decrement(key);
    } catch (error) {
      throw unavailable(error);
    }
  }

  async resetKey(key: string): Promise<void> {
    try {
      await this.#inner.resetKey(key);
    } catch (error) {
      throw unavailable(error);
    }
  }
}
