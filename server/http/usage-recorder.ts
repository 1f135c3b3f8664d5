import type { RequestHandler } from 'express';
import type { UsageBuffer } from '../keys/usage-buffer.ts';

/** Counts each request made with a known key, accepted or refused by reason, once it is answered. */
export function recordKeyUsage(usage: UsageBuffer): RequestHandler {
  return (_req, res, next) => {
    res.on('finish', () => {
      const keyId = res.locals.keyId;
      if (!keyId) return;
      // A stream that failed after it started answered 200, but its refusal is what counts.
      const outcome = res.locals.refusal ?? (res.statusCode < 400 ? 'ok' : 'INTERNAL');
      usage.add(keyId, outcome, Date.now());
    });
    next();
  };
}
