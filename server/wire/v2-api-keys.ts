import { z } from 'zod';
import {
  allowedOriginsField,
  expiresAtField,
  graceSecondsField,
  limitsFieldV2,
} from './key-settings-fields.ts';
import { boundedInt, corpusKey } from './wire-values.ts';

/** Vectara's API key roles Searchgate issues; the admin token acts as the `personal` key. */
export const apiKeyRoles = ['serving', 'serving_and_indexing'] as const;
export type ApiKeyRole = (typeof apiKeyRoles)[number];

const corpusKeys = z
  .array(corpusKey())
  .min(1, { error: 'bind the key to at least one corpus' })
  .max(100);

/** Searchgate's settings beside Vectara's fields (all optional, snake_case like the rest). */
const settingsFields = {
  allowed_origins: allowedOriginsField().optional(),
  limits: limitsFieldV2().optional(),
  expires_at: expiresAtField().optional(),
};

/** `POST /v2/api_keys` (CreateApiKeyRequest). */
export const createApiKeyRequestSchema = z.object({
  name: z.string({ error: 'expected the key name' }).max(200),
  api_key_role: z.enum(apiKeyRoles, {
    error: `expected ${apiKeyRoles.join(' or ')} (the admin token is the personal key)`,
  }),
  corpus_keys: corpusKeys,
  ...settingsFields,
});

/** `PATCH /v2/api_keys/{id}` (UpdateApiKeyRequest): `enabled`, and Searchgate's settings. */
export const updateApiKeyRequestSchema = z
  .object({
    enabled: z.boolean().optional(),
    name: z.string().max(200).optional(),
    corpus_keys: corpusKeys.optional(),
    ...settingsFields,
  })
  .refine((body) => Object.values(body).some((v) => v !== undefined), {
    error: 'name at least one field to change (enabled, name, corpus_keys, …)',
  });

/** `POST /v2/api_keys/{id}/rotate` (Searchgate): a new secret; the old one lives `grace_seconds`. */
export const rotateApiKeyRequestSchema = z.object({
  grace_seconds: graceSecondsField().optional(),
});

/** `GET /v2/api_keys?limit=&page_key=&corpus_key=&api_key_role=`. */
export const listApiKeysParametersSchema = z.object({
  limit: boundedInt(1, 100).optional(),
  page_key: z.string().max(200).optional(),
  corpus_key: corpusKey().optional(),
  api_key_role: z.enum(apiKeyRoles).optional(),
});

/** `GET /v2/audit_log?limit=` (Searchgate). */
export const listAuditParametersSchema = z.object({ limit: boundedInt(1, 1_000).optional() });

export type CreateApiKeyRequest = z.input<typeof createApiKeyRequestSchema>;
export type UpdateApiKeyRequest = z.input<typeof updateApiKeyRequestSchema>;

/** `ApiKey`, with Searchgate's settings and today's usage as additions. */
export interface V2ApiKey {
  /** `aky_…` for keys created since v2 (older keys keep their `key_…` id). */
  id: string;
  name: string;
  /** Only in the answer that created or rotated the key: it is shown once. */
  secret_key?: string;
  enabled: boolean;
  api_key_role: ApiKeyRole;
  corpus_keys: string[];
  allowed_origins: string[];
  limits: { per_minute: number; per_ip_per_minute: number; daily_quota: number | null };
  expires_at: string | null;
  created_at: string;
  /** The end of the rotation grace of a previous secret, if one is still valid. */
  rotation_grace_until: string | null;
  usage?: {
    requests_today: number;
    refusals_today: Record<string, number>;
    last_used_at: string | null;
  };
}

export interface ListApiKeysResponse {
  api_keys: V2ApiKey[];
  metadata: { page_key?: string };
}

export interface V2AuditEntry {
  at: string;
  actor: string;
  action: 'create' | 'disable' | 'enable' | 'rotate' | 'delete' | 'update';
  api_key_id: string;
  details: Record<string, unknown>;
}
