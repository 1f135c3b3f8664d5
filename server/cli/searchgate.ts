import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Command, CommanderError } from 'commander';
import { projectPaths } from '../project-paths.ts';
import { addAuditCommand } from './audit-command.ts';
import { type CliIo, commandPath, ExitCode } from './cli-io.ts';
import { addCorpusCommand } from './corpus-command.ts';
import { addDemoCommand } from './demo-command.ts';
import { addIndexCommand } from './index-command.ts';
import { addKeysCommand } from './keys-command.ts';
import type { CliContext } from './owner-command.ts';
import { addServeCommand } from './serve-command.ts';

const version = (
  JSON.parse(readFileSync(path.join(projectPaths.root, 'package.json'), 'utf8')) as {
    version: string;
  }
).version;

/**
 * Every command parses, reports errors and prints help the same way: commander writes to the
 * CLI's streams and never exits the process itself, and an error names the command it is about
 * (`searchgate keys create: unknown option '--corpsu'`) and where its usage is.
 */
function configureTree(command: Command, io: CliIo): void {
  const name = commandPath(command);
  command
    .exitOverride()
    .helpOption('-h, --help', 'show this help')
    // Command lists name the commands; each command's own help shows its arguments.
    .configureHelp({ subcommandTerm: (sub) => sub.name() })
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
      outputError: (text, write) => write(`${name}: ${text.replace(/^error: /, '')}`),
    })
    .showHelpAfterError(`Run '${name} --help' for usage.`);
  if (command.commands.length > 0) command.helpCommand('help [command]', 'show help for a command');
  for (const sub of command.commands) configureTree(sub, io);
}

/** The `searchgate` command tree for one run; `cli.exitCode` holds what the action decided. */
export function createProgram(cli: CliContext): Command {
  const program = new Command('searchgate')
    .description(
      'Site search behind a public, query-only API key: the server, and the owner tools that talk to it.',
    )
    .usage('<command> [options]')
    .version(version, '-V, --version', 'show the version');
  addServeCommand(program, cli);
  addDemoCommand(program, cli);
  addIndexCommand(program, cli);
  addKeysCommand(program, cli);
  addCorpusCommand(program, cli);
  addAuditCommand(program, cli);
  configureTree(program, cli.io);
  return program;
}

/**
 * Runs `searchgate <argv>` and resolves to its exit code: 0 done, 1 the server refused or could
 * not be reached, 2 the command line was wrong (help asked for is 0, help shown because a
 * command was missing is 2).
 */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const cli: CliContext = { io, exitCode: ExitCode.ok };
  try {
    await createProgram(cli).parseAsync([...argv], { from: 'user' });
    return cli.exitCode;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
    throw error;
  }
}

/** Runs the CLI on this process's arguments and sets its exit code. */
export function runCli(): void {
  main(process.argv.slice(2), {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
  }).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`searchgate: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exitCode = 1;
    },
  );
}
