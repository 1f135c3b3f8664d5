import type { ZodError, ZodType } from 'zod';
import { ApiError } from '../errors.ts';

/** Parses a body or query with its schema; a failure names every bad field as the client wrote it. */
export function parseWith<T>(schema: ZodType<T>, value: unknown): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw fromZodError(parsed.error);
}

/** Fields are named as the client wrote them: `query[0].numResults`, `search.corpora[0].corpus_key`. */
export function fromZodError(err: ZodError): ApiError {
  const fieldErrors: Record<string, string> = {};
  for (const issue of err.issues.slice(0, 50)) {
    const field = issue.path
      .map((part, i) => (typeof part === 'number' ? `[${part}]` : `${i ? '.' : ''}${String(part)}`))
      .join('');
    fieldErrors[field || '(body)'] ??= issue.message;
  }
  const [first] = Object.entries(fieldErrors);
  const message = !first
    ? 'The request is not valid.'
    : first[0] === '(body)'
      ? first[1]
      : `${first[0]}: ${first[1]}`;
  return new ApiError('INVALID_ARGUMENT', message, { fieldErrors });
}
