import type { CorpusStore } from '../../../accounts/corpus-store.ts';
import type { KeyService } from '../../../keys/key-service.ts';
import type { ApiKeyRecord, KeyUsage } from '../../../keys/key-store.ts';
import {
  v1CreateApiKeySchema,
  v1DeleteApiKeySchema,
  v1EnableApiKeySchema,
  v1ListApiKeysSchema,
  v1ListAuditSchema,
  v1RotateApiKeySchema,
  v1UpdateApiKeySchema,
} from '../../../wire/v1-admin.ts';
import { decodePageKey, encodePageKey, okStatus } from '../../page-key.ts';
import { bodyLimits, defineRoute, type Route } from '../../route.ts';
import {
  checkCorporaExist,
  isoOrNull,
  ownerActor,
  presentLimits,
  rotationGraceUntil,
} from '../owner-actor.ts';

const seconds = (ms: number | null) => (ms === null ? '0' : String(Math.floor(ms / 1000)));

function keyView(key: ApiKeyRecord, corpora: CorpusStore, usage: KeyUsage | undefined) {
  return {
    apiKey: {
      id: key.id,
      description: key.description,
      keyType: key.type,
      enabled: key.enabled,
      tsStart: seconds(key.createdAt),
      tsEnd: seconds(key.expiresAt),
      status: key.enabled ? 'ENABLED' : 'DISABLED',
    },
    corpus: key.corpusIds.map((id) => {
      const corpus = corpora.get(key.customerId, id);
      return { id, name: corpus?.name ?? '', key: corpus?.key ?? '' };
    }),
    // Searchgate extensions: settings and usage, which Vectara's console keeps elsewhere.
    settings: {
      allowedOrigins: key.allowedOrigins,
      expiresAt: isoOrNull(key.expiresAt),
      limits: key.limits,
      createdAt: isoOrNull(key.createdAt),
      rotationGraceUntil: isoOrNull(rotationGraceUntil(key.secrets)),
    },
    usage: {
      requestsToday: usage?.requestsToday ?? 0,
      refusalsToday: usage?.refusalsToday ?? {},
      lastUsedAt: isoOrNull(usage?.lastUsedAt ?? null),
    },
  };
}

/** Owner routes for API keys: the Vectara v1 ones plus update, rotate and the audit log. */
export function v1KeyRoutes(deps: { corpora: CorpusStore; keys: KeyService }): Route[] {
  const body = <S>(schema: S) => ({ limit: bodyLimits.owner, schema });
  return [
    defineRoute({
      method: 'POST',
      path: '/v1/create-api-key',
      access: 'owner',
      body: body(v1CreateApiKeySchema),
      async handle({ req, caller, body }) {
        body.apiKeyData.forEach((d, i) => {
          checkCorporaExist(
            deps.corpora,
            caller.customerId,
            d.corpusId,
            `apiKeyData[${i}].corpusId`,
          );
        });
        const response = [];
        for (const d of body.apiKeyData) {
          const { key, secret } = await deps.keys.create(ownerActor(caller.customerId, req), {
            description: d.description,
            type: d.apiKeyType,
            corpusIds: d.corpusId,
            ...(d.allowedOrigins ? { allowedOrigins: d.allowedOrigins } : {}),
            ...(d.expiresAt !== undefined ? { expiresAt: d.expiresAt } : {}),
            ...(d.limits ? { limits: presentLimits(d.limits) } : {}),
          });
          response.push({ keyId: key.id, apiKey: secret, status: okStatus() });
        }
        return { json: { response } };
      },
    }),
    defineRoute({
      method: 'POST',
      path: '/v1/enable-api-key',
      access: 'owner',
      body: body(v1EnableApiKeySchema),
      async handle({ req, caller, body }) {
        // Resolve all first: one unknown key changes nothing.
        for (const e of body.keyEnablement) await deps.keys.resolve(caller.customerId, e.keyId);
        for (const e of body.keyEnablement) {
          await deps.keys.setEnabled(ownerActor(caller.customerId, req), e.keyId, e.enable);
        }
        return { json: { status: body.keyEnablement.map(() => okStatus()) } };
      },
    }),
    defineRoute({
      method: 'POST',
      path: '/v1/delete-api-key',
      access: 'owner',
      body: body(v1DeleteApiKeySchema),
      async handle({ req, caller, body: ids }) {
        for (const id of ids) await deps.keys.resolve(caller.customerId, id);
        for (const id of ids) await deps.keys.delete(ownerActor(caller.customerId, req), id);
        return { json: { status: ids.map(() => okStatus()) } };
      },
    }),
    defineRoute({
      method: 'POST',
      path: '/v1/list-api-keys',
      access: 'owner',
      body: body(v1ListApiKeysSchema),
      async handle({ caller, body }) {
        const types = body.apiKeyType?.filter((t) => t !== 'API_KEY_TYPE__UNDEFINED') ?? [];
        const all = (await deps.keys.list(caller.customerId)).filter(
          (k) => types.length === 0 || types.includes(k.type),
        );
        const offset = decodePageKey(body.pageKey);
        const size = body.numResults ?? 100;
        const page = all.slice(offset, offset + size);
        const usage = await deps.keys.usage(page.map((k) => k.id));
        return {
          json: {
            keyData: page.map((k) => keyView(k, deps.corpora, usage.get(k.id))),
            pageKey: offset + size < all.length ? encodePageKey(offset + size) : '',
            status: okStatus(),
          },
        };
      },
    }),
    defineRoute({
      method: 'POST',
      path: '/v1/update-api-key',
      access: 'owner',
      body: body(v1UpdateApiKeySchema),
      async handle({ req, caller, body }) {
        if (body.corpusId)
          checkCorporaExist(deps.corpora, caller.customerId, body.corpusId, 'corpusId');
        const key = await deps.keys.update(ownerActor(caller.customerId, req), body.keyId, {
          ...(body.description !== undefined ? { description: body.description } : {}),
          ...(body.corpusId ? { corpusIds: body.corpusId } : {}),
          ...(body.allowedOrigins ? { allowedOrigins: body.allowedOrigins } : {}),
          ...(body.expiresAt !== undefined ? { expiresAt: body.expiresAt } : {}),
          ...(body.limits ? { limits: presentLimits(body.limits) } : {}),
        });
        const usage = await deps.keys.usage([key.id]);
        return {
          json: { keyData: keyView(key, deps.corpora, usage.get(key.id)), status: okStatus() },
        };
      },
    }),
    defineRoute({
      method: 'POST',
      path: '/v1/rotate-api-key',
      access: 'owner',
      body: body(v1RotateApiKeySchema),
      async handle({ req, caller, body }) {
        const { key, secret } = await deps.keys.rotate(
          ownerActor(caller.customerId, req),
          body.keyId,
          body.graceSeconds,
        );
        return { json: { keyId: key.id, apiKey: secret, status: okStatus() } };
      },
    }),
    defineRoute({
      method: 'POST',
      path: '/v1/list-audit-log',
      access: 'owner',
      body: body(v1ListAuditSchema),
      async handle({ caller, body }) {
        const entries = await deps.keys.audit(caller.customerId, body.numResults ?? 100);
        return {
          json: {
            entry: entries.map((e) => ({ ...e, at: new Date(e.at).toISOString() })),
            status: okStatus(),
          },
        };
      },
    }),
  ];
}
