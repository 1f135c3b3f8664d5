import type { ErrorCode } from '../errors.ts';

/** A v2 error body: Vectara's `Error` / `BadRequestError` / `NotFoundError`, plus our `code`. */
export interface V2ErrorBody {
  messages: string[];
  request_id: string;
  /** 400s: each bad field as the client wrote it (`search.limit`), with what is wrong. */
  field_errors?: Record<string, string>;
  /** Searchgate addition: the stable error code to branch on. */
  code: ErrorCode;
}

/** A v1 error body. */
export interface V1ErrorBody {
  error: { code: ErrorCode; message: string; requestId: string };
}

export type { ErrorCode };
