import type { RequestHandler } from 'express';
import type { Logger } from 'pino';
import { secretLike } from '../keys/key-format.ts';
import type { OutageLog } from './outage-log.ts';

/** One line per request: path without query string, status, time, and the key id (never the key). */
export function requestLog(logger: Logger, outages: OutageLog): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      // An API answer means the stores worked: any outage the log is tracking is over.
      if (res.statusCode < 400 && /^\/v[12]\//.test(req.path)) {
        outages.served(res.locals.viaUpstream === true);
      }
      if (!logger.isLevelEnabled('info')) return;
      const principal = res.locals.caller;
      logger.info({
        requestId: res.locals.requestId,
        method: req.method,
        // A secret put in a URL by mistake (…/api_keys/sgq_…) must not reach the log.
        path: req.path.replace(secretLike, '(secret)'),
        status: res.statusCode,
        ms: Number(process.hrtime.bigint() - started) / 1e6,
        keyId: res.locals.keyId,
        customerId: principal?.customerId,
        error: res.locals.refusal,
      });
    });
    next();
  };
}
