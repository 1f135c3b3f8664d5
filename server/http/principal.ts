import type { ErrorCode } from '../errors.ts';
import type { ApiKeyRecord } from '../keys/key-store.ts';

/** Who is calling, once the caller check has run: an API key, or an account's owner. */
export type Principal =
  | { kind: 'key'; customerId: number; key: ApiKeyRecord }
  | { kind: 'owner'; customerId: number };

/** Which API a route belongs to: it decides the error shape and the body's key case. */
export type ApiVersion = 'v1' | 'v2';

declare global {
  namespace Express {
    interface Locals {
      requestId: string;
      api: ApiVersion;
      /** The route template that answered (`/v2/corpora/:corpus_key/query`), for metrics. */
      route?: string;
      /** Set once by the caller check (`caller.ts`); routes read it, never decide it again. */
      caller?: Principal;
      /** The answer came from Vectara (companion mode), for the outage log. */
      viaUpstream?: boolean;
      /** The id of the API key presented, accepted or refused: for usage counters and logs. */
      keyId?: string;
      /** The error code the request was answered with, for logs and usage counters. */
      refusal?: ErrorCode;
    }
  }
}

export const apiOfPath = (path: string): ApiVersion => (path.startsWith('/v2/') ? 'v2' : 'v1');
