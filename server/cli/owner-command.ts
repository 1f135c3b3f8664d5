import type { Command } from 'commander';
import { type CliIo, commandPath, ExitCode, UsageError } from './cli-io.ts';
import { ClientError } from './client-error.ts';
import type { OwnerApi } from './owner-api.ts';
import {
  addConnectionOptions,
  type Connection,
  type ConnectionFlags,
  type ConnectionNeeds,
  ownerApiFor,
  readConnection,
} from './owner-connection.ts';

/** What every command needs: the streams, and where it leaves its exit code. */
export interface CliContext {
  io: CliIo;
  exitCode: number;
}

/** What an owner command's action gets: parsed options and arguments, and a connected client. */
export interface OwnerRun<O> {
  options: O & ConnectionFlags;
  /** The command's arguments after their parsers, in declaration order. */
  args: unknown[];
  api: OwnerApi;
  connection: Connection;
  json: boolean;
  io: CliIo;
}

/** `searchgate keys disable: KEY_NOT_FOUND: … (HTTP 404)`, and the error as JSON for `--json`. */
function reportRefusal(command: Command, io: CliIo, error: ClientError, json: boolean): void {
  const where = error.status > 0 ? ` (HTTP ${error.status})` : '';
  io.stderr.write(`${commandPath(command)}: ${error.code}: ${error.message}${where}\n`);
  if (json) {
    const { code, message, status, requestId, fieldErrors } = error;
    const fields = Object.keys(fieldErrors).length > 0 ? { fieldErrors } : {};
    const body = { error: { code, message, status, requestId, ...fields } };
    io.stdout.write(`${JSON.stringify(body)}\n`);
  }
}

/**
 * Makes `command` talk to a server: adds the connection options and an action that connects,
 * runs `run`, and maps the outcome to the exit codes scripts trust (0 done, 1 the server refused
 * or could not be reached, 2 the command line was wrong).
 */
export function ownerAction<O>(
  command: Command,
  cli: CliContext,
  run: (context: OwnerRun<O>) => Promise<number | undefined>,
  { apiKey = false, customerId = false }: Partial<ConnectionNeeds> = {},
): Command {
  const needs = { apiKey, customerId };
  addConnectionOptions(command, needs);
  return command.action(async () => {
    const options = command.opts<O & ConnectionFlags>();
    const json = options.json === true;
    try {
      const connection = readConnection(options, cli.io, needs);
      const api = ownerApiFor(connection);
      const args = command.processedArgs;
      cli.exitCode = (await run({ options, args, api, connection, json, io: cli.io })) ?? 0;
    } catch (error) {
      if (error instanceof UsageError) {
        command.error(error.message, { exitCode: ExitCode.usage, code: 'searchgate.usage' });
      }
      if (!(error instanceof ClientError)) throw error;
      reportRefusal(command, cli.io, error, json);
      cli.exitCode = ExitCode.refused;
    }
  });
}
