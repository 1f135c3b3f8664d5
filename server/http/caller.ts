import type { Request, RequestHandler, Response } from 'express';
import type { AccountStore } from '../accounts/account-store.ts';
import { ApiError } from '../errors.ts';
import { originAllowed } from '../keys/allowed-origins.ts';
import { hashSecret, parseSecret } from '../keys/key-format.ts';
import type { KeyVerifier } from '../keys/key-verifier.ts';
import { visitorAddress } from '../limits/client-ip.ts';
import type { GuessThrottle } from '../limits/guess-throttle.ts';
import { allowAnyOrigin, allowCorsFor } from './cors.ts';
import type { Principal } from './principal.ts';

/**
 * The one place that decides who is calling. Every protected route declares what it needs:
 * - `query`: an API key (either type) or the owner;
 * - `index`: an indexing key or the owner;
 * - `owner`: the admin token only (v2 also takes it in `x-api-key`, as Vectara's personal key).
 * It checks the credential, the key's origins and scope, the account named by `customer-id`,
 * and sets `res.locals.caller`; routes then only check the corpora they touch (corpus-access.ts).
 */
export type Access = 'query' | 'index' | 'owner';

export interface CallerDeps {
  accounts: AccountStore;
  verifier: KeyVerifier;
  /** Failed admin-token attempts per address: guessing is throttled like unknown keys. */
  ownerGuesses: GuessThrottle;
}

/** Hashes of admin tokens that verified here: never throttled for someone else's guessing. */
const maxKnownTokens = 1_000;

