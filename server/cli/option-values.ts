import { closest, positiveInteger, UsageError } from './connection-options.ts';

/** Option values that owner commands share: durations, dates, limits and id lists. */

const unitSeconds: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400 };

/** `0`, `90s`, `10m`, `2h`, `7d` (a bare number is seconds) → seconds. */
export function durationSeconds(value: string, name: string): number {
  const match = /^(\d+)\s*([smhd]?)$/i.exec(value.trim());
  if (!match?.[1]) {
    throw new UsageError(`${name} must be a duration like 0, 90s, 10m, 2h or 7d (got "${value}")`);
  }
  return Number(match[1]) * (unitSeconds[(match[2] || 's').toLowerCase()] ?? 1);
}

/**
 * When a key expires: `never`, a date (`2026-01-31`, end of that day UTC), an ISO date-time,
 * or a time from now (`30d`, `12h`). Returns an ISO string, or null for never.
 */
export function expiryValue(value: string, name: string, now = Date.now()): string | null {
  const text = value.trim();
  if (/^(never|none)$/i.test(text)) return null;
  if (/^\d+\s*[smhd]$/i.test(text))
    return new Date(now + durationSeconds(text, name) * 1000).toISOString();
  const ms = /^\d{4}-\d{2}-\d{2}$/.test(text) ? Date.parse(`${text}T23:59:59Z`) : Date.parse(text);
  if (Number.isNaN(ms) || !/^\d{4}-\d{2}-\d{2}/.test(text)) {
    throw new UsageError(
      `${name} must be "never", a date (2026-01-31), an ISO date-time or a time from now like 30d (got "${value}")`,
    );
  }
  if (ms <= now) throw new UsageError(`${name} must be in the future (got "${value}")`);
  return new Date(ms).toISOString();
}

/** A daily quota: a positive number, or `none`. */
export function quotaValue(value: string, name: string): number | null {
  return /^(none|never|off)$/i.test(value.trim())
    ? null
    : positiveInteger(value, name, 1_000_000_000);
}

/** Repeated or comma-separated ids: `--corpus 1 --corpus 2,3` → [1, 2, 3]. */
export function idList(values: readonly string[], name: string): number[] {
  const ids = values
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter(Boolean);
  return [...new Set(ids.map((id) => positiveInteger(id, name)))];
}

/** One of a fixed set of words, with did-you-mean for a typo. */
export function choice<const T extends string>(
  value: string,
  name: string,
  choices: readonly T[],
): T {
  const found = choices.find((c) => c === value.trim().toLowerCase());
  if (found) return found;
  const hint = closest(value.trim().toLowerCase(), choices);
  throw new UsageError(
    `${name} must be one of ${choices.join(', ')} (got "${value}")${hint ? `; did you mean "${hint}"?` : ''}`,
  );
}
