import type { RequestHandler } from 'express';
import type { Logger } from 'pino';

/** One line per request: path without query string, status, time, and the key id (never the key). */
export function requestLog(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      if (!logger.isLevelEnabled('info')) return;
      const principal = res.locals.principal;
      logger.info({
        requestId: res.locals.requestId,
        method: req.method,
        path: req.path,
        status: res.statusCode,
        ms: Number(process.hrtime.bigint() - started) / 1e6,
        keyId: res.locals.apiKey?.id,
        customerId: principal?.customerId,
        error: res.locals.refusal,
      });
    });
    next();
  };
}
