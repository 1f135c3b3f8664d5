import { parseArgs } from 'node:util';
import type { OutputStream } from './progress.ts';

/** What a command reads and writes: the process's streams and environment, or a test's fakes. */
export interface CliIo {
  stdout: OutputStream;
  stderr: OutputStream;
  env: Record<string, string | undefined>;
  /** Asks a question on the terminal; absent when nobody can answer (scripts, CI, tests). */
  prompt?: (question: string) => Promise<string>;
}

/** A command line the command cannot run: exit code 2, and the message names the argument. */
export class UsageError extends Error {}

export const DEFAULT_URL = 'http://127.0.0.1:8080';

/** Edit distance, for "did you mean" on a mistyped option or subcommand. */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution);
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/** The closest candidate when it is close enough to be what was meant. */
export function closest(name: string, candidates: readonly string[]): string | undefined {
  const best = candidates
    .map((candidate) => ({ candidate, cost: editDistance(name, candidate) }))
    .sort((a, b) => a.cost - b.cost)[0];
  return best && best.cost <= Math.max(2, Math.floor(name.length / 3)) ? best.candidate : undefined;
}

type OptionSpec = { type: 'string' | 'boolean'; short?: string; multiple?: boolean };

/** `parseArgs` in strict mode whose errors become `UsageError`s with a did-you-mean hint. */
export function parseCommandLine<const O extends Record<string, OptionSpec>>(
  argv: string[],
  options: O,
) {
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const unknown = /Unknown option '([^']+)'/.exec(message)?.[1];
    if (unknown === undefined) throw new UsageError(message.replace(/\. To specify .*$/s, ''));
    const name = unknown.replace(/^-+/, '').split('=')[0] ?? '';
    const hint = closest(name, Object.keys(options));
    throw new UsageError(`unknown option ${unknown}${hint ? ` (did you mean --${hint}?)` : ''}`);
  }
}

export const positiveInteger = (
  value: string,
  name: string,
  max = Number.MAX_SAFE_INTEGER,
): number => {
  const number = /^\d+$/.test(value.trim()) ? Number(value.trim()) : Number.NaN;
  if (!Number.isSafeInteger(number) || number < 1 || number > max) {
    const range =
      max === Number.MAX_SAFE_INTEGER
        ? 'a whole number of at least 1'
        : `a whole number from 1 to ${max}`;
    throw new UsageError(`${name} must be ${range} (got "${value}")`);
  }
  return number;
};

export const httpUrl = (value: string, name: string): string => {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`${name} must be an absolute http(s) URL (got "${value}")`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError(`${name} must be an http(s) URL (got "${value}")`);
  }
  return value;
};

/** The options every owner command takes to reach the admin API. */
export const connectionOptions = {
  url: { type: 'string' },
  token: { type: 'string' },
  'customer-id': { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

export const connectionHelp = `  --url URL           server address (env SEARCHGATE_URL, default ${DEFAULT_URL})
  --token T           admin token (env SEARCHGATE_TOKEN)
  --customer-id N     account id (env SEARCHGATE_CUSTOMER_ID)
  --json              print the result as JSON on stdout (errors too), for scripts
  -h, --help          show this help`;

export interface Connection {
  url: string;
  token: string;
  customerId: number;
}

/** Flags win over the environment; a missing or malformed value is a `UsageError`. */
export function readConnection(
  values: {
    url?: string | undefined;
    token?: string | undefined;
    'customer-id'?: string | undefined;
  },
  env: CliIo['env'],
): Connection {
  const token = values.token ?? (env.SEARCHGATE_TOKEN || undefined);
  if (token === undefined || token === '')
    throw new UsageError('missing --token (or SEARCHGATE_TOKEN)');
  const customerArgument = values['customer-id'] ?? env.SEARCHGATE_CUSTOMER_ID;
  if (customerArgument === undefined || customerArgument === '') {
    throw new UsageError('missing --customer-id (or SEARCHGATE_CUSTOMER_ID)');
  }
  return {
    url: httpUrl(values.url ?? (env.SEARCHGATE_URL || DEFAULT_URL), '--url'),
    token,
    customerId: positiveInteger(customerArgument, '--customer-id'),
  };
}
