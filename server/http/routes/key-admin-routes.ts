import { type Request, Router } from 'express';
import { z } from 'zod';
import type { CorpusStore } from '../../accounts/corpus-store.ts';
import { ApiError } from '../../errors.ts';
import { originPatternProblem } from '../../keys/allowed-origins.ts';
import type { KeyService } from '../../keys/key-service.ts';
import { type ApiKeyRecord, type KeyUsage, keyTypes } from '../../keys/key-store.ts';
import { adminCustomerId } from '../admin-principal.ts';
import { decodePageKey, encodePageKey } from '../page-key.ts';
import { okStatus, wireId, wireInt } from '../wire-types.ts';

const keyRef = z.string({ error: 'expected a key id' }).min(1).max(200);

const allowedOrigins = z
  .array(z.string().max(300))
  .max(100)
  .superRefine((patterns, ctx) => {
    patterns.forEach((pattern, i) => {
      const problem = originPatternProblem(pattern);
      if (problem) ctx.addIssue({ code: 'custom', message: problem, path: [i] });
    });
  });

/** Later expiries are refused: they are mistakes, and past year 9999 dates cannot be shown. */
const latestExpiry = Date.UTC(9999, 11, 31);

/** ISO 8601 date-time, epoch milliseconds, or null (= never). */
const expiresAt = z
  .union([z.iso.datetime({ offset: true }), z.number().int().positive(), z.null()])
  .transform((v) => (v === null ? null : typeof v === 'number' ? v : Date.parse(v)))
  .refine((v) => v === null || v <= latestExpiry, { error: 'must be before the year 10000' });

const perMinute = wireInt().pipe(z.number().min(1).max(1_000_000));
const limitsSchema = z.strictObject({
  perMinute: perMinute.optional(),
  perIpPerMinute: perMinute.optional(),
  dailyQuota: z.union([wireInt().pipe(z.number().min(1).max(1_000_000_000)), z.null()]).optional(),
});

const corpusIds = z
  .array(wireId())
  .min(1, { error: 'bind the key to at least one corpus' })
  .max(100);

const createSchema = z.looseObject({
  apiKeyData: z
    .array(
      z.looseObject({
        description: z.string().max(200).default(''),
        apiKeyType: z.enum(keyTypes, { error: `expected one of ${keyTypes.join(', ')}` }),
        corpusId: corpusIds,
        allowedOrigins: allowedOrigins.optional(),
        expiresAt: expiresAt.optional(),
        limits: limitsSchema.optional(),
      }),
    )
    .min(1)
    .max(20),
});

const enableSchema = z.looseObject({
  keyEnablement: z
    .array(z.looseObject({ keyId: keyRef, enable: z.boolean() }))
    .min(1)
    .max(100),
});

const deleteSchema = z
  .looseObject({
    keyId: z.array(keyRef).max(100).optional(),
    keyIds: z.array(keyRef).max(100).optional(),
  })
  .transform((b) => [...new Set([...(b.keyId ?? []), ...(b.keyIds ?? [])])])
  .pipe(z.array(keyRef).min(1, { error: 'keyId: name at least one key' }));

const listSchema = z.looseObject({
  numResults: wireInt().pipe(z.number().min(1).max(1_000)).optional(),
  pageKey: z.string().max(200).optional(),
  apiKeyType: z.array(z.string()).optional(),
  readCorporaInfo: z.boolean().optional(),
});

const updateSchema = z.looseObject({
  keyId: keyRef,
  description: z.string().max(200).optional(),
  corpusId: corpusIds.optional(),
  allowedOrigins: allowedOrigins.optional(),
  expiresAt: expiresAt.optional(),
  limits: limitsSchema.optional(),
});

const rotateSchema = z.looseObject({
  keyId: keyRef,
  graceSeconds: wireInt()
    .pipe(
      z
        .number()
        .min(0)
        .max(30 * 24 * 3600),
    )
    .default(0),
});

const auditSchema = z.looseObject({
  numResults: wireInt().pipe(z.number().min(1).max(1_000)).optional(),
});

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
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
    corpus: key.corpusIds.map((id) => ({ id, name: corpora.get(key.customerId, id)?.name ?? '' })),
    // Searchgate extensions: settings and usage, which Vectara's console keeps elsewhere.
    settings: {
      allowedOrigins: key.allowedOrigins,
      expiresAt: iso(key.expiresAt),
      limits: key.limits,
      createdAt: iso(key.createdAt),
      rotationGraceUntil: iso(
        key.secrets.reduce<number | null>(
          (m, s) => (s.validUntil && s.validUntil > (m ?? 0) ? s.validUntil : m),
          null,
        ),
      ),
    },
    usage: {
      requestsToday: usage?.requestsToday ?? 0,
      refusalsToday: usage?.refusalsToday ?? {},
      lastUsedAt: iso(usage?.lastUsedAt ?? null),
    },
  };
}

function checkCorpora(corpora: CorpusStore, customerId: number, ids: number[], field: string) {
  for (const id of ids) {
    if (!corpora.get(customerId, id))
      throw new ApiError('CORPUS_NOT_FOUND', `${field}: corpus ${id} does not exist.`);
  }
}

