import { type ErrorCode, isErrorCode } from '../errors.ts';
import type { ApiKeyRecord, KeySettings, KeyUsage } from './key-store.ts';

/** The record after an owner's change; absent or undefined settings keep their value. */
export function applySettings(record: ApiKeyRecord, settings: KeySettings): ApiKeyRecord {
  const next: ApiKeyRecord = { ...record, limits: { ...record.limits } };
  if (settings.description !== undefined) next.description = settings.description;
  if (settings.enabled !== undefined) next.enabled = settings.enabled;
  if (settings.expiresAt !== undefined) next.expiresAt = settings.expiresAt;
  if (settings.allowedOrigins !== undefined) next.allowedOrigins = [...settings.allowedOrigins];
  if (settings.corpusIds !== undefined) next.corpusIds = [...settings.corpusIds];
  if (settings.limits !== undefined) next.limits = { ...next.limits, ...settings.limits };
  return next;
}

/** Usage from today's counters by outcome (`ok` or an error code). */
export function usageFromCounts(
  counts: Iterable<[outcome: string, count: number]>,
  lastUsedAt: number | null,
): KeyUsage {
  const usage: KeyUsage = { requestsToday: 0, refusalsToday: {}, lastUsedAt };
  for (const [outcome, count] of counts) {
    if (outcome === 'ok') usage.requestsToday = count;
    else if (isErrorCode(outcome)) usage.refusalsToday[outcome as ErrorCode] = count;
  }
  return usage;
}

/** True when `hash` opens the record at `now` (the verifier checks the rest of the key). */
export const secretIsLive = (record: ApiKeyRecord, hash: string, now: number): boolean =>
  record.secrets.some((s) => s.hash === hash && (s.validUntil === null || s.validUntil > now));
