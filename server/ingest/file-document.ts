import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { DocumentInput } from '../search/search-types.ts';
import type { DocumentSource } from './document-source.ts';
import { htmlToDocument } from './html-document.ts';
import { markdownToDocument } from './markdown-document.ts';
import { textToDocument } from './text-document.ts';

type Parser = (content: string, source: DocumentSource) => DocumentInput | undefined;

const PARSERS: Record<string, Parser> = {
  '.html': htmlToDocument,
  '.htm': htmlToDocument,
  '.xhtml': htmlToDocument,
  '.md': markdownToDocument,
  '.markdown': markdownToDocument,
  '.txt': textToDocument,
  '.text': textToDocument,
};

/** Bigger files are almost never pages: generated dumps, logs, data. */
export const MAX_FILE_BYTES = 10 * 1024 * 1024;

export const isSupportedFile = (file: string): boolean =>
  Object.hasOwn(PARSERS, path.extname(file).toLowerCase());

export interface DocumentOptions {
  /** Public address of the root folder; a page's `url` is this plus its relative path. */
  baseUrl?: string;
  /** Put before the relative path to form the document id. */
  idPrefix?: string;
}

/** What became of one file: a document, or why there is none. */
export interface LoadedFile {
  file: string;
  document?: DocumentInput;
  /** Nothing to index here, and that is fine (unsupported type, no text). */
  skipped?: string;
  /** The file could not be read. */
  error?: string;
}

/** The page's address: each path segment percent-encoded, joined under the base URL. */
export function pageUrl(baseUrl: string, relativePath: string): string {
  const base = baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`;
  const encoded = relativePath.split('/').map(encodeURIComponent).join('/');
  return new URL(encoded, base).href;
}

/** Reads one file and turns it into a document with the parser its extension picks. */
export async function fileToDocument(
  file: string,
  relativePath: string,
  options: DocumentOptions = {},
): Promise<LoadedFile> {
  const parser = PARSERS[path.extname(file).toLowerCase()];
  if (!parser) return { file, skipped: 'not an HTML, Markdown or text file' };
  let content: Buffer;
  try {
    const info = await stat(file);
    if (info.size > MAX_FILE_BYTES) {
      return { file, skipped: `larger than ${MAX_FILE_BYTES / 1024 / 1024} MB` };
    }
    content = await readFile(file);
  } catch (error) {
    return { file, error: error instanceof Error ? error.message : String(error) };
  }
  if (content.subarray(0, 8000).includes(0)) return { file, skipped: 'binary content' };

  const source: DocumentSource = {
    documentId: `${options.idPrefix ?? ''}${relativePath}`,
    fileName: path.basename(file),
    ...(options.baseUrl === undefined ? {} : { url: pageUrl(options.baseUrl, relativePath) }),
  };
  try {
    const document = parser(content.toString('utf8'), source);
    return document ? { file, document } : { file, skipped: 'no text' };
  } catch (error) {
    return { file, error: `cannot parse: ${error instanceof Error ? error.message : error}` };
  }
}
