import type { RequestHandler } from 'express';
import type { Logger } from 'pino';
import type { KeyStore } from '../keys/key-store.ts';

/** Counts each request made with a known key, accepted or refused by reason, after it is answered. */
export function recordKeyUsage(store: KeyStore, logger: Logger): RequestHandler {
  return (_req, res, next) => {
    res.on('finish', () => {
      const key = res.locals.apiKey;
      if (!key) return;
      const outcome = res.statusCode < 400 ? 'ok' : (res.locals.refusal ?? 'INTERNAL');
      store.recordUsage(key.id, outcome, Date.now()).catch((err: unknown) => {
        logger.warn({ err, keyId: key.id }, 'usage not recorded');
      });
    });
    next();
  };
}
