/**
 * One hit as both APIs describe it, before grouping: v1's `{name, value}` lists and v2's
 * `part_metadata` / `document_metadata` objects both end up here.
 */
export interface SearchHit {
  /** Identifies the document within the answer, to group its sections. */
  document: string;
  title: string;
  /** The section heading (`title` in the part's metadata), when it differs from the page's. */
  heading?: string | undefined;
  /** The `url` of the part, else of the document; unchecked (see safe-url.ts). */
  url?: unknown;
  /** The section's `anchor`, appended to the URL as its fragment. */
  anchor?: unknown;
  /** The page's own metadata shown beside its title, when it has them (unchecked). */
  breadcrumb?: unknown;
  image?: unknown;
  /** The snippet, matches between the marker characters. */
  text: string;
  score: number;
}

type Metadata = Record<string, unknown>;

/** A non-empty string, else undefined. */
export const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value ? value : undefined;

export const hitFrom = (
  document: string,
  documentId: string,
  part: Metadata,
  page: Metadata,
  snippet: unknown,
  score: unknown,
): SearchHit => {
  const title = text(page.title) ?? documentId;
  const heading = text(part.title);
  return {
    document,
    title,
    heading: heading === title ? undefined : heading,
    url: part.url ?? page.url,
    anchor: part.anchor,
    breadcrumb: page.breadcrumb,
    image: page.image,
    text: text(snippet) ?? '',
    score: typeof score === 'number' ? score : 0,
  };
};
