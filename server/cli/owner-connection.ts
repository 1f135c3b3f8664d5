import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { type Command, InvalidArgumentError } from 'commander';
import { type CliIo, UsageError } from './cli-io.ts';
import { httpUrl, wholeNumber } from './option-values.ts';
import { OwnerApi } from './owner-api.ts';

export const DEFAULT_URL = 'http://127.0.0.1:8080';

/** The connection options as commander parses them. */
export interface ConnectionFlags {
  url?: string;
  customerId?: number;
  token?: string;
  tokenFile?: string;
  apiKey?: string;
  apiKeyFile?: string;
  json?: boolean;
}

/**
 * The options every command that talks to a server takes. Secrets come from the environment or
 * a file first: a command line is readable by every user of the machine (`ps`), the environment
 * of a process only by its owner.
 */
export function addConnectionOptions(command: Command, needs: ConnectionNeeds): Command {
  command
    .option('--url <url>', `server address (env SEARCHGATE_URL, default ${DEFAULT_URL})`, httpUrl)
    .option(
      '--customer-id <id>',
      needs.customerId
        ? 'account id (env SEARCHGATE_CUSTOMER_ID)'
        : 'account id, checked against the token when given (env SEARCHGATE_CUSTOMER_ID)',
      wholeNumber(),
    )
    .option('--token-file <file>', 'read the admin token from a file (env SEARCHGATE_TOKEN_FILE)')
    .option('--token <token>', 'admin token (visible in ps: prefer env SEARCHGATE_TOKEN)');
  if (needs.apiKey) {
    command
      .option(
        '--api-key-file <file>',
        'read an indexing API key from a file, instead of the admin token (env SEARCHGATE_API_KEY_FILE)',
      )
      .option('--api-key <key>', 'indexing API key (visible in ps: prefer env SEARCHGATE_API_KEY)');
  }
  return command.option('--json', 'print the result as JSON on stdout (errors too), for scripts');
}

/** Longer than any token or key: a file this big is the wrong file, and is not read whole. */
const MAX_SECRET_BYTES = 4096;

/** A secret from a file: trimmed (editors add a newline), bounded, and warned about if others can read it. */
function readSecretFile(file: string, what: string, io: CliIo): string {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new UsageError(`cannot read ${what} ${file}: ${code}`);
  }
  try {
    const stats = fstatSync(fd);
    if (stats.isDirectory()) throw new UsageError(`${what} ${file} is a folder`);
    // Only regular files have meaningful modes (/dev/stdin and pipes are fine).
    if (stats.isFile() && (stats.mode & 0o004) !== 0) {
      const mode = (stats.mode & 0o777).toString(8);
      io.stderr.write(
        `searchgate: warning: ${file} can be read by every user (mode ${mode}); chmod 600 it.\n`,
      );
    }
    const buffer = Buffer.alloc(MAX_SECRET_BYTES + 1);
    let length = 0;
    for (let read = 1; read > 0 && length < buffer.length; length += read) {
      read = readSync(fd, buffer, length, buffer.length - length, null);
    }
    if (length > MAX_SECRET_BYTES) throw new UsageError(`${what} ${file} is too big for a secret`);
    const secret = buffer.toString('utf8', 0, length).trim();
    if (secret === '') throw new UsageError(`${what} ${file} is empty`);
    return secret;
  } finally {
    closeSync(fd);
  }
}

type SecretName = 'token' | 'api-key';
const secretVariable = { token: 'SEARCHGATE_TOKEN', 'api-key': 'SEARCHGATE_API_KEY' } as const;

/** The secret from `--name` (with a warning) or `--name-file`, if either was given. */
function secretFromFlags(
  name: SecretName,
  value: string | undefined,
  file: string | undefined,
  io: CliIo,
): string | undefined {
  if (value !== undefined && file !== undefined) {
    throw new UsageError(`give either --${name} or --${name}-file, not both`);
  }
  if (value !== undefined) {
    io.stderr.write(
      `searchgate: warning: --${name} on the command line can be read by every user of this machine (ps); set ${secretVariable[name]} or use --${name}-file instead.\n`,
    );
    if (value.trim() === '') throw new UsageError(`--${name} is empty`);
    return value;
  }
  return file === undefined ? undefined : readSecretFile(file, `--${name}-file`, io);
}

