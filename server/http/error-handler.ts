import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Logger } from 'pino';
import { ZodError } from 'zod';
import { ApiError, ClientGoneError, KeyStoreUnavailableError } from '../errors.ts';
import { CorruptRecordError } from '../keys/key-record-schema.ts';
import { FilterSyntaxError } from '../search/search-types.ts';
import type { V1ErrorBody, V2ErrorBody } from '../wire/v2-errors.ts';
import { allowAnyOrigin } from './cors.ts';
import { bodyParserError } from './json-body.ts';
import type { OutageLog } from './outage-log.ts';
import { apiOfPath } from './principal.ts';
import { fromZodError } from './validation.ts';

/**
 * Turns any thrown value into the error shape of the route's API version. 5xx are logged with
 * their stack and never sent; store outages are logged as transitions (outage-log.ts).
 */
export function errorHandler(logger: Logger, outages: OutageLog): ErrorRequestHandler {
  return (err: unknown, req, res, next) => {
    if (res.headersSent) {
      next(err);
      return;
    }
    // Nobody is left to answer: not an error of ours, and not worth a log line.
    if (err instanceof ClientGoneError) {
      res.destroy();
      return;
    }
    const apiError = toApiError(err);
    if (apiError.status >= 500 && !outages.refused(apiError.code, err)) {
      logger.error({ err, requestId: res.locals.requestId, path: req.path }, 'request failed');
    }
    res.locals.refusal = apiError.code;
    // A key check that could not run tells the page nothing about anyone's origins.
    if (
      apiError.code === 'KEY_STORE_UNAVAILABLE' &&
      !res.hasHeader('access-control-allow-origin')
    ) {
      allowAnyOrigin(res);
    }
    for (const [name, value] of Object.entries(apiError.headers)) res.setHeader(name, value);
    const requestId = res.locals.requestId;
    if ((res.locals.api ?? apiOfPath(req.path)) === 'v2') {
      const body: V2ErrorBody = {
        messages: [apiError.message],
        request_id: requestId,
        ...(apiError.fieldErrors ? { field_errors: apiError.fieldErrors } : {}),
        code: apiError.code,
      };
      res.status(apiError.status).json(body);
    } else {
      const body: V1ErrorBody = {
        error: { code: apiError.code, message: apiError.message, requestId },
      };
      res.status(apiError.status).json(body);
    }
  };
}

export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  if (err instanceof KeyStoreUnavailableError || err instanceof CorruptRecordError) {
    return new ApiError('KEY_STORE_UNAVAILABLE', undefined, { headers: { 'Retry-After': '1' } });
  }
  if (err instanceof ZodError) return fromZodError(err);
  if (err instanceof FilterSyntaxError) {
    return new ApiError('INVALID_FILTER', `metadata filter: ${err.message}`);
  }
  const parserError = bodyParserError(err);
  if (parserError) return parserError;
  const storage = storageProblem(err);
  if (storage) {
    return new ApiError('STORAGE_UNAVAILABLE', storage, { headers: { 'Retry-After': '1' } });
  }
  return new ApiError('INTERNAL');
}

/** SQLite failures that are about the data folder, not a bug: say what is wrong, lose nothing. */
function storageProblem(err: unknown): string | null {
  const code = typeof err === 'object' && err !== null && 'code' in err ? String(err.code) : '';
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    return 'The index is busy. Try again shortly.';
  }
  if (code.startsWith('SQLITE_FULL')) return 'The index cannot be written: its disk is full.';
  if (code.startsWith('SQLITE_READONLY') || code.startsWith('SQLITE_CANTOPEN')) {
    return 'The index cannot be written: its data folder is read-only.';
  }
  if (code.startsWith('SQLITE_IOERR')) return 'The index could not be read or written (I/O error).';
  return null;
}

export const notFound: RequestHandler = (req, _res, next) => {
  next(new ApiError('NOT_FOUND', `There is no ${req.method} ${req.path}.`));
};
