import type { Request, RequestHandler, Response } from 'express';
import { MemoryStore, rateLimit, type Store } from 'express-rate-limit';
import type { RedisReply } from 'rate-limit-redis';
import { ApiError, type ErrorCode, KeyStoreUnavailableError } from '../errors.ts';
import type { ApiKeyRecord } from '../keys/key-store.ts';
import { visitorAddress } from './client-ip.ts';
import { FailClosedStore } from './fail-closed-store.ts';
import { RecoveringRedisStore } from './recovering-redis-store.ts';
import { nextUtcMidnight, utcDay } from './utc-day.ts';

/** What the limiters need from a Redis client: node-redis's `sendCommand` fits. */
export interface RedisClientLike {
  sendCommand(args: string[]): Promise<unknown>;
}

export interface RateLimitOptions {
  /** Shared counters for every instance; without it, counters live in this process. */
  redis?: RedisClientLike;
  /** Namespace for the counters in Redis; default `sg:`. */
  prefix?: string;
  /** A Redis call without an answer within this time refuses the request (503); default 1000. */
  commandTimeoutMs?: number;
}

export interface RateLimits {
  /** `limits.perMinute` for the whole key. */
  perKey: RequestHandler;
  /** `limits.perIpPerMinute` for one visitor (IP, IPv6 by /56) within the key. */
  perVisitor: RequestHandler;
  /** `limits.dailyQuota` per UTC day; skipped when the key has none. */
  dailyQuota: RequestHandler;
  /**
   * All three in the order to mount them: a visitor refused for flooding does not use up the
   * key's minute, and a request refused for the minute does not use up the day.
   */
  all: RequestHandler[];
}

const minuteMs = 60_000;
const dayMs = 24 * 60 * 60 * 1000;

/** The caller's key, set by the caller check before the limiters run; the owner is not limited. */
const apiKeyOf = (response: Response): ApiKeyRecord | undefined => {
  const caller = response.locals.caller;
  return caller?.kind === 'key' ? caller.key : undefined;
};

interface LimiterSpec {
  /** Policy name in the RateLimit headers. */
  name: string;
  windowMs: number;
  limit: (key: ApiKeyRecord) => number | null;
  /** Counter name within the key; never the secret. */
  counter: (key: ApiKeyRecord, request: Request) => string;
  refusal: { code: ErrorCode; message: (limit: number, retryAfter: string) => string };
  resetTime?: (now: number) => Date;
}

const limiterSpecs = {
  perKey: {
    name: 'per-key',
    windowMs: minuteMs,
    limit: (key) => key.limits.perMinute,
    counter: (key) => key.id,
    refusal: {
      code: 'RATE_LIMITED',
      message: (limit, retryAfter) =>
        `This API key allows ${limit} requests per minute; try again in ${retryAfter} s.`,
    },
  },
  perVisitor: {
    name: 'per-visitor',
    windowMs: minuteMs,
    limit: (key) => key.limits.perIpPerMinute,
    counter: (key, request) => `${key.id}:${visitorAddress(request)}`,
    refusal: {
      code: 'RATE_LIMITED',
      message: (limit, retryAfter) =>
        `This API key allows ${limit} requests per minute from one visitor; try again in ${retryAfter} s.`,
    },
  },
  dailyQuota: {
    name: 'daily-quota',
    windowMs: dayMs,
    limit: (key) => key.limits.dailyQuota,
    // The day is part of the counter name, so the count starts again at UTC midnight.
    counter: (key) => `${key.id}:${utcDay(Date.now())}`,
    refusal: {
      code: 'QUOTA_EXCEEDED',
      message: (limit) =>
        `This API key has used its daily quota of ${limit} requests; it resets at 00:00 UTC.`,
    },
    resetTime: (now) => new Date(nextUtcMidnight(now)),
  },
} satisfies Record<string, LimiterSpec>;

/**
 * node-redis times out only commands still waiting to be written; a Redis that accepts the
 * connection but never answers would hold every request. This bounds the wait for the reply.
 */
function sendWithDeadline(redis: RedisClientLike, timeoutMs: number) {
  return async (...args: string[]): Promise<RedisReply> => {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new KeyStoreUnavailableError('Redis did not answer in time')),
        timeoutMs,
      );
    });
    try {
      return (await Promise.race([redis.sendCommand(args), deadline])) as RedisReply;
    } finally {
      clearTimeout(timer);
    }
  };
}

function makeStore(spec: LimiterSpec, options: RateLimitOptions): Store {
  const { redis } = options;
  const inner = redis
    ? new RecoveringRedisStore({
        prefix: `${options.prefix ?? 'sg:'}rl:${spec.name}:`,
        sendCommand: sendWithDeadline(redis, options.commandTimeoutMs ?? 1000),
      })
    : new MemoryStore();
  return new FailClosedStore(inner, spec.resetTime);
}

function makeLimiter(spec: LimiterSpec, options: RateLimitOptions): RequestHandler {
  const limitOf = (response: Response) => {
    const key = apiKeyOf(response);
    return key ? spec.limit(key) : null;
  };
  return rateLimit({
    windowMs: spec.windowMs,
    limit: (_request, response) => limitOf(response) ?? 0,
    skip: (_request, response) => limitOf(response) === null,
    keyGenerator: (request, response) => {
      const key = apiKeyOf(response);
      if (!key) throw new Error('rate limit without a verified key');
      return spec.counter(key, request);
    },
    identifier: spec.name,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    passOnStoreError: false,
    // A limit of 0 is a legitimate per-key setting (block every request), not a mistake.
    validate: { limit: false },
    store: makeStore(spec, options),
    handler: (_request, response, next) => {
      // express-rate-limit has set Retry-After from the window's reset time just before this.
      const retryAfter = String(response.getHeader('Retry-After') ?? spec.windowMs / 1000);
      const limit = limitOf(response) ?? 0;
      next(
        new ApiError(spec.refusal.code, spec.refusal.message(limit, retryAfter), {
          headers: { 'Retry-After': retryAfter },
        }),
      );
    },
  });
}

/**
 * The spending controls for requests made with an API key: per key, per visitor within the key,
 * and a daily quota, each from the key's own limits. With Redis the counters are shared by every
 * instance and exact (one atomic script per request); a Redis failure refuses the request with
 * 503 rather than letting it through.
 */
export function createRateLimits(options: RateLimitOptions = {}): RateLimits {
  const perKey = makeLimiter(limiterSpecs.perKey, options);
  const perVisitor = makeLimiter(limiterSpecs.perVisitor, options);
  const dailyQuota = makeLimiter(limiterSpecs.dailyQuota, options);
  return { perKey, perVisitor, dailyQuota, all: [perVisitor, perKey, dailyQuota] };
}
