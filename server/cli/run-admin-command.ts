import { createInterface } from 'node:readline/promises';
import { AdminClient, ClientError } from './admin-client.ts';
import {
  type CliIo,
  type Connection,
  closest,
  connectionOptions,
  parseCommandLine,
  readConnection,
  UsageError,
} from './connection-options.ts';
import { OwnerApi } from './owner-api.ts';

type OptionSpec = { type: 'string' | 'boolean'; short?: string; multiple?: boolean };
type Parsed<O extends Record<string, OptionSpec>> = ReturnType<
  typeof parseCommandLine<typeof connectionOptions & O>
>;

export interface AdminCommandContext<O extends Record<string, OptionSpec>> {
  values: Parsed<O>['values'];
  positionals: string[];
  api: OwnerApi;
  connection: Connection;
  json: boolean;
  io: CliIo;
}

export interface AdminCommand<O extends Record<string, OptionSpec>> {
  /** As typed, e.g. `keys create`; prefixes every message. */
  name: string;
  usage: string;
  options: O;
  /** Resolves to the exit code (0 when nothing is returned). Throw `UsageError` for bad input. */
  run: (context: AdminCommandContext<O>) => Promise<number | undefined>;
}

/**
 * Parses, connects and runs one owner command, mapping outcomes to exit codes scripts can
 * trust: 0 done, 1 the server refused or could not be reached, 2 the command line was wrong.
 */
export async function runAdminCommand<const O extends Record<string, OptionSpec>>(
  argv: string[],
  io: CliIo,
  command: AdminCommand<O>,
): Promise<number> {
  const json = argv.includes('--json');
  try {
    const parsed = parseCommandLine(argv, { ...connectionOptions, ...command.options });
    // TypeScript cannot compute parseArgs' result for a generic O; the shared options are known.
    const values = parsed.values as Parsed<O>['values'];
    const common = parsed.values as Parsed<Record<never, OptionSpec>>['values'];
    if (common.help) {
      io.stdout.write(command.usage);
      return 0;
    }
    const connection = readConnection(common, io.env);
    const api = new OwnerApi(new AdminClient({ ...connection, client: 'cli' }));
    const { positionals } = parsed;
    return (
      (await command.run({
        values,
        positionals,
        api,
        connection,
        json: common.json === true,
        io,
      })) ?? 0
    );
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(
        `searchgate ${command.name}: ${error.message}\nRun 'searchgate ${command.name} --help' for usage.\n`,
      );
      return 2;
    }
    if (error instanceof ClientError) {
      const where = error.status > 0 ? ` (HTTP ${error.status})` : '';
      io.stderr.write(`searchgate ${command.name}: ${error.code}: ${error.message}${where}\n`);
      if (json) {
        const { code, message, status, requestId } = error;
        io.stdout.write(`${JSON.stringify({ error: { code, message, status, requestId } })}\n`);
      }
      return 1;
    }
    throw error;
  }
}

export interface Subcommand {
  summary: string;
  run: (argv: string[], io: CliIo) => Promise<number>;
}

/** `searchgate <group> <subcommand> …`: help for the group, did-you-mean for a typo. */
export async function runSubcommand(
  group: string,
  description: string,
  subcommands: Record<string, Subcommand>,
  argv: string[],
  io: CliIo,
): Promise<number> {
  const usage = `Usage: searchgate ${group} <command> [options]\n\n${description}\n\nCommands:\n${Object.entries(
    subcommands,
  )
    .map(([name, sub]) => `  ${name.padEnd(9)} ${sub.summary}`)
    .join('\n')}\n\nRun 'searchgate ${group} <command> --help' for a command's options.\n`;
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    (name === undefined ? io.stderr : io.stdout).write(usage);
    return name === undefined ? 2 : 0;
  }
  const subcommand = subcommands[name];
  if (!subcommand) {
    const hint = closest(name, Object.keys(subcommands));
    io.stderr.write(
      `searchgate ${group}: unknown command "${name}"${hint ? ` (did you mean "${hint}"?)` : ''}\n\n${usage}`,
    );
    return 2;
  }
  return subcommand.run(rest, io);
}

/**
 * How a destructive command asks "are you sure": the test's or caller's prompt, else the
 * terminal when this process has one; `undefined` when nobody can answer.
 */
export function promptFor(io: CliIo): ((question: string) => Promise<string>) | undefined {
  if (io.prompt) return io.prompt;
  if (io.stdout !== process.stdout || !process.stdin.isTTY) return undefined;
  return async (question) => {
    const terminal = createInterface({ input: process.stdin, output: process.stdout });
    try {
      return await terminal.question(question);
    } finally {
      terminal.close();
    }
  };
}
