import type { CorpusStore } from '../../../accounts/corpus-store.ts';
import { ApiError } from '../../../errors.ts';
import { isKeyId } from '../../../keys/key-format.ts';
import type { KeyService } from '../../../keys/key-service.ts';
import type { ApiKeyRecord, KeySettings, KeyType, KeyUsage } from '../../../keys/key-store.ts';
import {
  type ApiKeyRole,
  createApiKeyRequestSchema,
  type ListApiKeysResponse,
  listApiKeysParametersSchema,
  listAuditParametersSchema,
  rotateApiKeyRequestSchema,
  updateApiKeyRequestSchema,
  type V2ApiKey,
  type V2AuditEntry,
} from '../../../wire/v2-api-keys.ts';
import { decodePageKey, encodePageKey } from '../../page-key.ts';
import { bodyLimits, defineRoute, type Route } from '../../route.ts';
import { isoOrNull, ownerActor, presentLimits, rotationGraceUntil } from '../owner-actor.ts';

const roleOfType: Record<KeyType, ApiKeyRole> = {
  API_KEY_TYPE__SERVING: 'serving',
  API_KEY_TYPE__SERVING_INDEXING: 'serving_and_indexing',
};
const typeOfRole: Record<ApiKeyRole, KeyType> = {
  serving: 'API_KEY_TYPE__SERVING',
  serving_and_indexing: 'API_KEY_TYPE__SERVING_INDEXING',
};

/** `ApiKey` as v2 answers it, with Searchgate's settings and, when read, today's usage. */
export function v2KeyView(
  key: ApiKeyRecord,
  corpora: CorpusStore,
  extras: { usage?: KeyUsage | undefined; secret?: string | undefined } = {},
): V2ApiKey {
  const { usage, secret } = extras;
  return {
    id: key.id,
    name: key.description,
    ...(secret ? { secret_key: secret } : {}),
    enabled: key.enabled,
    api_key_role: roleOfType[key.type],
    corpus_keys: key.corpusIds.map((id) => corpora.get(key.customerId, id)?.key ?? `crp_${id}`),
    allowed_origins: key.allowedOrigins,
    limits: {
      per_minute: key.limits.perMinute,
      per_ip_per_minute: key.limits.perIpPerMinute,
      daily_quota: key.limits.dailyQuota,
    },
    expires_at: isoOrNull(key.expiresAt),
    created_at: new Date(key.createdAt).toISOString(),
    rotation_grace_until: isoOrNull(rotationGraceUntil(key.secrets)),
    ...(usage
      ? {
          usage: {
            requests_today: usage.requestsToday,
            refusals_today: usage.refusalsToday,
            last_used_at: isoOrNull(usage.lastUsedAt),
          },
        }
      : {}),
  };
}

/** Corpus keys as a key's bindings: every one must exist in the account. */
function corpusIdsOf(corpora: CorpusStore, customerId: number, keys: string[]): number[] {
  return keys.map((key, i) => {
    const corpus = corpora.getByKey(customerId, key);
    if (!corpus) {
      throw new ApiError(
        'CORPUS_NOT_FOUND',
        `corpus_keys[${i}]: corpus ${JSON.stringify(key)} does not exist.`,
        {
          fieldErrors: { [`corpus_keys[${i}]`]: 'no such corpus' },
        },
      );
    }
    return corpus.corpusId;
  });
}

/** Key ids only in paths: a secret must never travel in a URL (it would reach access logs). */
function pathKeyId(params: Record<string, string>): string {
  const id = params.api_key_id ?? '';
  if (!isKeyId(id)) throw new ApiError('KEY_NOT_FOUND', 'No API key with that id in this account.');
  return id;
}

