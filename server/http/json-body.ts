import express, { type RequestHandler } from 'express';
import { ApiError } from '../errors.ts';
import { kib } from './route.ts';
import { camelCaseKeys, checkDepth } from './wire-case.ts';

/**
 * Content types we read as JSON. `curl -d` sends form-urlencoded and Python `requests` with a
 * string body sends none: Vectara's own examples do both, so they must work here too.
 */
const acceptedTypes = new Set([
  'application/json',
  'application/x-www-form-urlencoded',
  'text/plain',
]);

/** Content codings body-parser decodes; `limit` applies to the decoded bytes (no zip bombs). */
const supportedEncodings = ['identity', 'gzip', 'deflate', 'br'];

/**
 * `x-gzip` is gzip under its old name (RFC 9110 §8.4.1.3: recipients should treat them alike);
 * anything else we cannot decode is a clear 415 before a byte is read.
 */
const checkEncoding: RequestHandler = (req, _res, next) => {
  const raw = req.headers['content-encoding'];
  if (raw === undefined) return next();
  const encoding = raw.trim().toLowerCase();
  if (encoding === 'x-gzip') req.headers['content-encoding'] = 'gzip';
  else if (!supportedEncodings.includes(encoding)) {
    return next(
      new ApiError(
        'UNSUPPORTED_MEDIA_TYPE',
        `Content-Encoding ${JSON.stringify(raw.slice(0, 40))} is not supported: send the body as is, or with gzip, deflate or br.`,
      ),
    );
  }
  next();
};

/**
 * Reads a JSON object body of at most `limit` bytes into `req.body`. v1 is proto-JSON, whose
 * clients send `num_results` or `numResults`: its keys are normalised to camelCase; v2 is
 * snake_case only, as Vectara's, and is kept as sent.
 */
export function jsonBody(limit: number, keys: 'camelCase' | 'as-sent'): RequestHandler[] {
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
      next(new ApiError('INVALID_JSON'));
      return;
    }
    req.body = keys === 'camelCase' ? camelCaseKeys(req.body) : checkDepth(req.body);
    next();
  };
  return [checkType, checkEncoding, parse, normalise];
}

/** body-parser errors carry a `type`; map them to our codes. */
export function bodyParserError(err: unknown): ApiError | null {
  if (typeof err !== 'object' || err === null) return null;
  if (isDecompressionError(err)) {
    return new ApiError(
      'INVALID_ENCODING',
      'The request body could not be decompressed: it does not match its Content-Encoding.',
    );
  }
  if (!('type' in err)) return null;
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
      return new ApiError(
        'UNSUPPORTED_MEDIA_TYPE',
        'The Content-Encoding is not supported: send the body as is, or with gzip, deflate or br.',
      );
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

/** zlib's errors for a corrupt stream: `Z_DATA_ERROR`…, brotli's `ERR__ERROR_FORMAT_…`. */
function isDecompressionError(err: object): boolean {
  const code = 'code' in err ? String(err.code) : '';
  return /^(Z_|ERR__ERROR_|ERR_BROTLI)/.test(code);
}
