import { z } from 'zod';
import { boundedInt, metadataObject } from './wire-values.ts';

const documentId = z
  .string({ error: 'expected the document id' })
  .min(1, { error: 'must not be empty' })
  .max(512, { error: 'longer than 512 characters' });

/** Bounds per document: an index request is at most 1 MiB anyway. */
const maxParts = 10_000;
const maxText = 1_000_000;

const coreDocumentPartSchema = z.object({
  text: z.string({ error: 'expected the part text' }).max(maxText),
  metadata: metadataObject().optional(),
  context: z.string().max(10_000).optional(),
});

/** `CoreDocument`: flat parts. */
export const coreDocumentSchema = z.object({
  id: documentId,
  type: z.literal('core'),
  metadata: metadataObject().optional(),
  document_parts: z
    .array(coreDocumentPartSchema)
    .min(1, { error: 'send at least one part' })
    .max(maxParts),
});

export interface StructuredDocumentSection {
  id?: number | undefined;
  title?: string | undefined;
  text: string;
  metadata?: Record<string, unknown> | undefined;
  sections?: StructuredDocumentSection[] | undefined;
}

const sectionSchema: z.ZodType<StructuredDocumentSection, StructuredDocumentSection> = z.lazy(() =>
  z.object({
    id: z.number().int().optional(),
    title: z.string().max(1_000).optional(),
    text: z.string({ error: 'expected the section text' }).max(maxText),
    metadata: metadataObject().optional(),
    sections: z.array(sectionSchema).max(maxParts).optional(),
  }),
);

/** `StructuredDocument`: a title, a description and nested sections with headings. */
export const structuredDocumentSchema = z.object({
  id: documentId,
  type: z.literal('structured'),
  title: z.string().max(1_000).optional(),
  description: z.string().max(10_000).optional(),
  metadata: metadataObject().optional(),
  sections: z.array(sectionSchema).min(1, { error: 'send at least one section' }).max(maxParts),
});

/** `POST /v2/corpora/{corpus_key}/documents` (CreateDocumentRequest). */
export const createDocumentRequestSchema = z.discriminatedUnion(
  'type',
  [coreDocumentSchema, structuredDocumentSchema],
  { error: 'type: expected "core" or "structured"' },
);

/** `GET /v2/corpora/{corpus_key}/documents?limit=&metadata_filter=&page_key=`. */
export const listDocumentsParametersSchema = z.object({
  limit: boundedInt(1, 1_000).optional(),
  metadata_filter: z.string().max(8_000).optional(),
  page_key: z.string().max(200).optional(),
});

export type CreateDocumentRequest = z.input<typeof createDocumentRequestSchema>;

/** `DocumentPart`. */
export interface V2DocumentPart {
  text: string;
  metadata: Record<string, unknown>;
  context?: string;
}

/** `Document`: `parts` only when one document is read (`GET …/documents/{id}`). */
export interface V2Document {
  id: string;
  metadata: Record<string, unknown>;
  parts?: V2DocumentPart[];
  storage_usage?: { bytes_used: number; metadata_bytes_used: number };
}

export interface ListDocumentsResponse {
  documents: V2Document[];
  metadata: { page_key?: string };
}
