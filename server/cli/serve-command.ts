import type { Command } from 'commander';
import { ExitCode } from './cli-io.ts';
import type { CliContext } from './owner-command.ts';

/** What `serve` and `demo` say about their configuration in `--help`. */
export const environmentHelp = `
Environment:
  PORT (8080), HOST (127.0.0.1), DATA_DIR (./data), REDIS_URL (unset: embedded key store),
  ADMIN_TOKEN (unset: one is generated on the first start and shown once), CUSTOMER_ID,
  TRUST_PROXY (false), LOG_LEVEL (info), LOG_FORMAT (json, or pretty for people).`;

/** `searchgate serve`: the server alone, configured by the environment. */
export function addServeCommand(program: Command, cli: CliContext): void {
  program
    .command('serve')
    .summary('start the server (configured by environment variables)')
    .description(
      'Starts the Searchgate server, configured by environment variables. Stop it with SIGTERM or Ctrl+C: in-flight requests finish first.',
    )
    .addHelpText('after', environmentHelp)
    .action(async () => {
      // Loaded when the server starts: --help and the owner commands need no Express or SQLite.
      const [{ startServer, stopOnSignals }, { configFromEnv, generatedAdminToken, loggerFor }] =
        await Promise.all([import('../main.ts'), import('./server-environment.ts')]);
      const { io } = cli;
      const config = configFromEnv(io);
      if (!config) {
        cli.exitCode = ExitCode.usage;
        return;
      }
      const logger = loggerFor(config);
      const running = await startServer(config, logger);
      stopOnSignals(running, logger);
      const lines = [
        `Searchgate is listening on ${running.url}`,
        `  account (customer-id): ${running.customerId}`,
        `  key store: ${config.redisUrl ? 'Redis' : 'embedded (SQLite)'}; data folder: ${config.dataDir}`,
      ];
      const token = generatedAdminToken(config, running);
      if (token) lines.push(`  admin token (shown once, stored only as a hash): ${token}`);
      else if (config.adminToken) lines.push('  admin token: the one in ADMIN_TOKEN');
      io.stdout.write(`${lines.join('\n')}\n`);
      // Keeps running until a signal stops it.
      await new Promise<never>(() => {});
    });
}
