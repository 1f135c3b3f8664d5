import { z } from 'zod';
import type { ApiKeyRecord, AuditEntry } from './key-store.ts';
import { keyTypes } from './key-store.ts';

/**
 * Key records and audit entries as stored (JSON in SQLite or Redis), checked on every read: a
 * record that does not fit is a corrupt store, and the request fails closed instead of trusting it.
 */
const epochMs = z.number().int().nonnegative();

const keyRecordSchema = z.object({
  id: z.string().min(1),
  customerId: z.number().int().positive(),
  description: z.string(),
  type: z.enum(keyTypes),
  corpusIds: z.array(z.number().int().positive()),
  enabled: z.boolean(),
  createdAt: epochMs,
  expiresAt: epochMs.nullable(),
  allowedOrigins: z.array(z.string()),
  limits: z.object({
    perMinute: z.number().int().nonnegative(),
    perIpPerMinute: z.number().int().nonnegative(),
    dailyQuota: z.number().int().nonnegative().nullable(),
  }),
  secrets: z.array(
    z.object({ hash: z.string().regex(/^[0-9a-f]{64}$/), validUntil: z.number().nullable() }),
  ),
}) satisfies z.ZodType<ApiKeyRecord>;

const auditDetailsSchema = z.record(z.string(), z.unknown());

const auditEntrySchema = z.object({
  at: epochMs,
  customerId: z.number().int().positive(),
  actor: z.string(),
  action: z.enum(['create', 'disable', 'enable', 'rotate', 'delete', 'update']),
  keyId: z.string(),
  details: auditDetailsSchema,
}) satisfies z.ZodType<AuditEntry>;

export class CorruptRecordError extends Error {
  constructor(what: string, cause: unknown) {
    super(`A stored ${what} is corrupt`, { cause });
    this.name = 'CorruptRecordError';
  }
}

function parseStored<T>(schema: z.ZodType<T>, json: string, what: string): T {
  try {
    return schema.parse(JSON.parse(json));
  } catch (err) {
    throw new CorruptRecordError(what, err);
  }
}

export const parseKeyRecord = (json: string): ApiKeyRecord =>
  parseStored(keyRecordSchema, json, 'key record');

export const parseAuditEntry = (json: string): AuditEntry =>
  parseStored(auditEntrySchema, json, 'audit entry');

export const parseAuditDetails = (json: string): Record<string, unknown> =>
  parseStored(auditDetailsSchema, json, 'audit entry');
