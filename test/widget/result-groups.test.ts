import { describe, expect, it } from 'vitest';
import { MARK_END, MARK_START, splitHighlights } from '../../widget/highlight.ts';
import { buildQueryBody, parseCorpusIds } from '../../widget/query-client.ts';
import { addRecent } from '../../widget/recent-searches.ts';
import { groupResults } from '../../widget/result-groups.ts';
import { safeHref } from '../../widget/safe-url.ts';
import { format, isRightToLeft, stringsFor } from '../../widget/strings.ts';

const base = 'https://site.example/docs/page.html';

describe('widget helpers', () => {
  it('splits snippets on the markers into plain and marked runs, dropping stray markers', () => {
    expect(splitHighlights(`a ${MARK_START}<b>${MARK_END} c${MARK_END}${MARK_START}`)).toEqual([
      { text: 'a ', mark: false },
      { text: '<b>', mark: true },
      { text: ' c', mark: false },
    ]);
  });

  it('allows only http(s) links, resolving relative ones against the page', () => {
    expect(safeHref('/install', base)).toBe('https://site.example/install');
    expect(safeHref('guide#a', base)).toBe('https://site.example/docs/guide#a');
    expect(safeHref('http://x.example/', base)).toBe('http://x.example/');
    for (const bad of [
      'javascript:alert(1)',
      ' JaVaScRiPt:alert(1)',
      'data:text/html,x',
      'java\tscript:x',
      '',
      7,
    ]) {
      expect(safeHref(bad, base)).toBeUndefined();
    }
  });

  it('groups hits under their documents in first-hit order', () => {
    const groups = groupResults(
      {
        response: [
          {
            text: 'one',
            score: 3,
            documentIndex: 1,
            metadata: [{ name: 'title', value: 'Setup' }],
          },
          { text: 'two', score: 2, documentIndex: 0, metadata: [] },
          { text: 'three', score: 1, documentIndex: 1, metadata: [{ name: 'url', value: '#s' }] },
        ],
        document: [
          { id: 'a', metadata: [{ name: 'title', value: 'Doc A' }] },
          { id: 'b', metadata: [{ name: 'url', value: 'javascript:x' }] },
        ],
      },
      base,
    );
    expect(groups.map((group) => group.title)).toEqual(['b', 'Doc A']);
    expect(groups[0]?.sections.map((s) => [s.position, s.heading, s.url])).toEqual([
      [0, 'Setup', undefined],
      [1, undefined, `${base}#s`],
    ]);
    expect(groups[1]?.sections[0]?.position).toBe(2);
  });

  it('builds a Vectara v1 query body', () => {
    const body = buildQueryBody(
      {
        endpoint: '',
        apiKey: 'k',
        customerId: '42',
        corpusIds: parseCorpusIds('1, 2,x'),
        numResults: 5,
        metadataFilter: "doc.lang = 'en'",
      },
      'hello',
    );
    expect(body.query[0]).toMatchObject({
      query: 'hello',
      start: 0,
      numResults: 5,
      contextConfig: { startTag: MARK_START, endTag: MARK_END },
      corpusKey: [
        { customerId: 42, corpusId: 1, metadataFilter: "doc.lang = 'en'" },
        { customerId: 42, corpusId: 2, metadataFilter: "doc.lang = 'en'" },
      ],
    });
  });

  it('has every string in every built-in language, with overrides and fallbacks', () => {
    const english = stringsFor('en');
    for (const lang of ['de', 'fr', 'es', 'ja', 'ar']) {
      const strings = stringsFor(lang);
      expect(Object.keys(strings)).toEqual(Object.keys(english));
      for (const value of Object.values(strings)) expect(value).not.toBe('');
    }
    expect(stringsFor('de-AT').label).toBe('Suche');
    expect(stringsFor('xx').label).toBe('Search');
    expect(stringsFor('fr', { label: 'Chercher' }).label).toBe('Chercher');
    expect(format(stringsFor('en').noResults, { q: 'x' })).toBe('No results for “x”');
    expect(isRightToLeft('ar-EG')).toBe(true);
    expect(isRightToLeft('en')).toBe(false);
  });

  it('keeps at most five recent searches, newest first, without duplicates', () => {
    let list: string[] = [];
    for (const query of ['a', 'b', 'c', 'a', 'd', 'e', 'f']) list = addRecent(list, query);
    expect(list).toEqual(['f', 'e', 'd', 'a', 'c']);
  });
});
