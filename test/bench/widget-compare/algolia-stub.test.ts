import { describe, expect, it } from 'vitest';
import { AlgoliaStub } from './algolia-stub.ts';

const stub = new AlgoliaStub([
  {
    url: '/docs/limiter/',
    title: 'Rate limiter',
    sections: [
      { heading: 'Stores', anchor: 'stores', text: 'Keep counts in <b>Redis</b> or in memory.' },
      { heading: undefined, anchor: undefined, text: 'Limits requests per window.' },
    ],
  },
  {
    url: '/docs/cache/',
    title: 'Cache',
    sections: [
      { heading: 'Limits', anchor: 'limits', text: 'The cache holds at most 50 entries.' },
    ],
  },
]);

interface Hit {
  url: string;
  type: string;
  hierarchy: Record<string, string | null>;
  _highlightResult: { content: { value: string | null; matchLevel: string } };
  _snippetResult: { content: { value: string | null } };
}

const search = (query: string, extra: Record<string, unknown> = {}) =>
  stub.search([{ indexName: 'docs', query, ...extra }]).results[0] as {
    hits: Hit[];
    nbHits: number;
  };

describe('the Algolia stub', () => {
  it('answers DocSearch records: every word must match, the last one as a prefix, titles first', () => {
    const { hits, nbHits } = search('limi');
    expect(nbHits).toBe(6);
    // Best attribute matched first (the page title is lvl0 and lvl1), then level, then position.
    expect(hits.map((hit) => [hit.type, hit.url])).toEqual([
      ['lvl1', '/docs/limiter/'],
      ['lvl2', '/docs/limiter/#stores'],
      ['content', '/docs/limiter/#stores'],
      ['content', '/docs/limiter/'],
      ['lvl2', '/docs/cache/#limits'],
      ['content', '/docs/cache/#limits'],
    ]);
    expect(search('cache limi').hits.map((hit) => hit.url)).toEqual([
      '/docs/cache/#limits',
      '/docs/cache/#limits',
    ]);
    expect(search('limi cache').nbHits).toBe(0);
    expect(search('').nbHits).toBe(0);
  });

  it('highlights with the tags asked for, escapes the text, and cuts snippets to the words asked for', () => {
    const [hit] = search('redis', {
      highlightPreTag: '<mark>',
      highlightPostTag: '</mark>',
      attributesToSnippet: ['content:3'],
      snippetEllipsisText: '…',
    }).hits;
    expect(hit?._highlightResult.content).toMatchObject({
      value: 'Keep counts in &#60;b&#62;<mark>Redis</mark>&#60;/b&#62; or in memory.',
      matchLevel: 'full',
    });
    expect(hit?._snippetResult.content.value).toBe(
      '…in &#60;b&#62;<mark>Redis</mark>&#60;/b&#62; or…',
    );
  });

  it('caps the hits a request may ask for', () => {
    expect(search('l', { hitsPerPage: 10_000 }).hits.length).toBeLessThanOrEqual(50);
  });
});