/** `/v2/api_keys` (Vectara's), with rotation and the audit log as Searchgate's additions. */
export function v2KeyRoutes(deps: { corpora: CorpusStore; keys: KeyService }): Route[] {
  const view = (key: ApiKeyRecord, extras?: Parameters<typeof v2KeyView>[2]) =>
    v2KeyView(key, deps.corpora, extras);
  return [
    defineRoute({
      method: 'POST',
      path: '/v2/api_keys',
      access: 'owner',
      body: { limit: bodyLimits.owner, schema: createApiKeyRequestSchema },
      async handle({ req, caller, body }) {
        const { key, secret } = await deps.keys.create(ownerActor(caller.customerId, req), {
          description: body.name,
          type: typeOfRole[body.api_key_role],
          corpusIds: corpusIdsOf(deps.corpora, caller.customerId, body.corpus_keys),
          ...(body.allowed_origins ? { allowedOrigins: body.allowed_origins } : {}),
          ...(body.expires_at !== undefined ? { expiresAt: body.expires_at } : {}),
          ...(body.limits ? { limits: presentLimits(body.limits) } : {}),
        });
        return { status: 201, json: view(key, { secret }) };
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/v2/api_keys',
      access: 'owner',
      query: listApiKeysParametersSchema,
      async handle({ caller, query }) {
        const corpusId = query.corpus_key
          ? (deps.corpora.getByKey(caller.customerId, query.corpus_key)?.corpusId ?? -1)
          : null;
        const role = query.api_key_role;
        const all = (await deps.keys.list(caller.customerId)).filter(
          (k) =>
            (corpusId === null || k.corpusIds.includes(corpusId)) &&
            (role === undefined || roleOfType[k.type] === role),
        );
        const offset = decodePageKey(query.page_key);
        const limit = query.limit ?? 10;
        const page = all.slice(offset, offset + limit);
        const usage = await deps.keys.usage(page.map((k) => k.id));
        const answer: ListApiKeysResponse = {
          api_keys: page.map((k) => view(k, { usage: usage.get(k.id) })),
          metadata: offset + limit < all.length ? { page_key: encodePageKey(offset + limit) } : {},
        };
        return { json: answer };
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/v2/api_keys/:api_key_id',
      access: 'owner',
      async handle({ caller, params }) {
        const key = await deps.keys.resolve(caller.customerId, pathKeyId(params));
        const usage = await deps.keys.usage([key.id]);
        return { json: view(key, { usage: usage.get(key.id) }) };
      },
    }),
    defineRoute({
      method: 'PATCH',
      path: '/v2/api_keys/:api_key_id',
      access: 'owner',
      body: { limit: bodyLimits.owner, schema: updateApiKeyRequestSchema },
      async handle({ req, caller, params, body }) {
        const id = pathKeyId(params);
        const actor = ownerActor(caller.customerId, req);
        const { enabled, name, corpus_keys, allowed_origins, expires_at, limits } = body;
        const settings: KeySettings = {
          ...(name !== undefined ? { description: name } : {}),
          ...(corpus_keys
            ? { corpusIds: corpusIdsOf(deps.corpora, caller.customerId, corpus_keys) }
            : {}),
          ...(allowed_origins ? { allowedOrigins: allowed_origins } : {}),
          ...(expires_at !== undefined ? { expiresAt: expires_at } : {}),
          ...(limits ? { limits: presentLimits(limits) } : {}),
        };
        // `{ "enabled": false }` alone is the kill switch, audited as a disable.
        const key =
          Object.keys(settings).length === 0 && enabled !== undefined
            ? await deps.keys.setEnabled(actor, id, enabled)
            : await deps.keys.update(actor, id, {
                ...settings,
                ...(enabled !== undefined ? { enabled } : {}),
              });
        return { json: view(key) };
      },
    }),
    defineRoute({
      method: 'DELETE',
      path: '/v2/api_keys/:api_key_id',
      access: 'owner',
      async handle({ req, caller, params }) {
        await deps.keys.delete(ownerActor(caller.customerId, req), pathKeyId(params));
        return { status: 204 };
      },
    }),
    defineRoute({
      method: 'POST',
      path: '/v2/api_keys/:api_key_id/rotate',
      access: 'owner',
      body: { limit: bodyLimits.owner, schema: rotateApiKeyRequestSchema },
      async handle({ req, caller, params, body }) {
        const { key, secret } = await deps.keys.rotate(
          ownerActor(caller.customerId, req),
          pathKeyId(params),
          body.grace_seconds ?? 0,
        );
        return { json: view(key, { secret }) };
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/v2/audit_log',
      access: 'owner',
      query: listAuditParametersSchema,
      async handle({ caller, query }) {
        const entries = await deps.keys.audit(caller.customerId, query.limit ?? 100);
        const answer: { entries: V2AuditEntry[] } = {
          entries: entries.map((e) => ({
            at: new Date(e.at).toISOString(),
            actor: e.actor,
            action: e.action,
            api_key_id: e.keyId,
            details: e.details,
          })),
        };
        return { json: answer };
      },
    }),
  ];
}
