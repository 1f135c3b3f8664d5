import { Router } from 'express';
import { z } from 'zod';
import type { CorpusStore } from '../../accounts/corpus-store.ts';
import { ApiError } from '../../errors.ts';
import type { FtsEngine } from '../../search/fts-engine.ts';
import type {
  CorpusRef,
  DocumentInput,
  IndexOutcome,
  Metadata,
  SectionInput,
} from '../../search/search-types.ts';
import type { Principal } from '../request-context.ts';
import { maxJsonDepth } from '../wire-case.ts';
import { wireId } from '../wire-types.ts';

const maxSectionDepth = 8;
const documentId = z
  .string({ error: 'expected the document id' })
  .min(1, { error: 'must not be empty' })
  .max(512, { error: 'longer than 512 characters' });

/** `metadataJson`: a JSON object string with scalar values, as v1 sends metadata. */
const metadataJson = z
  .string()
  .max(64 * 1024)
  .optional()
  .transform((text, ctx): Metadata => {
    if (text === undefined || text.trim() === '') return {};
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      ctx.addIssue({ code: 'custom', message: 'is not valid JSON' });
      return z.NEVER;
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
      ctx.addIssue({ code: 'custom', message: 'must be a JSON object' });
      return z.NEVER;
    }
    if (nestingDepth(parsed) > maxJsonDepth) {
      ctx.addIssue({ code: 'custom', message: `nests deeper than ${maxJsonDepth} levels` });
      return z.NEVER;
    }
    const out: Metadata = {};
    for (const [name, value] of Object.entries(parsed)) {
      if (name === '__proto__') continue;
      if (value === null || ['string', 'number', 'boolean'].includes(typeof value)) {
        out[name] = value as Metadata[string];
      } else {
        // Lists and objects cannot be filtered on; keep them readable as JSON text.
        out[name] = JSON.stringify(value);
      }
    }
    return out;
  });

interface WireSection {
  title?: string | undefined;
  text?: string | undefined;
  metadataJson: Metadata;
  section?: WireSection[] | undefined;
}

const sectionSchema: z.ZodType<WireSection, unknown> = z.lazy(() =>
  z.looseObject({
    id: z.unknown().optional(),
    title: z.string().max(1_000).optional(),
    text: z.string().max(1_000_000).optional(),
    metadataJson,
    section: z.array(sectionSchema).max(10_000).optional(),
  }),
);

const indexSchema = z.looseObject({
  customerId: wireId().optional(),
  corpusId: wireId(),
  document: z.looseObject({
    documentId,
    title: z.string().max(1_000).optional(),
    description: z.string().max(10_000).optional(),
    metadataJson,
    section: z.array(sectionSchema).max(10_000).default([]),
  }),
});

const coreIndexSchema = z.looseObject({
  customerId: wireId().optional(),
  corpusId: wireId(),
  document: z.looseObject({
    documentId,
    metadataJson,
    defaultPartContext: z.string().max(10_000).optional(),
    parts: z
      .array(
        z.looseObject({
          text: z.string().max(1_000_000),
          context: z.string().max(10_000).optional(),
          metadataJson,
        }),
      )
      .max(10_000)
      .default([]),
  }),
});

const deleteSchema = z.looseObject({
  customerId: wireId().optional(),
  corpusId: wireId(),
  documentId,
});

/** Nested v1 sections become flat searchable parts; a part without a heading takes its parent's. */
function flattenSections(
  sections: WireSection[],
  inherited: string | undefined,
  depth = 0,
): SectionInput[] {
  if (depth > maxSectionDepth) {
    throw new ApiError(
      'INVALID_ARGUMENT',
      `document.section: nested deeper than ${maxSectionDepth} levels.`,
    );
  }
  return sections.flatMap((s) => {
    const title = s.title?.trim() || inherited;
    const own: SectionInput[] =
      s.text && s.text.trim() !== ''
        ? [{ ...(title ? { title } : {}), text: s.text, metadata: s.metadataJson }]
        : [];
    return [...own, ...flattenSections(s.section ?? [], title, depth + 1)];
  });
}

