import type { Metadata, SectionInput } from '../search/search-types.ts';
import { chunkParagraphs, collapseWhitespace } from './text-chunks.ts';

interface PendingSection {
  title: string | undefined;
  anchor: string | undefined;
  paragraphs: string[];
}

/**
 * Collects paragraphs under the heading they follow, for the HTML and Markdown parsers.
 * Each heading starts a new section; text before the first heading forms an untitled section.
 */
export class SectionBuilder {
  readonly #sections: PendingSection[] = [];
  #current: PendingSection = { title: undefined, anchor: undefined, paragraphs: [] };

  startSection(title: string, anchor: string | undefined): void {
    this.#sections.push(this.#current);
    this.#current = { title: collapseWhitespace(title) || undefined, anchor, paragraphs: [] };
  }

  addParagraph(text: string): void {
    const paragraph = collapseWhitespace(text);
    if (paragraph !== '') this.#current.paragraphs.push(paragraph);
  }

  /** Sections with text, long ones split; a heading with no text under it yields nothing. */
  build(): SectionInput[] {
    const sections: SectionInput[] = [];
    for (const pending of [...this.#sections, this.#current]) {
      const metadata: Metadata = pending.anchor ? { anchor: pending.anchor } : {};
      for (const text of chunkParagraphs(pending.paragraphs)) {
        sections.push({
          ...(pending.title === undefined ? {} : { title: pending.title }),
          text,
          metadata: { ...metadata },
        });
      }
    }
    return sections;
  }
}
