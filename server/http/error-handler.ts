import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Logger } from 'pino';
import { ZodError } from 'zod';
import { ApiError, errorBody, KeyStoreUnavailableError } from '../errors.ts';
import { FilterSyntaxError } from '../search/search-types.ts';
import { allowAnyOrigin } from './cors.ts';
import { bodyParserError } from './json-body.ts';

/** Turns any thrown value into the one error shape. 5xx are logged with their stack, never sent. */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, next) => {
    if (res.headersSent) {
      next(err);
      return;
    }
    const apiError = toApiError(err);
    if (apiError.status >= 500) {
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
    res
      .status(apiError.status)
      .json(errorBody(apiError.code, apiError.message, res.locals.requestId));
  };
}

function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  if (err instanceof KeyStoreUnavailableError) {
    return new ApiError(
      'KEY_STORE_UNAVAILABLE',
      'Keys cannot be checked right now, so the request was refused. Try again shortly.',
      { 'Retry-After': '1' },
    );
  }
  if (err instanceof ZodError) return fromZodError(err);
  if (err instanceof FilterSyntaxError) {
    return new ApiError('INVALID_FILTER', `metadataFilter: ${err.message}`);
  }
  const parserError = bodyParserError(err);
  if (parserError) return parserError;
  const storage = storageProblem(err);
  if (storage) return new ApiError('STORAGE_UNAVAILABLE', storage, { 'Retry-After': '1' });
  return new ApiError(
    'INTERNAL',
    'Something went wrong on our side. The request id helps us find it.',
  );
}

/** Names the first bad field the way a client wrote it, e.g. `query[0].numResults`. */
export function fromZodError(err: ZodError): ApiError {
  const issue = err.issues[0];
  if (!issue) return new ApiError('INVALID_ARGUMENT', 'The request is not valid.');
  const field = issue.path
    .map((part, i) => (typeof part === 'number' ? `[${part}]` : `${i ? '.' : ''}${String(part)}`))
    .join('');
  return new ApiError('INVALID_ARGUMENT', field ? `${field}: ${issue.message}` : issue.message);
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
