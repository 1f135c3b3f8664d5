import express, { type RequestHandler } from 'express';
import { ApiError } from '../errors.ts';
import { camelCaseKeys } from './wire-case.ts';

/**
 * Content types we read as JSON. `curl -d` sends form-urlencoded and Python `requests` with a
 * string body sends none: Vectara's own examples do both, so they must work here too.
 */
const acceptedTypes = new Set([
  'application/json',
  'application/x-www-form-urlencoded',
  'text/plain',
]);

export const kib = 1024;

/** Reads a JSON object body of at most `limit` bytes into `req.body`, keys in camelCase. */
export function jsonBody(limit: number): RequestHandler[] {
  const checkType: RequestHandler = (req, _res, next) => {
    const type = req.headers['content-type']?.split(';')[0]?.trim().toLowerCase();
    if (type && !acceptedTypes.has(type) && !type.endsWith('+json')) {
      next(
        new ApiError(
          'UNSUPPORTED_MEDIA_TYPE',
          `Content-Type ${type} is not supported: send application/json.`,
        ),
      );
      return;
    }
    next();
  };
  const parse = express.json({ limit, type: () => true, strict: true });
  const normalise: RequestHandler = (req, _res, next) => {
    if (
      req.body === undefined ||
      req.body === null ||
      typeof req.body !== 'object' ||
      Array.isArray(req.body)
    ) {
      next(new ApiError('INVALID_JSON', 'The request body must be a JSON object.'));
      return;
    }
    req.body = camelCaseKeys(req.body);
    next();
  };
  return [checkType, parse, normalise];
}

/** body-parser errors carry a `type`; map them to our codes. */
export function bodyParserError(err: unknown): ApiError | null {
  if (typeof err !== 'object' || err === null || !('type' in err)) return null;
  const { type, limit } = err as { type: unknown; limit?: unknown };
  switch (type) {
    case 'entity.too.large':
      return new ApiError(
        'PAYLOAD_TOO_LARGE',
        `The request body is larger than ${typeof limit === 'number' ? `${Math.round(limit / kib)} KiB` : 'allowed'}.`,
      );
    case 'entity.parse.failed':
      return new ApiError('INVALID_JSON', 'The request body is not valid JSON.');
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new ApiError('UNSUPPORTED_MEDIA_TYPE', 'The request body must be UTF-8 JSON.');
    case 'request.aborted':
    case 'request.size.invalid':
    case 'stream.encoding.set':
      return new ApiError('INVALID_ARGUMENT', 'The request body could not be read.');
    default:
      return null;
  }
}
