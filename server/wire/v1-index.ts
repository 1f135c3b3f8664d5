import { z } from 'zod';
import type { Metadata } from '../search/search-types.ts';
import { maxJsonDepth, wireId } from './wire-values.ts';

/** Vectara REST API v1 indexing: `/v1/index`, `/v1/core/index`, `/v1/delete-doc`. */

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
    return scalarMetadata(parsed as Record<string, unknown>);
  });

/** Lists and objects cannot be filtered on; they are kept readable as JSON text. */
export function scalarMetadata(value: Record<string, unknown>): Metadata {
  const out: Metadata = {};
  for (const [name, item] of Object.entries(value)) {
    if (name === '__proto__') continue;
    out[name] =
      item === null || ['string', 'number', 'boolean'].includes(typeof item)
        ? (item as Metadata[string])
        : JSON.stringify(item);
  }
  return out;
}

export interface V1Section {
  title?: string | undefined;
  text?: string | undefined;
  metadataJson: Metadata;
  section?: V1Section[] | undefined;
}

const sectionSchema: z.ZodType<V1Section, unknown> = z.lazy(() =>
  z.looseObject({
    id: z.unknown().optional(),
    title: z.string().max(1_000).optional(),
    text: z.string().max(1_000_000).optional(),
    metadataJson,
    section: z.array(sectionSchema).max(10_000).optional(),
  }),
);

export const v1IndexSchema = z.looseObject({
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

export const v1CoreIndexSchema = z.looseObject({
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

export const v1DeleteDocumentSchema = z.looseObject({
  customerId: wireId().optional(),
  corpusId: wireId(),
  documentId,
});

export type V1IndexRequest = z.input<typeof v1IndexSchema>;

export interface V1IndexResponse {
  status: { code: string; statusDetail: string };
  quotaConsumed: { numChars: string; numMetadataChars: string };
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
