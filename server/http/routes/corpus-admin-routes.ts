import { Router } from 'express';
import { z } from 'zod';
import type { CorpusStore } from '../../accounts/corpus-store.ts';
import type { SqliteDatabase } from '../../db/open-database.ts';
import { writeTransaction } from '../../db/write-transaction.ts';
import { ApiError } from '../../errors.ts';
import type { FtsEngine } from '../../search/fts-engine.ts';
import { adminCustomerId } from '../admin-principal.ts';
import { decodePageKey, encodePageKey } from '../page-key.ts';
import { okStatus, wireId, wireInt } from '../wire-types.ts';

const createSchema = z.looseObject({
  corpus: z.looseObject({
    name: z
      .string({ error: 'expected the corpus name' })
      .trim()
      .min(1, { error: 'must not be empty' })
      .max(200),
    description: z.string().max(2_000).optional(),
  }),
});

const deleteSchema = z.looseObject({ customerId: wireId().optional(), corpusId: wireId() });

const listSchema = z.looseObject({
  numResults: wireInt().pipe(z.number().min(1).max(1_000)).optional(),
  filter: z.string().max(200).optional(),
  pageKey: z.string().max(200).optional(),
});

/** Owner routes for corpora: create, delete (with all documents), list with document counts. */
export function corpusAdminRoutes(deps: {
  db: SqliteDatabase;
  corpora: CorpusStore;
  engine: FtsEngine;
}): Router {
  const router = Router();

  router.post('/v1/create-corpus', (req, res) => {
    const customerId = adminCustomerId(res);
    const { corpus } = createSchema.parse(req.body);
    const created = deps.corpora.create(customerId, {
      name: corpus.name,
      ...(corpus.description ? { description: corpus.description } : {}),
    });
    res.json({ corpusId: created.corpusId, status: okStatus() });
  });

  router.post('/v1/delete-corpus', (req, res) => {
    const customerId = adminCustomerId(res);
    const body = deleteSchema.parse(req.body);
    if (body.customerId !== undefined && body.customerId !== customerId) {
      throw new ApiError('WRONG_ACCOUNT', 'customerId in the body is another account.');
    }
    const deleted = writeTransaction(deps.db, () => {
      if (!deps.corpora.get(customerId, body.corpusId)) return false;
      deps.engine.deleteCorpus({ customerId, corpusId: body.corpusId });
      return deps.corpora.delete(customerId, body.corpusId);
    })();
    if (!deleted) throw new ApiError('CORPUS_NOT_FOUND', `Corpus ${body.corpusId} does not exist.`);
    res.json({ status: okStatus() });
  });

  router.post('/v1/list-corpora', (req, res) => {
    const customerId = adminCustomerId(res);
    const body = listSchema.parse(req.body);
    const filter = body.filter?.toLowerCase() ?? '';
    const all = deps.corpora
      .list(customerId)
      .filter(
        (c) =>
          c.name.toLowerCase().includes(filter) || c.description.toLowerCase().includes(filter),
      );
    const offset = decodePageKey(body.pageKey);
    const size = body.numResults ?? 100;
    const page = all.slice(offset, offset + size);
    res.json({
      corpus: page.map((c) => ({
        id: c.corpusId,
        name: c.name,
        description: c.description,
        dtProvision: String(Math.floor(c.createdAt / 1000)),
        enabled: c.enabled,
        documentCount: deps.engine.countDocuments({ customerId, corpusId: c.corpusId }),
      })),
      pageKey: offset + size < all.length ? encodePageKey(offset + size) : '',
      status: okStatus(),
    });
  });

  return router;
}
