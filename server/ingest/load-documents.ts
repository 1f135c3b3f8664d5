import { collectFiles } from './collect-files.ts';
import {
  type DocumentOptions,
  fileToDocument,
  isSupportedFile,
  type LoadedFile,
} from './file-document.ts';

/**
 * Every supported file under the given files and folders, as documents, one at a time. Files
 * named directly are tried whatever their extension; inside folders, other files are ignored.
 */
export async function* loadDocumentsFromFiles(
  roots: string[],
  options: DocumentOptions = {},
): AsyncGenerator<LoadedFile> {
  for await (const entry of collectFiles(roots, { include: isSupportedFile })) {
    if (entry.kind === 'file') yield await fileToDocument(entry.file, entry.relativePath, options);
    else if (entry.kind === 'skipped') yield { file: entry.file, skipped: entry.reason };
    else yield { file: entry.file, error: entry.error };
  }
}
