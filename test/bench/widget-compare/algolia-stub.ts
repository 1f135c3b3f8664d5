import type { ComparePage } from './compare-corpus.ts';

/**
 * A stand-in for Algolia's search API as DocSearch 4 calls it (`POST /1/indexes/*\/queries`
 * with `{ requests: [{ indexName, query, hitsPerPage, attributesToSnippet, … }] }`), answering
 * from the comparison's pages. Records are shaped as DocSearch's crawler writes them: one per page
 * (`lvl1`), one per heading (`lvl2`) and one per paragraph (`content`). Matching is Algolia's
 * default in spirit: every word must match, the last one as a prefix; records rank by the best
 * attribute matched (title before heading before text), then by level and position.
 */

type Level = 'lvl0' | 'lvl1' | 'lvl2' | 'lvl3' | 'lvl4' | 'lvl5' | 'lvl6';
const levels: Level[] = ['lvl0', 'lvl1', 'lvl2', 'lvl3', 'lvl4', 'lvl5', 'lvl6'];

interface DocSearchRecord {
  objectID: string;
  url: string;
  type: 'lvl1' | 'lvl2' | 'content';
  hierarchy: Record<Level, string | null>;
  content: string | null;
  position: number;
}

export interface AlgoliaRequest {
  indexName: string;
  query?: string;
  hitsPerPage?: number;
  attributesToSnippet?: string[];
  highlightPreTag?: string;
  highlightPostTag?: string;
  snippetEllipsisText?: string;
}

const words = (text: string): string[] => text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];

const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The most words a query may have, and the most hits a request may ask for: bounded work. */
const maxQueryWords = 10;
const maxHitsPerPage = 50;

export class AlgoliaStub {
  readonly #records: DocSearchRecord[] = [];
  /** word → record → the best attribute it is in (0 = lvl0 … 7 = content). */
  readonly #postings = new Map<string, Map<number, number>>();