/** Owner routes for API keys: the Vectara v1 ones plus update, rotate and the audit log. */
export function keyAdminRoutes(deps: { corpora: CorpusStore; keys: KeyService }): Router {
  const router = Router();
  // The audit log names the admin token's holder and the tool used (console, cli, or api).
  const actor = (customerId: number, req: Request) => {
    const client = req.headers['x-searchgate-client'];
    const tool =
      typeof client === 'string' && /^[a-z][a-z0-9-]{0,31}$/.test(client) ? client : 'api';
    return { customerId, actor: `admin (${tool})` };
  };

  router.post('/v1/create-api-key', async (req, res) => {
    const customerId = adminCustomerId(res);
    const body = createSchema.parse(req.body);
    body.apiKeyData.forEach((d, i) => {
      checkCorpora(deps.corpora, customerId, d.corpusId, `apiKeyData[${i}].corpusId`);
    });
    const response = [];
    for (const d of body.apiKeyData) {
      const { key, secret } = await deps.keys.create(actor(customerId, req), {
        description: d.description,
        type: d.apiKeyType,
        corpusIds: d.corpusId,
        ...(d.allowedOrigins ? { allowedOrigins: d.allowedOrigins } : {}),
        ...(d.expiresAt !== undefined ? { expiresAt: d.expiresAt } : {}),
        ...(d.limits ? { limits: stripUndefined(d.limits) } : {}),
      });
      response.push({ keyId: key.id, apiKey: secret, status: okStatus() });
    }
    res.json({ response });
  });

  router.post('/v1/enable-api-key', async (req, res) => {
    const customerId = adminCustomerId(res);
    const body = enableSchema.parse(req.body);
    // Resolve all first: one unknown key changes nothing.
    for (const e of body.keyEnablement) await deps.keys.resolve(customerId, e.keyId);
    for (const e of body.keyEnablement)
      await deps.keys.setEnabled(actor(customerId, req), e.keyId, e.enable);
    res.json({ status: body.keyEnablement.map(() => okStatus()) });
  });

  router.post('/v1/delete-api-key', async (req, res) => {
    const customerId = adminCustomerId(res);
    const ids = deleteSchema.parse(req.body);
    for (const id of ids) await deps.keys.resolve(customerId, id);
    for (const id of ids) await deps.keys.delete(actor(customerId, req), id);
    res.json({ status: ids.map(() => okStatus()) });
  });

  router.post('/v1/list-api-keys', async (req, res) => {
    const customerId = adminCustomerId(res);
    const body = listSchema.parse(req.body);
    const types = body.apiKeyType?.filter((t) => t !== 'API_KEY_TYPE__UNDEFINED') ?? [];
    const all = (await deps.keys.list(customerId)).filter(
      (k) => types.length === 0 || types.includes(k.type),
    );
    const offset = decodePageKey(body.pageKey);
    const size = body.numResults ?? 100;
    const page = all.slice(offset, offset + size);
    const usage = await deps.keys.usage(page.map((k) => k.id));
    res.json({
      keyData: page.map((k) => keyView(k, deps.corpora, usage.get(k.id))),
      pageKey: offset + size < all.length ? encodePageKey(offset + size) : '',
      status: okStatus(),
    });
  });

  router.post('/v1/update-api-key', async (req, res) => {
    const customerId = adminCustomerId(res);
    const body = updateSchema.parse(req.body);
    if (body.corpusId) checkCorpora(deps.corpora, customerId, body.corpusId, 'corpusId');
    const key = await deps.keys.update(actor(customerId, req), body.keyId, {
      ...(body.description !== undefined ? { description: body.description } : {}),
      ...(body.corpusId ? { corpusIds: body.corpusId } : {}),
      ...(body.allowedOrigins ? { allowedOrigins: body.allowedOrigins } : {}),
      ...(body.expiresAt !== undefined ? { expiresAt: body.expiresAt } : {}),
      ...(body.limits ? { limits: stripUndefined(body.limits) } : {}),
    });
    const usage = await deps.keys.usage([key.id]);
    res.json({ keyData: keyView(key, deps.corpora, usage.get(key.id)), status: okStatus() });
  });

  router.post('/v1/rotate-api-key', async (req, res) => {
    const customerId = adminCustomerId(res);
    const body = rotateSchema.parse(req.body);
    const { key, secret } = await deps.keys.rotate(
      actor(customerId, req),
      body.keyId,
      body.graceSeconds,
    );
    res.json({ keyId: key.id, apiKey: secret, status: okStatus() });
  });

  router.post('/v1/list-audit-log', async (req, res) => {
    const customerId = adminCustomerId(res);
    const body = auditSchema.parse(req.body);
    const entries = await deps.keys.audit(customerId, body.numResults ?? 100);
    res.json({
      entry: entries.map((e) => ({ ...e, at: new Date(e.at).toISOString() })),
      status: okStatus(),
    });
  });

  return router;
}

function stripUndefined<T extends object>(value: T): { [K in keyof T]: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as never;
}
