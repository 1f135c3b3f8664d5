import type { IncrementResponse, Options } from 'express-rate-limit';
import { RedisStore } from 'rate-limit-redis';

/**
 * rate-limit-redis keeps the promise of its script load forever: if Redis was down when the
 * limiter was created (or when the script was reloaded), every later increment awaits that
 * rejected promise and fails even after Redis is back. This store loads again before the next
 * increment whenever a load failed, so the limiter heals by itself. (A Redis restart with a lost
 * script cache is handled upstream: NOSCRIPT triggers a reload, checked below as well.)
 */
export class RecoveringRedisStore extends RedisStore {
  #loadFailed = false;

  #loadIncrement(): Promise<string> {
    const loading = this.loadIncrementScript();
    // Also marks the promise handled: the next increment awaits it, maybe much later.
    loading.catch(() => {
      this.#loadFailed = true;
    });
    return loading;
  }

  override async init(options: Options): Promise<void> {
    this.windowMs = options.windowMs;
    this.incrementScriptSha = this.#loadIncrement();
    // The get script serves only `getKey`, which the middleware itself never calls.
    const loadingGet = this.loadGetScript();
    loadingGet.catch(() => {});
    this.getScriptSha = loadingGet;
  }

  override async increment(key: string): Promise<IncrementResponse> {
    if (this.#loadFailed) {
      this.#loadFailed = false;
      this.incrementScriptSha = this.#loadIncrement();
    }
    try {
      return await super.increment(key);
    } catch (err) {
      // Upstream's NOSCRIPT path stores a reload of its own; if that one failed too (Redis
      // blinked again), replace it, or every later request would await the same rejection.
      const loaded = await this.incrementScriptSha.then(
        () => true,
        () => false,
      );
      if (!loaded) this.incrementScriptSha = this.#loadIncrement();
      throw err;
    }
  }
}
