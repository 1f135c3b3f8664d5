import pino, { type Logger } from 'pino';

export type { Logger };

/**
 * Structured JSON logs. Secrets never reach them: request logs carry the key *id* only, and
 * the redaction list is a second line of defence should a header object ever be logged.
 */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
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
    destination,
  );
}
