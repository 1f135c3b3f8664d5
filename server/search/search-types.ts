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

/**
 * Vectara's `mmr` reranker: Maximal Marginal Relevance over the top relevance results, so
 * near-duplicate sections stop filling a page (see mmr-reranker.ts).
 */
export interface MmrRerankerConfig {
  type: 'mmr';
  /** 0 = pure relevance (the order without a reranker), 1 = pure diversity; clamped to 0..1. */
  diversityBias: number;
}

export interface SearchRequest {
  query: string;
  corpora: Array<CorpusRef & { metadataFilter?: string }>;
  /** Results skipped (v1 `start`, v2 `offset`). */
  start: number;
  /** Results returned at most (v1 `numResults`, v2 `limit`). */
  numResults: number;
  context: ContextConfig;
  reranker?: MmrRerankerConfig;
}

export interface SearchHit {
  /** Snippet: the matching section text with context, matched terms wrapped in the tags. */
  text: string;
  /**
   * Higher is better, 0..1; comparable across corpora of one query. With a reranker, the
   * reranker's score (hits are sorted by it).
   */
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
