import { splitHighlights, type TextPart } from './highlight.ts';
import { safeHref } from './safe-url.ts';
import type { SearchHit } from './search-hit.ts';

/** One hit as the page sees it in `search-gate-select`. */
export interface SearchGateResult {
  title: string;
  /** The section heading, when the hit is inside a titled section. */
  heading?: string;
  /** Only http(s) URLs, with the section's anchor; undefined when there is none or an unsafe one. */
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

/** The section's own address: the page's URL with the anchor as its fragment. */
const sectionHref = (hit: SearchHit, base: string): string | undefined => {
  const href = safeHref(hit.url, base);
  if (!href || typeof hit.anchor !== 'string' || !hit.anchor) return href;
  const url = new URL(href);
  url.hash = hit.anchor;
  return url.href;
};

/** Groups hits under their document, keeping the order in which documents first appear. */
export const groupResults = (hits: SearchHit[], base: string): ResultGroup[] => {
  const groups = new Map<string, ResultGroup>();
  let position = 0;
  for (const hit of hits) {
    let group = groups.get(hit.document);
    if (!group) {
      group = { title: hit.title, sections: [] };
      groups.set(hit.document, group);
    }
    const parts = splitHighlights(hit.text);
    group.sections.push({
      title: hit.title,
      ...(hit.heading ? { heading: hit.heading } : {}),
      url: sectionHref(hit, base),
      text: parts.map((part) => part.text).join(''),
      score: hit.score,
      parts,
      position: 0,
    });
  }
  const list = [...groups.values()];
  for (const group of list) for (const section of group.sections) section.position = position++;
  return list;
};
