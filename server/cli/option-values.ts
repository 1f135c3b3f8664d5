import { InvalidArgumentError } from 'commander';
import { corpusKeyFormat } from './corpus-key-format.ts';

/**
 * Parsers for option and argument values, as commander `argParser`s: each returns the value or
 * throws `InvalidArgumentError`, which commander reports as a usage error naming the option.
 * Messages complete commander's "option '--x <n>' argument 'y' is invalid." A parser never
 * returns null: commander stores that as ''.
 */

const invalid = (message: string): never => {
  throw new InvalidArgumentError(message);
};

/** Edit distance, for "did you mean" on a mistyped word. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution);
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/** The closest candidate when it is close enough to be what was meant. */
function closest(name: string, candidates: readonly string[]): string | undefined {
  const best = candidates
    .map((candidate) => ({ candidate, cost: editDistance(name, candidate) }))
    .sort((a, b) => a.cost - b.cost)[0];
  return best && best.cost <= Math.max(2, Math.floor(name.length / 3)) ? best.candidate : undefined;
}

/** A whole number from 1 to `max`. */
export const wholeNumber =
  (max = Number.MAX_SAFE_INTEGER) =>
  (value: string): number => {
    const number = /^\d+$/.test(value.trim()) ? Number(value.trim()) : Number.NaN;
    if (!Number.isSafeInteger(number) || number < 1 || number > max) {
      invalid(
        max === Number.MAX_SAFE_INTEGER
          ? 'Expected a whole number of at least 1.'
          : `Expected a whole number from 1 to ${max}.`,
      );
    }
    return number;
  };

/** An absolute http(s) URL, kept as given. */
export function httpUrl(value: string): string {
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    invalid('Expected an absolute http(s) URL.');
  }
  if (url?.protocol !== 'http:' && url?.protocol !== 'https:') invalid('Expected an http(s) URL.');
  return value;
}

const unitSeconds: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400 };

/** `0`, `90s`, `10m`, `2h`, `7d` (a bare number is seconds) → seconds, at most `maxSeconds`. */
export const durationSeconds =
  (maxSeconds = Number.MAX_SAFE_INTEGER, maxText = '') =>
  (value: string): number => {
    const match = /^(\d+)\s*([smhd]?)$/i.exec(value.trim());
    if (!match?.[1]) return invalid('Expected a duration like 0, 90s, 10m, 2h or 7d.');
    const seconds = Number(match[1]) * (unitSeconds[(match[2] || 's').toLowerCase()] ?? 1);
    if (seconds > maxSeconds) invalid(`Expected at most ${maxText || `${maxSeconds}s`}.`);
    return seconds;
  };

/**
 * When a key expires: `never`, a date (`2026-01-31`, end of that day UTC), an ISO date-time,
 * or a time from now (`30d`, `12h`). Returns an ISO string, or `never`.
 */
export function expiryValue(value: string, now = Date.now()): string {
  const text = value.trim();
  if (/^(never|none)$/i.test(text)) return 'never';
  if (/^\d+\s*[smhd]$/i.test(text)) {
    return new Date(now + durationSeconds()(text) * 1000).toISOString();
  }
  const ms = /^\d{4}-\d{2}-\d{2}$/.test(text) ? Date.parse(`${text}T23:59:59Z`) : Date.parse(text);
  if (Number.isNaN(ms) || !/^\d{4}-\d{2}-\d{2}/.test(text)) {
    invalid('Expected "never", a date (2026-01-31), an ISO date-time or a time from now like 30d.');
  }
  if (ms <= now) invalid('Expected a time in the future.');
  return new Date(ms).toISOString();
}

/** A daily quota: a positive number, or `none`. */
export const quotaValue = (value: string): number | 'none' =>
  /^(none|never|off)$/i.test(value.trim()) ? 'none' : wholeNumber(1_000_000_000)(value);

/** A corpus key as Vectara allows it: `docs`, `help-center_2`. */
export function corpusKeyValue(value: string): string {
  const key = value.trim();
  if (!corpusKeyFormat.test(key)) invalid('Expected 1 to 50 letters, digits, "_", "=" or "-".');
  return key;
}

/** Repeated or comma-separated corpora by key or id: `--corpus docs --corpus 2,crp_3`. */
export function corpusReferences(value: string, previous: string[] = []): string[] {
  const references = value
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean);
  if (references.length === 0 || !references.every((r) => corpusKeyFormat.test(r))) {
    invalid('Expected corpus keys or ids, comma-separated (docs, 2, crp_3).');
  }
  return [...new Set([...previous, ...references])];
}

/** A corpus named by its key or id (`docs`, `2`, `crp_3`), for an argument. */
export function corpusReference(value: string): string {
  const reference = value.trim();
  if (!corpusKeyFormat.test(reference)) invalid('Expected a corpus key or id (docs, 2, crp_3).');
  return reference;
}

/** A repeatable option: every value given, in order. */
export const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

/** One of a fixed set of words, with did-you-mean for a typo. */
export const choice =
  <const T extends string>(choices: readonly T[]) =>
  (value: string): T => {
    const word = value.trim().toLowerCase();
    const found = choices.find((c) => c === word);
    if (found) return found;
    const hint = closest(word, choices);
    return invalid(
      `Expected one of ${choices.join(', ')}${hint ? ` (did you mean "${hint}"?)` : ''}.`,
    );
  };