function secretFromEnv(name: SecretName, io: CliIo): string | undefined {
  const variable = secretVariable[name];
  const value = io.env[variable];
  if (value) return value;
  const file = io.env[`${variable}_FILE`];
  return file ? readSecretFile(file, `${variable}_FILE`, io) : undefined;
}

export type Credentials = { token: string } | { apiKey: string };

export interface Connection {
  url: string;
  /** Checked by v2 when given; v1 indexing needs it. */
  customerId: number | undefined;
  credentials: Credentials;
}

/** What a command needs beside the server's address. */
export interface ConnectionNeeds {
  /** An indexing API key may stand in for the admin token. */
  apiKey: boolean;
  /** The account id must be known (v1 routes name it; v2 ones learn it from the token). */
  customerId?: boolean;
}

/** A value from the environment checked by the option's own parser, named in the message. */
function checked<T>(variable: string, value: string, parse: (value: string) => T): T {
  try {
    return parse(value);
  } catch (error) {
    if (!(error instanceof InvalidArgumentError)) throw error;
    throw new UsageError(`${variable}="${value}" is invalid. ${error.message}`);
  }
}

/**
 * Flags win over the environment (so `--api-key-file` works with a token in the env); the
 * token wins over an API key in the environment. A missing or malformed value is a `UsageError`.
 */
export function readConnection(
  flags: ConnectionFlags,
  io: CliIo,
  { apiKey: acceptsApiKey, customerId: needsCustomerId = false }: ConnectionNeeds,
): Connection {
  const tokenFlag = secretFromFlags('token', flags.token, flags.tokenFile, io);
  const keyFlag = acceptsApiKey
    ? secretFromFlags('api-key', flags.apiKey, flags.apiKeyFile, io)
    : undefined;
  if (tokenFlag !== undefined && keyFlag !== undefined) {
    throw new UsageError('give either --token or --api-key, not both');
  }
  let credentials: Credentials | undefined;
  if (tokenFlag !== undefined) credentials = { token: tokenFlag };
  else if (keyFlag !== undefined) credentials = { apiKey: keyFlag };
  else {
    const token = secretFromEnv('token', io);
    const key = token === undefined && acceptsApiKey ? secretFromEnv('api-key', io) : undefined;
    if (token !== undefined) credentials = { token };
    else if (key !== undefined) credentials = { apiKey: key };
  }
  if (!credentials) {
    throw new UsageError(
      acceptsApiKey
        ? 'missing admin token or API key: set SEARCHGATE_TOKEN or SEARCHGATE_API_KEY, or use --token-file or --api-key-file'
        : 'missing admin token: set SEARCHGATE_TOKEN, or use --token-file',
    );
  }

  const { SEARCHGATE_URL: envUrl, SEARCHGATE_CUSTOMER_ID: envCustomerId } = io.env;
  const customerId =
    flags.customerId ??
    (envCustomerId ? checked('SEARCHGATE_CUSTOMER_ID', envCustomerId, wholeNumber()) : undefined);
  if (customerId === undefined && needsCustomerId) {
    throw new UsageError('missing account id: set SEARCHGATE_CUSTOMER_ID, or use --customer-id');
  }
  const url = flags.url ?? (envUrl ? checked('SEARCHGATE_URL', envUrl, httpUrl) : DEFAULT_URL);
  return { url, customerId, credentials };
}

/** The client for a connection, marked as the CLI in the audit log. */
export const ownerApiFor = (connection: Connection): OwnerApi =>
  new OwnerApi({
    url: connection.url,
    customerId: connection.customerId,
    ...connection.credentials,
    client: 'cli',
  });
