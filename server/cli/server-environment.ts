import { type Config, ConfigError, loadConfig } from '../config.ts';
import { createLogger, type Logger } from '../logger.ts';
import type { RunningServer } from '../main.ts';
import type { CliIo } from './cli-io.ts';

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

export const loggerFor = (config: Config): Logger =>
  createLogger(config.logLevel, undefined, config.logFormat);

/**
 * The admin token this start may print: only one Searchgate generated itself, never one the
 * operator gave in ADMIN_TOKEN, which would otherwise land in container and journal logs.
 */
export const generatedAdminToken = (config: Config, running: RunningServer): string | null =>
  config.adminToken === undefined ? running.createdAdminToken : null;