  constructor(pages: ComparePage[]) {
    let position = 0;
    for (const page of pages) {
      const base = { lvl0: page.title, lvl1: page.title };
      const hierarchy = (lvl2: string | null): Record<Level, string | null> => ({
        ...base,
        lvl2,
        lvl3: null,
        lvl4: null,
        lvl5: null,
        lvl6: null,
      });
      this.#add({
        objectID: `${page.url}`,
        url: page.url,
        type: 'lvl1',
        hierarchy: hierarchy(null),
        content: null,
        position: position++,
      });
      for (const [i, section] of page.sections.entries()) {
        const url = section.anchor ? `${page.url}#${section.anchor}` : page.url;
        if (section.heading) {
          this.#add({
            objectID: `${page.url}#h${i}`,
            url,
            type: 'lvl2',
            hierarchy: hierarchy(section.heading),
            content: null,
            position: position++,
          });
        }
        this.#add({
          objectID: `${page.url}#c${i}`,
          url,
          type: 'content',
          hierarchy: hierarchy(section.heading ?? null),
          content: section.text,
          position: position++,
        });
      }
    }
  }

  #add(record: DocSearchRecord): void {
    const id = this.#records.push(record) - 1;
    const attributes = [...levels.map((level) => record.hierarchy[level]), record.content];
    for (const [attribute, text] of attributes.entries()) {
      for (const word of words(text ?? '')) {
        const records = this.#postings.get(word) ?? new Map<number, number>();
        if (!records.has(id)) records.set(id, attribute);
        this.#postings.set(word, records);
      }
    }
  }

  /** Records holding the term (the last one as a prefix), with their best attribute. */
  #lookup(term: string, prefix: boolean): Map<number, number> {
    if (!prefix) return this.#postings.get(term) ?? new Map();
    const found = new Map<number, number>();
    for (const [word, records] of this.#postings) {
      if (!word.startsWith(term)) continue;
      for (const [id, attribute] of records) {
        found.set(id, Math.min(attribute, found.get(id) ?? attribute));
      }
    }
    return found;
  }

  /** The body of `POST /1/indexes/*\/queries`. */
  search(requests: AlgoliaRequest[]): { results: unknown[] } {
    return { results: requests.map((request) => this.#searchOne(request)) };
  }

  #searchOne(request: AlgoliaRequest) {
    const query = request.query ?? '';
    const terms = words(query).slice(0, maxQueryWords);
    const hitsPerPage = Math.min(request.hitsPerPage ?? 20, maxHitsPerPage);
    const matches = (word: string, i: number) =>
      i === terms.length - 1 ? word.startsWith(terms[i] as string) : word === terms[i];
    const ranked: Array<{ record: DocSearchRecord; attribute: number }> = [];
    if (terms.length > 0) {
      const perTerm = terms.map((term, i) => this.#lookup(term, i === terms.length - 1));
      const [first, ...rest] = perTerm.sort((a, b) => a.size - b.size);
      for (const [id, attribute] of first ?? []) {
        let best = attribute;
        if (!rest.every((postings) => postings.has(id))) continue;
        for (const postings of rest) best = Math.min(best, postings.get(id) as number);
        ranked.push({ record: this.#records[id] as DocSearchRecord, attribute: best });
      }
    }
    const levelRank = { lvl1: 0, lvl2: 1, content: 2 };
    ranked.sort(
      (a, b) =>
        a.attribute - b.attribute ||
        levelRank[a.record.type] - levelRank[b.record.type] ||
        a.record.position - b.record.position,
    );
    const pre = request.highlightPreTag ?? '<em>';
    const post = request.highlightPostTag ?? '</em>';
    const ellipsis = request.snippetEllipsisText ?? '…';
    const snippetWords = Number(
      request.attributesToSnippet?.find((a) => a.startsWith('content:'))?.split(':')[1] ?? 10,
    );
    const highlight = (text: string | null) => {
      if (text === null) return { value: null, matchLevel: 'none', matchedWords: [] };
      const matched = new Set<string>();
      const value = text
        .split(/([\p{L}\p{N}]+)/u)
        .map((part, i) => {
          if (i % 2 === 0) return escapeHtml(part);
          const hit = terms.some((_, t) => matches(part.toLowerCase(), t));
          if (hit) matched.add(part.toLowerCase());
          return hit ? `${pre}${escapeHtml(part)}${post}` : escapeHtml(part);
        })
        .join('');
      const matchLevel =
        matched.size === 0 ? 'none' : matched.size >= terms.length ? 'full' : 'partial';
      return { value, matchLevel, matchedWords: [...matched] };
    };
    const snippet = (text: string | null) => {
      if (text === null) return { value: null, matchLevel: 'none' };
      const tokens = text.split(/\s+/);
      const first = Math.max(
        0,
        tokens.findIndex((token) => words(token).some((w) => terms.some((_, t) => matches(w, t)))),
      );
      const start = Math.max(0, first - Math.floor(snippetWords / 2));
      const cut = tokens.slice(start, start + snippetWords).join(' ');
      const { value, matchLevel } = highlight(cut);
      return {
        value: `${start > 0 ? ellipsis : ''}${value}${start + snippetWords < tokens.length ? ellipsis : ''}`,
        matchLevel,
      };
    };
    const hits = ranked.slice(0, hitsPerPage).map(({ record }) => ({
      objectID: record.objectID,
      url: record.url,
      type: record.type,
      hierarchy: record.hierarchy,
      content: record.content,
      _highlightResult: {
        hierarchy: Object.fromEntries(levels.map((l) => [l, highlight(record.hierarchy[l])])),
        content: highlight(record.content),
      },
      _snippetResult: {
        hierarchy: Object.fromEntries(levels.map((l) => [l, snippet(record.hierarchy[l])])),
        content: snippet(record.content),
      },
    }));
    return {
      index: request.indexName,
      query,
      params: '',
      hits,
      nbHits: ranked.length,
      page: 0,
      nbPages: Math.ceil(ranked.length / hitsPerPage),
      hitsPerPage,
      exhaustiveNbHits: true,
      processingTimeMS: 1,
      queryID: `q${ranked.length}`,
    };
  }
}
