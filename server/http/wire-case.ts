import { ApiError } from '../errors.ts';
import { maxJsonDepth } from '../wire/wire-values.ts';

/**
 * Vectara v1 is proto-JSON: clients may send `num_results` or `numResults`. We normalise object
 * keys to camelCase once, before validation; values (texts, metadata JSON strings) are untouched.
 */

export function camelCaseKeys(value: unknown, depth = 0): unknown {
  // No request of the API nests this deep; refusing here keeps every later step off the stack.
  if (depth > maxJsonDepth) {
    throw new ApiError(
      'INVALID_ARGUMENT',
      `The request body nests deeper than ${maxJsonDepth} levels.`,
    );
  }
  if (Array.isArray(value)) return value.map((item) => camelCaseKeys(item, depth + 1));
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    if (key === '__proto__') continue; // JSON.parse makes it an own key; assigning it would set the prototype
    out[toCamel(key)] = camelCaseKeys(item, depth + 1);
  }
  return out;
}

const toCamel = (key: string) => key.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());

/** A body kept as sent still gets the depth check, and loses `__proto__` keys. */
export function checkDepth(value: unknown, depth = 0): unknown {
  if (depth > maxJsonDepth) {
    throw new ApiError(
      'INVALID_ARGUMENT',
      `The request body nests deeper than ${maxJsonDepth} levels.`,
    );
  }
  if (Array.isArray(value)) return value.map((item) => checkDepth(item, depth + 1));
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    if (key === '__proto__') continue;
    out[key] = checkDepth(item, depth + 1);
  }
  return out;
}
