import type { DocumentInput, Metadata } from '../search/search-types.ts';
import type { DocumentSource } from './document-source.ts';
import { chunkParagraphs, collapseWhitespace } from './text-chunks.ts';

/** Plain text has no headings, so sections are runs of paragraphs of about this size. */
export const TEXT_SECTION_CHARS = 1500;
const MAX_TITLE_CHARS = 120;

function titleFrom(firstLine: string): string {
  if (firstLine.length <= MAX_TITLE_CHARS) return firstLine;
  const space = firstLine.lastIndexOf(' ', MAX_TITLE_CHARS - 1);
  return `${firstLine.slice(0, space > 0 ? space : MAX_TITLE_CHARS - 1)}…`;
}

/** Turns plain text into a document; `undefined` when it has no text. */
export function textToDocument(text: string, source: DocumentSource): DocumentInput | undefined {
  const paragraphs = text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n\s*\r?\n/)
    .map(collapseWhitespace)
    .filter((paragraph) => paragraph !== '');
  const sections = chunkParagraphs(paragraphs, TEXT_SECTION_CHARS).map((chunk) => ({
    text: chunk,
    metadata: {},
  }));
  if (sections.length === 0) return undefined;

  const firstLine = text
    .split(/\r?\n/)
    .map(collapseWhitespace)
    .find((line) => line !== '');
  const metadata: Metadata = {};
  if (source.url !== undefined) metadata.url = source.url;
  return {
    documentId: source.documentId,
    title: firstLine ? titleFrom(firstLine) : source.fileName,
    metadata,
    sections,
  };
}
