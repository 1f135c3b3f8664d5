import { z } from 'zod';
import { keyTypes } from '../keys/key-store.ts';
import {
  allowedOriginsField,
  expiresAtField,
  graceSecondsField,
  limitsFieldV1,
} from './key-settings-fields.ts';
import { boundedInt, corpusKey, wireId } from './wire-values.ts';

/**
 * Vectara REST API v1 owner calls (`/v1/create-corpus` …, `/v1/create-api-key` …), plus
 * Searchgate's own v1-style ones (update and rotate a key, the audit log).
 */

export const v1CreateCorpusSchema = z.looseObject({
  corpus: z.looseObject({
    name: z
      .string({ error: 'expected the corpus name' })
      .trim()
      .min(1, { error: 'must not be empty' })
      .max(200),
    description: z.string().max(2_000).optional(),
    /** Searchgate: the v2 corpus key (made from the name when absent). */
    key: corpusKey().optional(),
    /** Searchgate, companion mode: link to this corpus key on the Vectara account. */
    upstreamCorpusKey: corpusKey().optional(),
  }),
});

export const v1DeleteCorpusSchema = z.looseObject({
  customerId: wireId().optional(),
  corpusId: wireId(),
});

export const v1ListCorporaSchema = z.looseObject({
  numResults: boundedInt(1, 1_000).optional(),
  filter: z.string().max(200).optional(),
  pageKey: z.string().max(200).optional(),
});

const keyRef = z.string({ error: 'expected a key id' }).min(1).max(200);

const corpusIds = z
  .array(wireId())
  .min(1, { error: 'bind the key to at least one corpus' })
  .max(100);

export const v1CreateApiKeySchema = z.looseObject({
  apiKeyData: z
    .array(
      z.looseObject({
        description: z.string().max(200).default(''),
        apiKeyType: z.enum(keyTypes, { error: `expected one of ${keyTypes.join(', ')}` }),
        corpusId: corpusIds,
        allowedOrigins: allowedOriginsField().optional(),
        expiresAt: expiresAtField().optional(),
        limits: limitsFieldV1().optional(),
      }),
    )
    .min(1)
    .max(20),
});

export const v1EnableApiKeySchema = z.looseObject({
  keyEnablement: z
    .array(z.looseObject({ keyId: keyRef, enable: z.boolean() }))
    .min(1)
    .max(100),
});

export const v1DeleteApiKeySchema = z
  .looseObject({
    keyId: z.array(keyRef).max(100).optional(),
    keyIds: z.array(keyRef).max(100).optional(),
  })
  .transform((b) => [...new Set([...(b.keyId ?? []), ...(b.keyIds ?? [])])])
  .pipe(z.array(keyRef).min(1, { error: 'keyId: name at least one key' }));

export const v1ListApiKeysSchema = z.looseObject({
  numResults: boundedInt(1, 1_000).optional(),
  pageKey: z.string().max(200).optional(),
  apiKeyType: z.array(z.string()).optional(),
  readCorporaInfo: z.boolean().optional(),
});

export const v1UpdateApiKeySchema = z.looseObject({
  keyId: keyRef,
  description: z.string().max(200).optional(),
  corpusId: corpusIds.optional(),
  allowedOrigins: allowedOriginsField().optional(),
  expiresAt: expiresAtField().optional(),
  limits: limitsFieldV1().optional(),
});

export const v1RotateApiKeySchema = z.looseObject({
  keyId: keyRef,
  graceSeconds: graceSecondsField().default(0),
});

export const v1ListAuditSchema = z.looseObject({
  numResults: boundedInt(1, 1_000).optional(),
});
