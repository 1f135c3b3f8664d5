import { splitHighlights, type TextPart, withoutMarkers } from './highlight.ts';
import { safeHref } from './safe-url.ts';
import { type SearchHit, text } from './search-hit.ts';

/** One hit as the page sees it in `search-gate-select`. */
export interface SearchGateResult {
  title: string;
  /** The section heading, when the hit is inside a titled section. */
  heading?: string | undefined;
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
  /** Where the page is: its `breadcrumb` metadata, else its URL's path (and host, if another). */
  path: string;
  /** `image` metadata (http(s) only). */
  image?: string | undefined;
  sections: ResultSection[];
}

/** `/docs/install.html` → `docs › install`; another site's pages start with its host. */
const pathOf = (hit: SearchHit, href: string | undefined, base: string): string => {
  const crumbs = hit.breadcrumb;
  if (Array.isArray(crumbs)) return crumbs.filter((c) => typeof c === 'string').join(' › ');
  if (text(crumbs) || !href) return text(crumbs) ?? '';
  const url = new URL(href);
  const steps = url.pathname.replace(/(\/index)?\.html?$/, '').split('/');
  if (url.host !== new URL(base).host) steps.unshift(url.host);
  return steps.filter(Boolean).join(' › ');
};

/** Snippets cut out of a longer text say so: "…" where a sentence was cut. */
const withEllipses = (parts: TextPart[]): TextPart[] => {
  const first = parts[0]?.text ?? '';
  const last = parts.at(-1)?.text ?? '';
  return [
    ...(/^\p{Ll}/u.test(first) ? [{ text: '… ', mark: false }] : []),
    ...parts,
    ...(last && !/[.!?…:;)"'”»。！？]\s*$/.test(last) ? [{ text: ' …', mark: false }] : []),
  ];
};

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
    const url = sectionHref(hit, base);
    let group = groups.get(hit.document);
    if (!group) {
      group = {
        title: hit.title,
        path: pathOf(hit, url, base),
        image: safeHref(hit.image, base),
        sections: [],
      };
      groups.set(hit.document, group);
    }
    const parts = splitHighlights(hit.text);
    group.sections.push({
      title: hit.title,
      heading: hit.heading,
      url,
      text: withoutMarkers(hit.text),
      score: hit.score,
      parts: withEllipses(parts),
      position: 0,
    });
  }
  const list = [...groups.values()];
  for (const group of list) for (const section of group.sections) section.position = position++;
  return list;
};
