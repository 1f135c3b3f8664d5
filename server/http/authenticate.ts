import type { Request, RequestHandler } from 'express';
import type { AccountStore } from '../accounts/account-store.ts';
import { ApiError } from '../errors.ts';
import { originAllowed } from '../keys/allowed-origins.ts';
import { parseSecret } from '../keys/key-format.ts';
import type { KeyVerifier } from '../keys/key-verifier.ts';
import { visitorAddress } from '../limits/client-ip.ts';
import type { UnknownKeyLimiter } from '../limits/unknown-key-limiter.ts';
import { allowAnyOrigin, allowCorsFor } from './cors.ts';

/** The `customer-id` header: required on every API call, as in Vectara. */
function headerCustomerId(value: string | undefined): number {
  if (value === undefined || value.trim() === '') {
    throw new ApiError('CUSTOMER_ID_MISSING', 'The customer-id header is required.');
  }
  if (!/^\d{1,16}$/.test(value.trim())) {
    throw new ApiError('INVALID_ARGUMENT', 'customer-id header: expected a numeric customer id.');
  }
  return Number(value.trim());
}

const customerIdHeader = (req: Request): string | undefined => {
  const value = req.headers['customer-id'];
  return Array.isArray(value) ? value[0] : value;
};

function bearerToken(header: string | undefined): string | null {
  if (!header) return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match?.[1]) {
    throw new ApiError('ADMIN_TOKEN_INVALID', 'Authorization must be "Bearer <admin token>".');
  }
  return match[1];
}

function authenticateAdmin(
  accounts: AccountStore,
  token: string,
  customerIdHeader: string | undefined,
) {
  const customerId = accounts.findByToken(token);
  if (customerId === null)
    throw new ApiError('ADMIN_TOKEN_INVALID', 'The admin token is not valid.');
  if (headerCustomerId(customerIdHeader) !== customerId) {
    throw new ApiError(
      'WRONG_ACCOUNT',
      'The admin token belongs to another account than customer-id.',
    );
  }
  return customerId;
}

/**
 * For query and indexing routes: an API key in `x-api-key`, or the owner's admin token.
 * Sets `res.locals.principal` (and `apiKey` for the rate limiters and usage counters).
 */
export function authenticateApiCaller(deps: {
  accounts: AccountStore;
  verifier: KeyVerifier;
  unknownKeys: UnknownKeyLimiter;
}): RequestHandler {
  return async (req, res, next) => {
    const secret = req.headers['x-api-key'];
    const origin = req.headers.origin;
    if (typeof secret !== 'string' || secret === '') {
      const token = bearerToken(req.headers.authorization);
      if (token === null) {
        allowAnyOrigin(res);
        throw new ApiError('API_KEY_MISSING', 'Send an API key in the x-api-key header.');
      }
      const customerId = authenticateAdmin(deps.accounts, token, customerIdHeader(req));
      res.locals.principal = { kind: 'admin', customerId };
      next();
      return;
    }
    // Keys already known to this instance pass; a visitor who presented too many unknown keys
    // gets no further store lookups for a while (the per-key limits cannot count them).
    const visitor = visitorAddress(req);
    let wait = 0;
    const verification = await deps.verifier.verify(secret, () => {
      wait = deps.unknownKeys.retryAfter(visitor, Date.now());
      return wait === 0;
    });
    if (!verification.valid && verification.code === 'RATE_LIMITED') {
      allowAnyOrigin(res);
      throw new ApiError('RATE_LIMITED', `${verification.message} Try again in ${wait} s.`, {
        'Retry-After': String(wait),
      });
    }
    if (!verification.valid) {
      if (verification.code === 'API_KEY_UNKNOWN')
        deps.unknownKeys.recordFailure(visitor, Date.now());
      if (!verification.key) allowAnyOrigin(res);
      else {
        res.locals.apiKey = verification.key;
        if (origin && originAllowed(origin, verification.key.allowedOrigins))
          allowCorsFor(res, origin);
      }
      throw new ApiError(verification.code, verification.message);
    }
    const { key } = verification;
    res.locals.apiKey = key;
    if (origin !== undefined) {
      // These refusals name no origin and reveal nothing: any page may read them ("*"), so the
      // widget can say "unavailable" (and back off) instead of seeing a network error.
      if (key.type === 'API_KEY_TYPE__SERVING_INDEXING') {
        allowAnyOrigin(res);
        throw new ApiError(
          'INDEX_KEY_IN_BROWSER',
          'Indexing keys are secrets and must not be used from a web page: use a query-only key there.',
        );
      }
      if (!originAllowed(origin, key.allowedOrigins)) {
        allowAnyOrigin(res);
        throw new ApiError(
          'ORIGIN_NOT_ALLOWED',
          `This API key may not be used from ${JSON.stringify(origin.slice(0, 200))}.`,
        );
      }
      allowCorsFor(res, origin);
    }
    if (headerCustomerId(customerIdHeader(req)) !== key.customerId) {
      throw new ApiError(
        'WRONG_ACCOUNT',
        'The API key belongs to another account than customer-id.',
      );
    }
    res.locals.principal = { kind: 'key', customerId: key.customerId, key };
    next();
  };
}

/** For owner routes: only the account's admin token; API keys are refused outright. */
export function authenticateAdminCaller(deps: { accounts: AccountStore }): RequestHandler {
  return (req, res, next) => {
    const token = bearerToken(req.headers.authorization);
    const tokenKind = token === null ? null : parseSecret(token);
    if (tokenKind !== null && tokenKind !== 'admin') {
      throw new ApiError(
        'ADMIN_ONLY',
        'This operation needs the admin token; API keys cannot use it.',
      );
    }
    if (token === null) {
      if (req.headers['x-api-key']) {
        throw new ApiError(
          'ADMIN_ONLY',
          'This operation needs the admin token; API keys cannot use it.',
        );
      }
      throw new ApiError(
        'ADMIN_TOKEN_MISSING',
        'Send the admin token as "Authorization: Bearer <token>".',
      );
    }
    const customerId = authenticateAdmin(deps.accounts, token, customerIdHeader(req));
    res.locals.principal = { kind: 'admin', customerId };
    next();
  };
}
