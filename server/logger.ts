import { createRequire } from 'node:module';
import pino, { type Logger } from 'pino';

export type { Logger };

export type LogFormat = 'json' | 'pretty';

type PrettyFactory = (options: {
  destination?: pino.DestinationStream | number;
  colorize?: boolean;
  sync?: boolean;
}) => pino.DestinationStream;

/** pino-pretty, loaded only when a person asked for it: JSON logs never pay for it. */
const loadPretty = (): PrettyFactory => createRequire(import.meta.url)('pino-pretty');

/**
 * Structured JSON logs (or the same lines made readable with `pretty`). Secrets never reach them:
 * request logs carry the key *id* only, and the redaction list is a second line of defence
 * should a header object ever be logged.
 */
export function createLogger(
  level: string,
  destination?: pino.DestinationStream,
  format: LogFormat = 'json',
): Logger {
  const output =
    format === 'pretty'
      ? loadPretty()({
          // In-process and synchronous, so nothing is lost when the process exits.
          destination: destination ?? 1,
          colorize: destination === undefined && process.stdout.isTTY === true,
          sync: true,
        })
      : destination;
  return pino(
    {
      level,
      base: undefined,
      redact: {
        paths: [
          'req.headers["x-api-key"]',
          'req.headers.authorization',
          'headers["x-api-key"]',
          'headers.authorization',
          'apiKey',
          'adminToken',
          'secret',
        ],
        censor: '[redacted]',
      },
    },
    output,
  );
}
