import path from 'node:path';
import proxyAddr from 'proxy-addr';
import { z } from 'zod';
import { tokenWeakness } from './accounts/token-strength.ts';

const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
const logFormats = ['json', 'pretty'] as const;

/** `TRUST_PROXY` as Express takes it: false, true, a hop count, or a list of addresses/subnets. */
const trustProxy = z
  .string()
  .trim()
  .transform((value, ctx): boolean | number | string => {
    if (value === '' || value === 'false') return false;
    if (value === 'true') return true;
    if (/^\d+$/.test(value)) return Number(value);
    try {
      // Exactly what Express will do with it, so a bad address fails here and not at start-up.
      proxyAddr.compile(value.split(',').map((part) => part.trim()));
      return value;
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      ctx.addIssue({
        code: 'custom',
        message: `expected false, true, a hop count, or addresses/subnets (${reason})`,
      });
      return z.NEVER;
    }
  });

const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65_535).default(8080),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATA_DIR: z.string().min(1).default('./data'),
  REDIS_URL: z
    .url({ protocol: /^rediss?$/, error: 'expected a redis:// or rediss:// URL' })
    .optional()
    .or(z.literal('').transform(() => undefined)),
  ADMIN_TOKEN: z
    .string()
    .superRefine((token, ctx) => {
      const weakness = tokenWeakness(token);
      if (weakness) ctx.addIssue({ code: 'custom', message: weakness });
    })
    .optional()
    .or(z.literal('').transform(() => undefined)),
  CUSTOMER_ID: z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER).optional(),
  TRUST_PROXY: trustProxy.default(false),
  LOG_LEVEL: z.enum(logLevels).default('info'),
  LOG_FORMAT: z.enum(logFormats).default('json'),
  /** Milliseconds of search one visitor may use per minute on one instance (work-budget.ts). */
  SEARCH_WORK_MS_PER_MINUTE: z.coerce.number().int().min(1).max(60_000).default(3_000),
  /** Companion mode: the Vectara v2 base URL this server stands in front of. */
  UPSTREAM_URL: z
    .url({
      protocol: /^https?$/,
      error: 'expected an http:// or https:// URL such as https://api.vectara.io',
    })
    .refine((url) => {
      const parsed = new URL(url);
      return parsed.username === '' && parsed.password === '';
    }, 'must not carry credentials: put the Vectara key in UPSTREAM_API_KEY')
    .refine((url) => {
      const parsed = new URL(url);
      return parsed.search === '' && parsed.hash === '';
    }, 'must be a base URL without a query or fragment')
    // The server-held key travels with every request: in the clear only to this machine.
    .refine((url) => {
      const parsed = new URL(url);
      return (
        parsed.protocol === 'https:' || /^(localhost|127(\.\d+){3}|\[::1\])$/.test(parsed.hostname)
      );
    }, 'must be https:// (http:// only to localhost, where the key does not cross a network)')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  /** The server-held Vectara key (query or personal key); it never leaves the server. */
  UPSTREAM_API_KEY: z
    .string()
    .trim()
    .min(8, 'expected a Vectara API key')
    .max(512)
    .refine((key) => /^[\x21-\x7e]+$/.test(key), 'must be printable ASCII without spaces')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  UPSTREAM_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
  /** When set, `/metrics` answers only `Authorization: Bearer <METRICS_TOKEN>`. */
  METRICS_TOKEN: z
    .string()
    .min(16, 'must be at least 16 characters')
    .optional()
    .or(z.literal('').transform(() => undefined)),
});

/** Variables whose values may hold secrets (a token, a Redis password, the Vectara key). */
const secretVariables = new Set([
  'ADMIN_TOKEN',
  'REDIS_URL',
  'UPSTREAM_URL',
  'UPSTREAM_API_KEY',
  'METRICS_TOKEN',
]);

export type Config = {
  port: number;
  host: string;
  dataDir: string;
  redisUrl: string | undefined;
  adminToken: string | undefined;
  customerId: number | undefined;
  trustProxy: boolean | number | string;
  logLevel: (typeof logLevels)[number];
  /** JSON lines for log collectors, or `pretty` (pino-pretty) for a person at a terminal. */
  logFormat: (typeof logFormats)[number];
  searchWorkMsPerMinute: number;
  /** Companion mode; null = the embedded engine only. */
  upstream: UpstreamConfig | null;
  metricsToken: string | undefined;
};

export interface UpstreamConfig {
  /** Base URL without a trailing slash, e.g. https://api.vectara.io. */
  url: string;
  apiKey: string;
  timeoutMs: number;
}

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** Parses the environment once, at the edge. Nothing else reads `process.env`. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const known = Object.keys(envSchema.shape);
  const input = Object.fromEntries(
    known.map((name) => [name, env[name] === '' && name !== 'TRUST_PROXY' ? undefined : env[name]]),
  );
  const parsed = envSchema.safeParse(input);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const name = String(issue.path[0]);
      // Secrets are named, never printed: start-up errors end up in logs.
      const shown = secretVariables.has(name) ? '(hidden)' : JSON.stringify(input[name]);
      return `${issue.path.join('.')}=${shown}: ${issue.message}`;
    });
    throw new ConfigError(`Invalid configuration: ${problems.join('; ')}`);
  }
  const c = parsed.data;
  if ((c.UPSTREAM_URL === undefined) !== (c.UPSTREAM_API_KEY === undefined)) {
    throw new ConfigError(
      c.UPSTREAM_URL === undefined
        ? 'Invalid configuration: UPSTREAM_API_KEY is set but UPSTREAM_URL is not (companion mode needs both)'
        : 'Invalid configuration: UPSTREAM_URL is set but UPSTREAM_API_KEY is not (companion mode needs the Vectara key)',
    );
  }
  return {
    port: c.PORT,
    host: c.HOST,
    dataDir: path.resolve(c.DATA_DIR),
    redisUrl: c.REDIS_URL,
    adminToken: c.ADMIN_TOKEN,
    customerId: c.CUSTOMER_ID,
    trustProxy: c.TRUST_PROXY,
    logLevel: c.LOG_LEVEL,
    logFormat: c.LOG_FORMAT,
    searchWorkMsPerMinute: c.SEARCH_WORK_MS_PER_MINUTE,
    upstream:
      c.UPSTREAM_URL && c.UPSTREAM_API_KEY
        ? {
            url: c.UPSTREAM_URL.replace(/\/+$/, ''),
            apiKey: c.UPSTREAM_API_KEY,
            timeoutMs: c.UPSTREAM_TIMEOUT_MS,
          }
        : null,
    metricsToken: c.METRICS_TOKEN,
  };
}
