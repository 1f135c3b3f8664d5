import { runAuditCommand } from './audit-command.ts';
import { runCorpusCommand } from './corpus-command.ts';
import { runDemoCommand } from './demo-command.ts';
import { type CliIo, runIndexCommand } from './index-command.ts';
import { runKeysCommand } from './keys-command.ts';
import { runServeCommand } from './serve-command.ts';

const commands: Record<
  string,
  { summary: string; run: (argv: string[], io: CliIo) => Promise<number> }
> = {
  serve: {
    summary: 'start the server (configured by environment variables)',
    run: runServeCommand,
  },
  demo: {
    summary: 'start the server with the demo site and indexed package docs',
    run: runDemoCommand,
  },
  index: { summary: 'index HTML, Markdown and text files into a corpus', run: runIndexCommand },
  keys: {
    summary: 'create, list, disable, enable, rotate, update, delete API keys',
    run: runKeysCommand,
  },
  corpus: { summary: 'create, list, delete corpora', run: runCorpusCommand },
  audit: { summary: "show the account's audit log", run: runAuditCommand },
};

const usage = () =>
  `Usage: searchgate <command> [options]\n\nCommands:\n${Object.entries(commands)
    .map(([name, c]) => `  ${name.padEnd(10)} ${c.summary}`)
    .join('\n')}\n\nRun "searchgate <command> --help" for a command's options.\n`;

/** The `searchgate` CLI: one function per command, each returning its exit code. */
export async function main(argv: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(usage());
    return name === undefined ? 2 : 0;
  }
  const command = commands[name];
  if (!command) {
    io.stderr.write(`Unknown command "${name}".\n\n${usage()}`);
    return 2;
  }
  return command.run(rest, io);
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