/** Builds the caller check; its state (tokens that verified here) is shared by every route. */
export function callerCheck(deps: CallerDeps): (access: Access) => RequestHandler {
  const knownTokens = new Set<string>();

  const owner = (req: Request, token: string): Principal => {
    const origin = req.headers.origin;
    if (origin !== undefined && !sameSite(req, origin)) {
      throw new ApiError('ADMIN_TOKEN_IN_BROWSER');
    }
    const hash = hashSecret(token);
    const visitor = visitorAddress(req);
    if (!knownTokens.has(hash)) {
      const wait = deps.ownerGuesses.retryAfter(visitor, Date.now());
      if (wait > 0) {
        throw new ApiError(
          'RATE_LIMITED',
          `Too many wrong admin tokens from this address. Try again in ${wait} s.`,
          { headers: { 'Retry-After': String(wait) } },
        );
      }
    }
    const customerId = deps.accounts.findByToken(token);
    if (customerId === null) {
      deps.ownerGuesses.recordFailure(visitor, Date.now());
      throw new ApiError('ADMIN_TOKEN_INVALID');
    }
    if (knownTokens.size >= maxKnownTokens) knownTokens.clear();
    knownTokens.add(hash);
    return { kind: 'owner', customerId };
  };

  const apiKey = async (
    req: Request,
    res: Response,
    secret: string,
    access: Access,
  ): Promise<Principal> => {
    const origin = req.headers.origin;
    const verification = await deps.verifier.verify(secret, visitorAddress(req));
    if (!verification.valid) {
      if (verification.key) {
        res.locals.keyId = verification.key.id;
        if (origin && originAllowed(origin, verification.key.allowedOrigins)) {
          allowCorsFor(res, origin);
        }
      } else allowAnyOrigin(res);
      const wait = verification.retryAfterSeconds;
      throw new ApiError(verification.code, verification.message, {
        headers: wait === undefined ? {} : { 'Retry-After': String(wait) },
      });
    }
    const { key } = verification;
    res.locals.keyId = key.id;
    if (origin !== undefined) {
      // These refusals name no origin and reveal nothing: any page may read them ("*"), so the
      // widget can say "unavailable" (and back off) instead of seeing a network error.
      if (key.type === 'API_KEY_TYPE__SERVING_INDEXING') {
        allowAnyOrigin(res);
        throw new ApiError('INDEX_KEY_IN_BROWSER');
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
    if (access === 'index' && key.type !== 'API_KEY_TYPE__SERVING_INDEXING') {
      throw new ApiError('SCOPE_NOT_ALLOWED');
    }
    return { kind: 'key', customerId: key.customerId, key };
  };

  return (access) => async (req, res, next) => {
    const v2 = res.locals.api === 'v2';
    const presented = singleHeader(req, 'x-api-key') ?? null;
    const bearer = bearerToken(req.headers.authorization);
    // v2 takes the admin token in x-api-key too (Vectara's personal API key goes there): ours
    // (`sga_…`), or one the operator chose in ADMIN_TOKEN, which has no format of ours.
    const presentedKind = presented === null ? null : parseSecret(presented);
    const adminInKeyHeader =
      v2 &&
      presented !== null &&
      (presentedKind === 'admin' ||
        (presentedKind === null &&
          (access === 'owner' || deps.accounts.findByToken(presented) !== null)));
    const ownerToken: string | null = bearer ?? (adminInKeyHeader ? presented : null);
    const keySecret: string | null = adminInKeyHeader ? null : presented;

    let principal: Principal;
    const bearerKind = bearer === null ? null : parseSecret(bearer);
    if (access === 'owner') {
      if (keySecret !== null || (bearerKind !== null && bearerKind !== 'admin')) {
        throw new ApiError('ADMIN_ONLY');
      }
      if (ownerToken === null) throw new ApiError('ADMIN_TOKEN_MISSING');
      principal = owner(req, ownerToken);
    } else if (keySecret !== null) {
      principal = await apiKey(req, res, keySecret, access);
    } else if (ownerToken !== null) {
      principal = owner(req, ownerToken);
    } else {
      allowAnyOrigin(res);
      throw new ApiError('API_KEY_MISSING');
    }

    const named = customerIdHeader(req, !v2);
    if (named !== null && named !== principal.customerId) {
      throw new ApiError(
        'WRONG_ACCOUNT',
        principal.kind === 'key'
          ? 'The API key belongs to another account than customer-id.'
          : 'The admin token belongs to another account than customer-id.',
      );
    }
    res.locals.caller = principal;
    next();
  };
}

/** v1 needs `customer-id` on every call, as Vectara v1 did; v2 checks it only when sent. */
function customerIdHeader(req: Request, isRequired: boolean): number | null {
  const value = singleHeader(req, 'customer-id')?.trim();
  if (value === undefined || value === '') {
    if (isRequired) throw new ApiError('CUSTOMER_ID_MISSING');
    return null;
  }
  if (!/^\d{1,16}$/.test(value)) {
    throw new ApiError('INVALID_ARGUMENT', 'customer-id header: expected a numeric customer id.');
  }
  return Number(value);
}

function singleHeader(req: Request, name: string): string | undefined {
  const value = req.headers[name];
  const first = Array.isArray(value) ? value[0] : value;
  return first === '' ? undefined : first;
}

/**
 * The admin token from `Authorization: Bearer …`. Other schemes (a proxy's Basic auth) are not
 * ours and are ignored; a Bearer header without a token is a mistake worth naming.
 */
function bearerToken(header: string | undefined): string | null {
  if (!header || !/^Bearer\b/i.test(header)) return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match?.[1]) {
    throw new ApiError('ADMIN_TOKEN_INVALID', 'Authorization must be "Bearer <admin token>".');
  }
  return match[1];
}

/**
 * Whether a browser request comes from this server's own pages (the key console): the admin
 * token is accepted from those only. Browsers say so in Sec-Fetch-Site; older ones send an
 * Origin whose host is the one they asked.
 */
function sameSite(req: Request, origin: string): boolean {
  const site = singleHeader(req, 'sec-fetch-site');
  if (site !== undefined) return site === 'same-origin' || site === 'none';
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false;
  }
}
