import type { Corpus, CorpusStore } from '../../../accounts/corpus-store.ts';
import { ApiError } from '../../../errors.ts';
import type { FtsEngine } from '../../../search/fts-engine.ts';
import type { DocumentInput, IndexOutcome, Metadata } from '../../../search/search-types.ts';
import {
  type V1IndexResponse,
  type V1Section,
  v1CoreIndexSchema,
  v1DeleteDocumentSchema,
  v1IndexSchema,
} from '../../../wire/v1-index.ts';
import { corpusForCaller } from '../../corpus-access.ts';
import { flattenSections, type NestedSection } from '../../document-input.ts';
import type { Principal } from '../../principal.ts';
import { bodyLimits, defineRoute, type Route } from '../../route.ts';

/** The corpus an index call writes to: of the caller's account, reachable, and indexed here. */
export function writableCorpus(
  caller: Principal,
  corpora: CorpusStore,
  ref: { id: number } | { key: string },
  bodyCustomerId?: number,
): Corpus {
  if (bodyCustomerId !== undefined && bodyCustomerId !== caller.customerId) {
    throw new ApiError('WRONG_ACCOUNT', 'customerId in the body is another account.');
  }
  const corpus = corpusForCaller(caller, corpora, ref);
  if (corpus.upstreamCorpusKey !== null) {
    throw new ApiError(
      'CORPUS_IS_LINKED',
      `Corpus ${corpus.key} is linked to the Vectara corpus ${corpus.upstreamCorpusKey}: index its documents on Vectara, not here.`,
    );
  }
  return corpus;
}

const asNested = (sections: V1Section[]): NestedSection[] =>
  sections.map((s) => ({
    title: s.title,
    text: s.text,
    metadata: s.metadataJson,
    sections: s.section ? asNested(s.section) : undefined,
  }));

const indexResponse = (outcome: IndexOutcome | undefined): V1IndexResponse => ({
  status: { code: 'OK', statusDetail: outcome ? `document ${outcome.status}` : '' },
  quotaConsumed: {
    numChars: String(outcome?.chars ?? 0),
    numMetadataChars: String(outcome?.metadataChars ?? 0),
  },
});

/** `POST /v1/index`, `/v1/core/index` and `/v1/delete-doc`. */
export function v1IndexRoutes(deps: { corpora: CorpusStore; engine: FtsEngine }): Route[] {
  const body = <S>(schema: S) => ({ limit: bodyLimits.index, schema });
  return [
    defineRoute({
      method: 'POST',
      path: '/v1/index',
      access: 'index',
      body: body(v1IndexSchema),
      handle({ caller, body }) {
        const corpus = writableCorpus(caller, deps.corpora, { id: body.corpusId }, body.customerId);
        const doc = body.document;
        const metadata: Metadata = { ...doc.metadataJson };
        if (doc.title) metadata.title = doc.title;
        const input: DocumentInput = {
          documentId: doc.documentId,
          ...(doc.title ? { title: doc.title } : {}),
          ...(doc.description ? { description: doc.description } : {}),
          metadata,
          sections: flattenSections(asNested(doc.section), 'document.section'),
        };
        const [outcome] = deps.engine.indexDocuments(corpus, [input]);
        return { json: indexResponse(outcome) };
      },
    }),
    defineRoute({
      method: 'POST',
      path: '/v1/core/index',
      access: 'index',
      body: body(v1CoreIndexSchema),
      handle({ caller, body }) {
        const corpus = writableCorpus(caller, deps.corpora, { id: body.corpusId }, body.customerId);
        const doc = body.document;
        const title =
          typeof doc.metadataJson.title === 'string' ? doc.metadataJson.title : undefined;
        const input: DocumentInput = {
          documentId: doc.documentId,
          ...(title ? { title } : {}),
          metadata: doc.metadataJson,
          sections: doc.parts
            .filter((p) => p.text.trim() !== '')
            .map((p) => {
              const heading = p.context?.trim() || doc.defaultPartContext?.trim();
              return {
                ...(heading ? { title: heading } : {}),
                text: p.text,
                metadata: p.metadataJson,
              };
            }),
        };
        const [outcome] = deps.engine.indexDocuments(corpus, [input]);
        return { json: indexResponse(outcome) };
      },
    }),
    defineRoute({
      method: 'POST',
      path: '/v1/delete-doc',
      access: 'index',
      body: body(v1DeleteDocumentSchema),
      handle({ caller, body }) {
        const corpus = writableCorpus(caller, deps.corpora, { id: body.corpusId }, body.customerId);
        if (!deps.engine.deleteDocument(corpus, body.documentId)) {
          throw new ApiError(
            'DOCUMENT_NOT_FOUND',
            `Document "${body.documentId}" is not in corpus ${corpus.corpusId}.`,
          );
        }
        return { json: {} };
      },
    }),
  ];
}
