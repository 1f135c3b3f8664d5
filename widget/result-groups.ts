import { splitHighlights, type TextPart } from './highlight.ts';
import type { MetadataEntry, ResponseSet } from './query-client.ts';
import { safeHref } from './safe-url.ts';

/** One hit as the page sees it in `search-gate-select`. */
export interface SearchGateResult {
  title: string;
  /** The section heading, when the hit is inside a titled section. */
  heading?: string;
  /** Only http(s) URLs; undefined when the document has none or an unsafe one. */
  url?: string;
  /** The snippet as plain text, markers removed. */
  text: string;
  score: number;
}

export interface ResultSection extends SearchGateResult {
  parts: TextPart[];
  /** Index in the flattened, grouped order: the option's position for keyboard navigation. */
  position: number;
}

export interface ResultGroup {
  title: string;
  sections: ResultSection[];
}

const meta = (entries: MetadataEntry[] | undefined, name: string): string | undefined =>
  entries?.find((entry) => entry.name === name)?.value;

/** Groups hits under their document, keeping the order in which documents first appear. */
export const groupResults = (set: ResponseSet, base: string): ResultGroup[] => {
  const groups = new Map<number, ResultGroup>();
  for (const hit of set.response ?? []) {
    const document = set.document?.[hit.documentIndex];
    let group = groups.get(hit.documentIndex);
    if (!group) {
      group = { title: meta(document?.metadata, 'title') || document?.id || '', sections: [] };
      groups.set(hit.documentIndex, group);
    }
    const parts = splitHighlights(hit.text ?? '');
    const heading = meta(hit.metadata, 'title');
    group.sections.push({
      title: group.title,
      ...(heading && heading !== group.title ? { heading } : {}),
      url: safeHref(meta(hit.metadata, 'url') ?? meta(document?.metadata, 'url'), base),
      text: parts.map((part) => part.text).join(''),
      score: hit.score,
      parts,
      position: 0,
    });
  }
  let position = 0;
  const list = [...groups.values()];
  for (const group of list) for (const section of group.sections) section.position = position++;
  return list;
};
