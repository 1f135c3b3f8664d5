import type { CorpusStore } from '../../../accounts/corpus-store.ts';
import { ApiError } from '../../../errors.ts';
import type { DocumentCatalog } from '../../../search/document-catalog.ts';
import type { FtsEngine } from '../../../search/fts-engine.ts';
import type { DocumentInput, Metadata } from '../../../search/search-types.ts';
import { scalarMetadata } from '../../../wire/v1-index.ts';
import {
  type CreateDocumentRequest,
  createDocumentRequestSchema,
  type ListDocumentsResponse,
  listDocumentsParametersSchema,
  type StructuredDocumentSection,
  type V2Document,
} from '../../../wire/v2-documents.ts';
import { pathCorpusKey } from '../../corpus-access.ts';
import { flattenSections, type NestedSection } from '../../document-input.ts';
import { bodyLimits, defineRoute, type Route } from '../../route.ts';
import { writableCorpus } from '../v1/index-routes.ts';

const metadataOf = (metadata: Record<string, unknown> | undefined): Metadata =>
  scalarMetadata(metadata ?? {});

const nested = (sections: StructuredDocumentSection[]): NestedSection[] =>
  sections.map((s) => ({
    title: s.title,
    text: s.text,
    metadata: metadataOf(s.metadata),
    sections: s.sections ? nested(s.sections) : undefined,
  }));

/** A v2 document (core parts or structured sections) as the engine stores documents. */
function documentInput(doc: CreateDocumentRequest): DocumentInput {
  const metadata = metadataOf(doc.metadata);
  if (doc.type === 'core') {
    const title = typeof metadata.title === 'string' ? metadata.title : undefined;
    return {
      documentId: doc.id,
      ...(title ? { title } : {}),
      metadata,
      sections: doc.document_parts
        .filter((p) => p.text.trim() !== '')
        .map((p) => ({
          ...(p.context?.trim() ? { title: p.context.trim() } : {}),
          text: p.text,
          metadata: metadataOf(p.metadata),
        })),
    };
  }
  if (doc.title) metadata.title = doc.title;
  return {
    documentId: doc.id,
    ...(doc.title ? { title: doc.title } : {}),
    ...(doc.description ? { description: doc.description } : {}),
    metadata,
    sections: flattenSections(nested(doc.sections), 'sections'),
  };
}

/** `POST`/`GET /v2/corpora/{corpus_key}/documents`, `GET`/`DELETE …/documents/{document_id}`. */
export function v2DocumentRoutes(deps: {
  corpora: CorpusStore;
  engine: FtsEngine;
  documents: DocumentCatalog;
}): Route[] {
  const notFound = (id: string) =>
    new ApiError('DOCUMENT_NOT_FOUND', `Document ${JSON.stringify(id)} is not in this corpus.`);
  return [
    defineRoute({
      method: 'POST',
      path: '/v2/corpora/:corpus_key/documents',
      access: 'index',
      body: { limit: bodyLimits.index, schema: createDocumentRequestSchema },
      handle({ caller, params, body }) {
        const corpus = writableCorpus(caller, deps.corpora, { key: pathCorpusKey(params) });
        // As on Vectara, a document is created once; delete it first to replace it.
        if (deps.documents.exists(corpus, body.id)) {
          throw new ApiError(
            'ALREADY_EXISTS',
            `Document ${JSON.stringify(body.id)} already exists in this corpus: delete it first to replace it.`,
          );
        }
        const [outcome] = deps.engine.indexDocuments(corpus, [documentInput(body)]);
        const created: V2Document = {
          id: body.id,
          metadata: body.metadata ?? {},
          storage_usage: {
            bytes_used: outcome?.chars ?? 0,
            metadata_bytes_used: outcome?.metadataChars ?? 0,
          },
        };
        return { status: 201, json: created };
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/v2/corpora/:corpus_key/documents',
      access: 'index',
      query: listDocumentsParametersSchema,
      handle({ caller, params, query }) {
        const corpus = writableCorpus(caller, deps.corpora, { key: pathCorpusKey(params) });
        const after = query.page_key ? decodeCursor(query.page_key) : '';
        const page = deps.documents.list(corpus, {
          limit: query.limit ?? 10,
          after,
          metadataFilter: query.metadata_filter,
        });
        const last = page.documents.at(-1)?.documentId;
        const answer: ListDocumentsResponse = {
          documents: page.documents.map((d) => ({ id: d.documentId, metadata: d.metadata })),
          metadata: page.more && last !== undefined ? { page_key: encodeCursor(last) } : {},
        };
        return { json: answer };
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/v2/corpora/:corpus_key/documents/:document_id',
      access: 'index',
      handle({ caller, params }) {
        const corpus = writableCorpus(caller, deps.corpora, { key: pathCorpusKey(params) });
        const id = params.document_id ?? '';
        const doc = deps.documents.get(corpus, id);
        if (!doc) throw notFound(id);
        const answer: V2Document = {
          id: doc.documentId,
          metadata: doc.metadata,
          parts: doc.parts.map((p) => ({
            text: p.text,
            metadata: p.metadata,
            ...(p.heading ? { context: p.heading } : {}),
          })),
        };
        return { json: answer };
      },
    }),
    defineRoute({
      method: 'DELETE',
      path: '/v2/corpora/:corpus_key/documents/:document_id',
      access: 'index',
      handle({ caller, params }) {
        const corpus = writableCorpus(caller, deps.corpora, { key: pathCorpusKey(params) });
        const id = params.document_id ?? '';
        if (!deps.engine.deleteDocument(corpus, id)) throw notFound(id);
        return { status: 204 };
      },
    }),
  ];
}

/** Document pages continue after the last id shown: stable while documents come and go. */
const encodeCursor = (documentId: string) =>
  Buffer.from(`d:${documentId}`, 'utf8').toString('base64url');

function decodeCursor(pageKey: string): string {
  const decoded = Buffer.from(pageKey, 'base64url').toString('utf8');
  if (!decoded.startsWith('d:')) {
    throw new ApiError('INVALID_ARGUMENT', 'page_key: not a page key from a previous answer.', {
      fieldErrors: { page_key: 'not a page key from a previous answer' },
    });
  }
  return decoded.slice(2);
}
