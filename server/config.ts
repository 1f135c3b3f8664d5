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
});

/** Variables whose values may hold secrets (a token, a Redis password). */
const secretVariables = new Set(['ADMIN_TOKEN', 'REDIS_URL']);

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
};

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
  };
}
