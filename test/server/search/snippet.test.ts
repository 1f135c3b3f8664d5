import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ContextConfig } from '../../../server/search/search-types.ts';
import {
  buildSnippet,
  matchEndMarker as E,
  maxCandidates,
  maxSnippetChars,
  matchStartMarker as S,
  snippetWork,
} from '../../../server/search/snippet.ts';
import { corpusA, noContext, openTempEngine, request, type TempEngine } from './search-fixtures.ts';

const tags = { startTag: '<b>', endTag: '</b>' };
const chars = (charsBefore: number, charsAfter: number): ContextConfig => ({
  ...noContext,
  ...tags,
  charsBefore,
  charsAfter,
});
const sentences = (sentencesBefore: number, sentencesAfter: number): ContextConfig => ({
  ...noContext,
  ...tags,
  sentencesBefore,
  sentencesAfter,
});

describe('buildSnippet', () => {
  const text = `One two three. Four five ${S}six${E} seven eight. Nine ten eleven. Twelve.`;

  it('cuts a chars window at word boundaries', () => {
    expect(buildSnippet(text, chars(7, 8))).toBe('five <b>six</b> seven');
    expect(buildSnippet(text, chars(10, 14))).toBe('Four five <b>six</b> seven eight.');
  });

  it('lets sentences win over chars', () => {
    expect(buildSnippet(text, { ...sentences(1, 1), charsBefore: 3, charsAfter: 3 })).toBe(
      'One two three. Four five <b>six</b> seven eight. Nine ten eleven.',
    );
    expect(buildSnippet(text, sentences(0, 2))).toBe(
      'Four five <b>six</b> seven eight. Nine ten eleven. Twelve.',
    );
  });

  it('returns the matching sentence when no context is asked for', () => {
    expect(buildSnippet(text, { ...noContext, ...tags })).toBe('Four five <b>six</b> seven eight.');
  });

  it('returns a short section whole', () => {
    expect(buildSnippet(`a ${S}b${E} c`, chars(100, 100))).toBe('a <b>b</b> c');
  });

  it('starts at the section start when nothing matched', () => {
    expect(buildSnippet('Alpha beta gamma delta epsilon', chars(5, 6))).toBe('Alpha beta');
    expect(buildSnippet('First one. Second one. Third.', sentences(0, 1))).toBe(
      'First one. Second one.',
    );
  });

  it('prefers the window holding the most distinct matched words', () => {
    const marked = `${S}cat${E} alone here. Later a ${S}cat${E} and a ${S}dog${E} together.`;
    expect(buildSnippet(marked, chars(8, 12))).toBe('Later a <b>cat</b> and a <b>dog</b>');
    expect(buildSnippet(marked, sentences(0, 0))).toBe(
      'Later a <b>cat</b> and a <b>dog</b> together.',
    );
  });

  it('adds no tags by default and does no HTML escaping', () => {
    const untagged = { ...noContext, charsBefore: 50, charsAfter: 50 };
    expect(buildSnippet(`<i>${S}x${E}</i> & y`, untagged)).toBe('<i>x</i> & y');
  });
});

describe('snippets from the engine', () => {
  let temp: TempEngine;
  beforeAll(() => {
    temp = openTempEngine();
    temp.engine.indexDocuments(corpusA, [
      {
        documentId: 'd',
        metadata: {},
        sections: [
          {
            text: 'Intro text. The Café was running late. Another sentence follows here.',
            metadata: {},
          },
        ],
      },
    ]);
  });
  afterAll(() => temp.close());

  it('tags stem, prefix and diacritic-folded matches', () => {
    const hit = (query: string) =>
      temp.engine.search(request(query, [corpusA], { context: sentences(0, 0) })).hits[0]?.text;
    expect(hit('cafe runs')).toBe('The <b>Café</b> was <b>running</b> late.');
    expect(hit('cafe runni')).toBe('The <b>Café</b> was <b>running</b> late.');
    expect(hit('anoth')).toBe('<b>Another</b> sentence follows here.');
  });

  it('uses chars windows too', () => {
    const { hits } = temp.engine.search(request('late', [corpusA], { context: chars(12, 10) }));
    expect(hits[0]?.text).toBe('was running <b>late</b>. Another');
  });
});

describe('snippet work is bounded', () => {
  const context = { ...chars(80, 120) };
  const markedRepeat = (count: number) => `${S}the${E} cat sat. `.repeat(count);

  it('reads no further than a window around the first candidates can reach', () => {
    const small = buildSnippet(markedRepeat(2_000), context);
    const smallWork = { ...snippetWork };
    const huge = buildSnippet(markedRepeat(40_000), context);
    expect(huge).toBe(small);
    // The same characters and matches read, whether the section is 30 KB or 600 KB.
    expect(snippetWork).toEqual(smallWork);
    expect(snippetWork.charactersRead).toBeLessThan(3 * maxSnippetChars + maxCandidates * 20);
    expect(snippetWork.matchesScored).toBeLessThan(maxCandidates * 20);
  });

  it('caps the snippet length whatever the context asked for', () => {
    const sentence = `${'word '.repeat(5_000)}${S}match${E} ${'word '.repeat(5_000)}.`;
    const snippet = buildSnippet(sentence, { ...sentences(20, 20) });
    expect(snippet.length).toBeLessThanOrEqual(
      maxSnippetChars + tags.startTag.length + tags.endTag.length,
    );
    expect(snippet).toContain('<b>match</b>');
  });

  it('is cheap without any match or sentence end in a long text', () => {
    buildSnippet('x'.repeat(1_000_000), sentences(2, 2));
    expect(snippetWork.matchesRead).toBe(0);
  });
});
