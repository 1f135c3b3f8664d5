import type { RequestHandler } from 'express';
import type { Logger } from 'pino';
import { AccountStore } from './accounts/account-store.ts';
import { CorpusStore } from './accounts/corpus-store.ts';
import type { AppDeps } from './app.ts';
import type { Config } from './config.ts';
import { openDatabase } from './db/open-database.ts';
import { KeyService } from './keys/key-service.ts';
import type { KeyStore } from './keys/key-store.ts';
import { KeyVerifier } from './keys/key-verifier.ts';
import { connectRedis, type RedisConnection } from './keys/redis-connection.ts';
import { RedisKeyStore } from './keys/redis-key-store.ts';
import { SqliteKeyStore } from './keys/sqlite-key-store.ts';
import { UsageBuffer } from './keys/usage-buffer.ts';
import { GuessThrottle } from './limits/guess-throttle.ts';
import { createRateLimits } from './limits/rate-limits.ts';
import { WorkBudget } from './limits/work-budget.ts';
import { QueryService } from './query/query-service.ts';
import { DocumentCatalog } from './search/document-catalog.ts';
import { FtsEngine } from './search/fts-engine.ts';
import { VectaraQueries } from './upstream/upstream-queries.ts';
import { VectaraClient } from './upstream/vectara-client.ts';

export type ServiceConfig = Pick<
  Config,
  'dataDir' | 'redisUrl' | 'trustProxy' | 'searchWorkMsPerMinute' | 'upstream' | 'metricsToken'
> & {
  /** Namespace for everything Searchgate keeps in Redis (tests use a private one). */
  redisPrefix?: string;
};

export type RateLimitFactory = (redis: RedisConnection | null) => RequestHandler[];

export interface Services extends AppDeps {
  redis: RedisConnection | null;
  close(): Promise<void>;
}

/** Per-key, per-visitor and daily limits: in Redis when it is configured, else in this process. */
const defaultRateLimits =
  (prefix: string | undefined): RateLimitFactory =>
  (redis) =>
    createRateLimits({
      ...(redis ? { redis: redis.client } : {}),
      ...(prefix ? { prefix } : {}),
    }).all;

/**
 * Opens the stores the app needs: the SQLite file always (accounts, corpora, search index) and
 * Redis for keys and limits when REDIS_URL is set, else the embedded key store.
 */
export async function openServices(
  config: ServiceConfig,
  logger: Logger,
  paths: { widgetDir: string; demoDir?: string; demoVariables?: Record<string, string> },
  makeRateLimits: RateLimitFactory = defaultRateLimits(config.redisPrefix),
): Promise<Services> {
  const db = openDatabase(config.dataDir);
  const accounts = new AccountStore(db);
  const corpora = new CorpusStore(db);
  const engine = new FtsEngine(db);
  let redis: RedisConnection | null = null;
  let keyStore: KeyStore;
  if (config.redisUrl) {
    redis = await connectRedis(config.redisUrl, {
      onError: sampled((err, suppressed) =>
        logger.warn({ err: String(err), suppressed }, 'redis connection problem'),
      ),
    });
    keyStore = await RedisKeyStore.create({
      client: redis.client,
      subscriber: redis.subscriber,
      ...(config.redisPrefix ? { prefix: config.redisPrefix } : {}),
    });
  } else {
    keyStore = new SqliteKeyStore(db);
  }
  // Companion mode: the one connection pool to the owner's Vectara account.
  const vectara = config.upstream ? new VectaraClient(config.upstream, logger) : null;
  const verifier = new KeyVerifier(keyStore, { unknownKeys: new GuessThrottle() });
  const usage = new UsageBuffer(keyStore);
  const keys = new KeyService(keyStore, usage);
  return {
    db,
    accounts,
    corpora,
    engine,
    documents: new DocumentCatalog(db),
    queries: new QueryService({
      engine,
      upstream: vectara && config.upstream ? new VectaraQueries(vectara, config.upstream) : null,
      work: new WorkBudget({ msPerWindow: config.searchWorkMsPerMinute }),
    }),
    upstreamConfigured: vectara !== null,
    // A visitor gets as long to take the next event as Vectara gets to send it.
    streamStallMs: config.upstream?.timeoutMs ?? 10_000,
    upstreamHealth: vectara?.health ?? null,
    keyStore,
    verifier,
    keys,
    usage,
    redis,
    rateLimits: makeRateLimits(redis),
    logger,
    trustProxy: config.trustProxy,
    metricsToken: config.metricsToken,
    ...paths,
    close: async () => {
      await vectara?.close();
      verifier.close();
      await usage.close();
      await keyStore.close();
      await redis?.close();
      db.close();
    },
  };
}

/** node-redis reports every reconnect attempt: log the first, then one line every 10 s. */
function sampled(log: (err: unknown, suppressed: number) => void, everyMs = 10_000) {
  let lastAt = Number.NEGATIVE_INFINITY;
  let suppressed = 0;
  return (err: unknown) => {
    const now = Date.now();
    if (now - lastAt < everyMs) {
      suppressed++;
      return;
    }
    log(err, suppressed);
    lastAt = now;
    suppressed = 0;
  };
}
