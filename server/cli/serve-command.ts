import { type Config, ConfigError, loadConfig } from '../config.ts';
import { createLogger } from '../logger.ts';
import { startServer, stopOnSignals } from '../main.ts';
import type { CliIo } from './index-command.ts';

const usage = `Usage: searchgate serve

Starts the Searchgate server. Configuration comes from environment variables:
  PORT (8080), HOST (127.0.0.1), DATA_DIR (./data), REDIS_URL (unset: embedded key store),
  ADMIN_TOKEN, CUSTOMER_ID, TRUST_PROXY (false), LOG_LEVEL (info).
`;

/**
 * The configuration from the environment (with defaults the command prefers, overridden by the
 * environment), or null after saying on stderr which variable is wrong.
 */
export function configFromEnv(io: CliIo, defaults: Record<string, string> = {}): Config | null {
  try {
    return loadConfig({ ...defaults, ...io.env });
  } catch (err) {
    if (err instanceof ConfigError) {
      io.stderr.write(`${err.message}\n`);
      return null;
    }
    throw err;
  }
}

/** `searchgate serve`: the server alone, configured by the environment. */
export async function runServeCommand(argv: string[], io: CliIo): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    io.stdout.write(usage);
    return 0;
  }
  if (argv.length > 0) {
    io.stderr.write(
      `searchgate serve takes no arguments (got "${argv[0]}"); configure it with environment variables.\n\n${usage}`,
    );
    return 2;
  }
  const config = configFromEnv(io);
  if (!config) return 2;
  const logger = createLogger(config.logLevel);
  const running = await startServer(config, logger);
  stopOnSignals(running, logger);
  const lines = [
    `Searchgate is listening on ${running.url}`,
    `  account (customer-id): ${running.customerId}`,
    `  key store: ${config.redisUrl ? 'Redis' : 'embedded (SQLite)'}; data folder: ${config.dataDir}`,
  ];
  if (running.createdAdminToken) {
    lines.push(`  admin token (shown once, stored only as a hash): ${running.createdAdminToken}`);
  }
  io.stdout.write(`${lines.join('\n')}\n`);
  // Keeps running until a signal stops it.
  return new Promise<number>(() => {});
}
