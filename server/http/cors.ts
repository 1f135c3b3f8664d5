import type { RequestHandler, Response } from 'express';
import { normaliseOrigin } from '../keys/allowed-origins.ts';

/** Headers a page's script may read: what the widget needs to explain a refusal. */
const exposedHeaders = 'Retry-After, RateLimit, RateLimit-Policy, X-Request-Id';

/**
 * Allows a verified key's origin to read this answer. The origin is only echoed after it was
 * checked against the key's allowed origins; no credentials are ever allowed.
 */
export function allowCorsFor(res: Response, origin: string): void {
  // An opaque origin (`null`: sandboxed frames, file: pages) can only be answered with "*".
  res.setHeader('Access-Control-Allow-Origin', normaliseOrigin(origin) ?? '*');
  res.setHeader('Access-Control-Expose-Headers', exposedHeaders);
  res.vary('Origin');
}

/** For refusals made before any key is known (missing or unknown key): they reveal nothing. */
export function allowAnyOrigin(res: Response): void {
  res.setHeader('Access-Control-Allow-Origin', '*');
  res.setHeader('Access-Control-Expose-Headers', exposedHeaders);
}

/**
 * Preflight for the key-authenticated routes. Browsers send no `x-api-key` on a preflight, so
 * the key's allowed origins cannot be known yet: the preflight admits the headers, and the real
 * request is then refused (without CORS headers) when its origin is not allowed. `Authorization`
 * is not admitted, so admin tokens cannot be used from other sites' pages.
 */
export const answerPreflight: RequestHandler = (req, res) => {
  const origin = req.headers.origin;
  if (origin) res.setHeader('Access-Control-Allow-Origin', normaliseOrigin(origin) ?? '*');
  res.vary('Origin');
  res.setHeader('Access-Control-Allow-Methods', 'POST');
  res.setHeader('Access-Control-Allow-Headers', 'content-type, x-api-key, customer-id, timeout');
  res.setHeader('Access-Control-Max-Age', '600');
  res.status(204).end();
};