/** Index routes need a key of indexing scope (or the admin token) for a corpus of the account. */
function authorizeIndexing(
  principal: Principal | undefined,
  body: { customerId?: number | undefined; corpusId: number },
  corpora: CorpusStore,
): CorpusRef {
  if (!principal) throw new ApiError('API_KEY_MISSING', 'Send an API key in the x-api-key header.');
  if (body.customerId !== undefined && body.customerId !== principal.customerId) {
    throw new ApiError('WRONG_ACCOUNT', 'customerId in the body is another account.');
  }
  if (principal.kind === 'key') {
    if (principal.key.type !== 'API_KEY_TYPE__SERVING_INDEXING') {
      throw new ApiError(
        'SCOPE_NOT_ALLOWED',
        'This API key may only query; indexing needs an indexing key.',
      );
    }
    if (!principal.key.corpusIds.includes(body.corpusId)) {
      throw new ApiError(
        'CORPUS_NOT_ALLOWED',
        `The API key may not write to corpus ${body.corpusId}.`,
      );
    }
  }
  if (!corpora.get(principal.customerId, body.corpusId)) {
    throw new ApiError('CORPUS_NOT_FOUND', `Corpus ${body.corpusId} does not exist.`);
  }
  return { customerId: principal.customerId, corpusId: body.corpusId };
}

const indexResponse = (outcome: IndexOutcome | undefined) => ({
  status: { code: 'OK', statusDetail: outcome ? `document ${outcome.status}` : '' },
  quotaConsumed: {
    numChars: String(outcome?.chars ?? 0),
    numMetadataChars: String(outcome?.metadataChars ?? 0),
  },
});

/** POST /v1/index, /v1/core/index and /v1/delete-doc. */
export function indexRoutes(deps: { corpora: CorpusStore; engine: FtsEngine }): Router {
  const router = Router();

  router.post('/v1/index', (req, res) => {
    const body = indexSchema.parse(req.body);
    const corpus = authorizeIndexing(res.locals.principal, body, deps.corpora);
    const doc = body.document;
    const metadata: Metadata = { ...doc.metadataJson };
    if (doc.title) metadata.title = doc.title;
    const input: DocumentInput = {
      documentId: doc.documentId,
      ...(doc.title ? { title: doc.title } : {}),
      ...(doc.description ? { description: doc.description } : {}),
      metadata,
      sections: flattenSections(doc.section, undefined),
    };
    const [outcome] = deps.engine.indexDocuments(corpus, [input]);
    res.json(indexResponse(outcome));
  });

  router.post('/v1/core/index', (req, res) => {
    const body = coreIndexSchema.parse(req.body);
    const corpus = authorizeIndexing(res.locals.principal, body, deps.corpora);
    const doc = body.document;
    const title = typeof doc.metadataJson.title === 'string' ? doc.metadataJson.title : undefined;
    const input: DocumentInput = {
      documentId: doc.documentId,
      ...(title ? { title } : {}),
      metadata: doc.metadataJson,
      sections: doc.parts
        .filter((p) => p.text.trim() !== '')
        .map((p) => {
          const heading = p.context?.trim() || doc.defaultPartContext?.trim();
          return { ...(heading ? { title: heading } : {}), text: p.text, metadata: p.metadataJson };
        }),
    };
    const [outcome] = deps.engine.indexDocuments(corpus, [input]);
    res.json(indexResponse(outcome));
  });

  router.post('/v1/delete-doc', (req, res) => {
    const body = deleteSchema.parse(req.body);
    const corpus = authorizeIndexing(res.locals.principal, body, deps.corpora);
    if (!deps.engine.deleteDocument(corpus, body.documentId)) {
      throw new ApiError(
        'DOCUMENT_NOT_FOUND',
        `Document "${body.documentId}" is not in corpus ${corpus.corpusId}.`,
      );
    }
    res.json({});
  });

  return router;
}

/** How deep a parsed JSON value nests, without recursion (a hostile value may be very deep). */
function nestingDepth(value: unknown): number {
  let deepest = 0;
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length > 0) {
    const [item, depth] = stack.pop() as [unknown, number];
    if (item === null || typeof item !== 'object') continue;
    deepest = Math.max(deepest, depth);
    if (deepest > maxJsonDepth) return deepest;
    for (const child of Object.values(item)) stack.push([child, depth + 1]);
  }
  return deepest;
}
