/** The data the search engine stores and answers with, independent of the wire format. */

/** Metadata values as they arrive in `metadataJson`: scalars only are filterable. */
export type MetadataValue = string | number | boolean | null;
export type Metadata = Record<string, MetadataValue>;

export interface CorpusRef {
  customerId: number;
  corpusId: number;
}

/** One searchable part of a document (a Vectara "section" or core "part"). */
export interface SectionInput {
  /** The section's own heading, or the nearest ancestor's heading for nested sections. */
  title?: string;
  text: string;
  metadata: Metadata;
}

export interface DocumentInput {
  documentId: string;
  title?: string;
  description?: string;
  /** Document-level metadata (`url`, `lang`, …); `title` is added from `title` when present. */
  metadata: Metadata;
  sections: SectionInput[];
  /**
   * Sections longer than this are stored as several (Vectara's `max_chars_per_chunk`); at most
   * and by default `maxSectionChars` (4 000), at least 100.
   */
  maxCharsPerChunk?: number;
}

export interface IndexOutcome {
  /** Sections stored, after long ones were chunked. */
  sections: number;
  chars: number;
  metadataChars: number;
  /** `unchanged` when the stored document had exactly this content (nothing was written). */
  status: 'created' | 'updated' | 'unchanged';
}

export interface ContextConfig {
  charsBefore: number;
  charsAfter: number;
  /** When either sentence count is set (> 0), sentences win over chars. */
  sentencesBefore: number;
  sentencesAfter: number;
  startTag: string;
  endTag: string;
}

export interface SearchRequest {
  query: string;
  corpora: Array<CorpusRef & { metadataFilter?: string }>;
  start: number;
  numResults: number;
  context: ContextConfig;
}

export interface SearchHit {
  /** Snippet: the matching section text with context, matched terms wrapped in the tags. */
  text: string;
  /** Higher is better; comparable across corpora of one query. */
  score: number;
  corpus: CorpusRef;
  documentId: string;
  /** Section metadata plus `title` (the section heading) when the section has one. */
  metadata: Metadata;
}

export interface SearchDocument {
  corpus: CorpusRef;
  documentId: string;
  /** Document metadata, including `title` when the document has one. */
  metadata: Metadata;
}

export interface SearchResult {
  hits: SearchHit[];
  /** Documents referenced by hits, without duplicates, in first-hit order. */
  documents: SearchDocument[];
  /** For each hit, the index of its document in `documents`. */
  documentIndex: number[];
}

/** A metadata filter that does not parse: `position` is the 0-based character offset. */
export class FilterSyntaxError extends Error {
  readonly position: number;
  constructor(message: string, position: number) {
    super(`${message} at position ${position}`);
    this.name = 'FilterSyntaxError';
    this.position = position;
  }
}
