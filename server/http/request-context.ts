import type { ErrorCode } from '../errors.ts';
import type { ApiKeyRecord } from '../keys/key-store.ts';

/** Who is calling, once authentication has run. */
export type Principal =
  | { kind: 'key'; customerId: number; key: ApiKeyRecord }
  | { kind: 'admin'; customerId: number };

declare global {
  namespace Express {
    interface Locals {
      requestId: string;
      principal?: Principal;
      /** The verified API key, for the rate limiters and usage counters. */
      apiKey?: ApiKeyRecord;
      /** The error code the request was answered with, for logs and usage counters. */
      refusal?: ErrorCode;
    }
  }
}
