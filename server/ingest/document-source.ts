/** What a parser knows about the file it turns into a document. */
export interface DocumentSource {
  documentId: string;
  /** The file's base name: the title of last resort. */
  fileName: string;
  /** Public address of the page, stored as the document's `url` metadata. */
  url?: string;
}
