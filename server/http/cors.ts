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

/** Headers a preflight never admits: credentials of the owner or of a browser session. */
const refusedRequestHeaders = new Set(['authorization', 'cookie']);
const headerName = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/**
 * Preflight for the key-authenticated routes. Browsers send no `x-api-key` on a preflight, so
 * the key's allowed origins cannot be known yet: the preflight admits the request, and the real
 * request is then refused when its origin is not allowed. It admits whatever headers the client
 * asks for (Vectara's clients add their own), except `Authorization` and `Cookie`, so admin
 * tokens and sessions cannot be used from other sites' pages.
 */
export function answerPreflight(methods: string[]): RequestHandler {
  const allowMethods = methods.join(', ');
  return (req, res) => {
    const origin = req.headers.origin;
    if (origin) res.setHeader('Access-Control-Allow-Origin', normaliseOrigin(origin) ?? '*');
    res.vary('Origin');
    res.vary('Access-Control-Request-Headers');
    res.setHeader('Access-Control-Allow-Methods', allowMethods);
    const requested = String(req.headers['access-control-request-headers'] ?? '')
      .split(',')
      .map((name) => name.trim().toLowerCase())
      .filter((name) => name !== '' && headerName.test(name) && !refusedRequestHeaders.has(name))
      .slice(0, 50);
    const admitted = new Set(['content-type', 'x-api-key', 'customer-id', ...requested]);
    res.setHeader('Access-Control-Allow-Headers', [...admitted].join(', '));
    res.setHeader('Access-Control-Max-Age', '600');
    res.status(204).end();
  };
}
