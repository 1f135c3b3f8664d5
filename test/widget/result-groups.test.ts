import { describe, expect, it } from 'vitest';
import { MARK_END, MARK_START, splitHighlights } from '../../widget/highlight.ts';
import {
  allOf,
  parseCorpusIds,
  parseCorpusKeys,
  parseFilters,
  type QueryConfig,
} from '../../widget/query-config.ts';
import { groupResults } from '../../widget/result-groups.ts';
import { safeHref } from '../../widget/safe-url.ts';
import { addSaved } from '../../widget/saved-searches.ts';
import { hitFrom } from '../../widget/search-hit.ts';
import {
  format,
  hasStrings,
  isRightToLeft,
  loadStrings,
  stringsFor,
} from '../../widget/strings.ts';
import { withTextFragment } from '../../widget/text-fragment.ts';
import { v1Body, v1Hits } from '../../widget/v1-protocol.ts';
import { v2Body, v2Hits } from '../../widget/v2-protocol.ts';
import { expectV2Shape } from '../helpers/v2-spec.ts';

const base = 'https://site.example/docs/page.html';

describe('widget helpers', () => {
  it('splits snippets on the markers into plain and marked runs, dropping stray markers', () => {
    expect(splitHighlights(`a ${MARK_START}<b>${MARK_END} c${MARK_END}${MARK_START}`)).toEqual([
      { text: 'a ', mark: false },
      { text: '<b>', mark: true },
      { text: ' c', mark: false },
    ]);
  });

  it('shows text between paired backticks as code, marks inside it too', () => {
    expect(splitHighlights(`run \`npm ${MARK_START}test${MARK_END}\` now`)).toEqual([
      { text: 'run ', mark: false },
      { text: 'npm ', mark: false, code: true },
      { text: 'test', mark: true, code: true },
      { text: ' now', mark: false },
    ]);
    // A snippet that cut a code span in two has one backtick left: plain text.
    expect(splitHighlights('set X=1` to')).toEqual([{ text: 'set X=1` to', mark: false }]);
  });

  it('says where a page is and where a snippet was cut', () => {
    const hit = (page: Record<string, unknown>, text: string) =>
      hitFrom('d', 'd', {}, page, text, 1);
    const [group] = groupResults(
      [hit({ url: '/guide/setup/index.html' }, 'the middle of a sentence')],
      base,
    );
    expect(group?.path).toBe('guide › setup');
    expect(group?.sections[0]?.parts.map((part) => part.text).join('')).toBe(
      '… the middle of a sentence …',
    );
    expect(group?.sections[0]?.text).toBe('the middle of a sentence');
    const [other] = groupResults(
      [
        hit(
          {
            url: 'https://else.example/a',
            breadcrumb: ['Guides', 7, 'Setup'],
            image: 'javascript:x',
          },
          'A whole sentence.',
        ),
      ],
      base,
    );
    expect(other).toMatchObject({ path: 'Guides › Setup', image: undefined });
    expect(other?.sections[0]?.parts).toEqual([{ text: 'A whole sentence.', mark: false }]);
    const [away] = groupResults([hit({ url: 'https://else.example/a/b.html' }, 'x.')], base);
    expect(away).toMatchObject({ path: 'else.example › a › b' });
  });

  it('builds a text fragment that finds the snippet: the first match and up to three words around it', () => {
    const parts = splitHighlights(
      `… a state-of-the-art, ${MARK_START}lock-free${MARK_END} queue & ${MARK_START}more${MARK_END} …`,
    );
    expect(withTextFragment('https://x.example/p#a', parts)).toBe(
      'https://x.example/p#a:~:text=%E2%80%A6%20a%20state%2Dof%2Dthe%2Dart%2C-,lock%2Dfree,-queue%20%26%20more',
    );
    expect(
      withTextFragment('https://x.example/p', splitHighlights(`${MARK_START}x${MARK_END}`)),
    ).toBe('https://x.example/p#:~:text=x');
    expect(withTextFragment('https://x.example/p', splitHighlights('no match'))).toBe(
      'https://x.example/p',
    );
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

  it('groups v1 hits under their documents in first-hit order, sections linked to their anchor', () => {
    const hits = v1Hits({
      responseSet: [
        {
          response: [
            {
              text: 'one',
              score: 3,
              documentIndex: 1,
              metadata: [
                { name: 'title', value: 'Setup' },
                { name: 'anchor', value: 'set up' },
              ],
              corpusKey: { customerId: 1, corpusId: 1 },
            },
            {
              text: 'two',
              score: 2,
              documentIndex: 0,
              metadata: [],
              corpusKey: { customerId: 1, corpusId: 1 },
            },
            {
              text: 'three',
              score: 1,
              documentIndex: 1,
              metadata: [{ name: 'url', value: '#s' }],
              corpusKey: { customerId: 1, corpusId: 1 },
            },
          ],
          document: [
            { id: 'a', metadata: [{ name: 'title', value: 'Doc A' }] },
            { id: 'b', metadata: [{ name: 'url', value: '/b' }] },
          ],
          status: [],
          futureId: 1,
        },
      ],
      status: [],
    });
    const groups = groupResults(hits ?? [], base);
    expect(groups.map((group) => group.title)).toEqual(['b', 'Doc A']);
    expect(groups[0]?.sections.map((s) => [s.position, s.heading, s.url])).toEqual([
      [0, 'Setup', 'https://site.example/b#set%20up'],
      [1, undefined, `${base}#s`],
    ]);
    expect(groups[1]?.sections[0]?.position).toBe(2);
    expect(v1Hits({ responseSet: [], status: [] })).toBeUndefined();
  });

  it('reads a v2 QueryFullResponse: title and url from the document, heading and anchor from the part', () => {
    const answer = {
      search_results: [
        {
          text: 'a',
          score: 0.9,
          part_metadata: { title: 'Usage', anchor: 'usage' },
          document_metadata: { title: 'Guide', url: 'https://docs.example/guide' },
          document_id: 'guide',
          request_corpora_index: 0,
        },
        {
          text: 'b',
          score: 0.5,
          part_metadata: { title: 'Guide', url: 'javascript:alert(1)', anchor: 'x' },
          document_metadata: {},
          document_id: 'guide',
          request_corpora_index: 1,
        },
      ],
    };
    expectV2Shape('QueryFullResponse', answer);
    const groups = groupResults(v2Hits(answer) ?? [], base);
    // The same document id in two corpora is two pages.
    expect(groups.map((group) => group.title)).toEqual(['Guide', 'guide']);
    expect(groups[0]?.sections[0]).toMatchObject({
      heading: 'Usage',
      url: 'https://docs.example/guide#usage',
    });
    expect(groups[1]?.sections[0]?.heading).toBe('Guide');
    expect(groups[1]?.sections[0]?.url).toBeUndefined();
    expect(v2Hits({} as never)).toBeUndefined();
  });

  const config: QueryConfig = {
    endpoint: '',
    apiKey: 'k',
    customerId: '42',
    corpusKeys: parseCorpusKeys(' docs, blog '),
    corpusIds: parseCorpusIds('1, 2,x'),
    numResults: 5,
    offset: 10,
    metadataFilter: "doc.lang = 'en'",
  };

  it('reads the visitor filters an owner defines, and combines filters', () => {
    expect(
      parseFilters(
        "Guides: doc.type = 'guide'; ; no colon; :x; Links: doc.url = 'https://a.example/'",
      ),
    ).toEqual([
      { label: 'Guides', filter: "doc.type = 'guide'" },
      { label: 'Links', filter: "doc.url = 'https://a.example/'" },
    ]);
    expect(allOf('', '')).toBe('');
    expect(allOf("doc.a = 'x'", '')).toBe("doc.a = 'x'");
    expect(allOf("doc.a = 'x'", 'doc.b > 2')).toBe("(doc.a = 'x') and (doc.b > 2)");
  });

  it('builds a Vectara v1 query body', () => {
    expect(v1Body(config, 'hello').query[0]).toMatchObject({
      query: 'hello',
      start: 10,
      numResults: 5,
      contextConfig: { startTag: MARK_START, endTag: MARK_END },
      corpusKey: [
        { customerId: 42, corpusId: 1, metadataFilter: "doc.lang = 'en'" },
        { customerId: 42, corpusId: 2, metadataFilter: "doc.lang = 'en'" },
      ],
    });
  });

  it('builds a Vectara v2 QueryRequest', () => {
    const body = v2Body(config, 'hello');
    expectV2Shape('QueryRequest', body);
    expect(body).toEqual({
      query: 'hello',
      search: {
        corpora: [
          { corpus_key: 'docs', metadata_filter: "doc.lang = 'en'" },
          { corpus_key: 'blog', metadata_filter: "doc.lang = 'en'" },
        ],
        offset: 10,
        limit: 5,
        context_configuration: {
          characters_before: 80,
          characters_after: 120,
          start_tag: MARK_START,
          end_tag: MARK_END,
        },
      },
    });
  });

  it('has every string in every built-in language, loaded on demand, with overrides and fallbacks', async () => {
    const english = stringsFor('en');
    expect(hasStrings('de')).toBe(false);
    // Until its file is loaded, a language shows English.
    expect(stringsFor('de').label).toBe('Search');
    for (const lang of ['de', 'fr', 'es', 'ja', 'ar']) {
      await loadStrings(lang);
      expect(hasStrings(lang)).toBe(true);
      const strings = stringsFor(lang);
      expect(Object.keys(strings)).toEqual(Object.keys(english));
      // Every field translated: none falls back to the English text.
      for (const [field, value] of Object.entries(strings)) {
        expect(value, `${lang}.${field}`).not.toBe(english[field as keyof typeof english]);
      }
    }
    expect(stringsFor('de-AT').label).toBe('Suche');
    expect(hasStrings('xx')).toBe(true);
    expect(stringsFor('xx').label).toBe('Search');
    expect(stringsFor('fr', { label: 'Chercher' }).label).toBe('Chercher');
    expect(format(stringsFor('en').noResults, { q: 'x' })).toBe('No results for “x”');
    expect(isRightToLeft('ar-EG')).toBe(true);
    expect(isRightToLeft('en')).toBe(false);
  });

  it('keeps at most five recent searches, newest first, without duplicates', () => {
    let list: string[] = [];
    for (const query of ['a', 'b', 'c', 'a', 'd', 'e', 'f']) list = addSaved(list, query);
    expect(list).toEqual(['f', 'e', 'd', 'a', 'c']);
  });
});
