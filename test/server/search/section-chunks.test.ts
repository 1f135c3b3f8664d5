import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  chunkSectionText,
  maxSectionChars,
  minSectionChars,
} from '../../../server/search/section-chunks.ts';
import { corpusA, openTempEngine, request, type TempEngine } from './search-fixtures.ts';

const squeezed = (text: string) => text.replace(/\s+/g, '');

describe('chunkSectionText', () => {
  it('keeps a section within the limit as it is', () => {
    expect(chunkSectionText('  short text  ')).toEqual(['  short text  ']);
  });

  it('packs whole sentences up to the limit', () => {
    const sentence = 'The quick brown fox jumps over the lazy dog. '; // 45 chars
    const chunks = chunkSectionText(sentence.repeat(10), 100);
    expect(chunks).toHaveLength(5);
    for (const chunk of chunks) expect(chunk).toBe(sentence.repeat(2).trim());
  });

  it('prefers a paragraph break to a sentence end', () => {
    const text = `${'Alpha beta. '.repeat(6)}\nGamma delta. ${'Epsilon zeta. '.repeat(6)}`;
    const [first] = chunkSectionText(text, 100);
    expect(first).toBe('Alpha beta. '.repeat(6).trim());
  });

  it('cuts a sentence longer than the limit at a space, and a giant token at the limit', () => {
    const words = chunkSectionText('word '.repeat(100), 100);
    for (const chunk of words) expect(chunk).toMatch(/^(word ?)+$/);
    expect(chunkSectionText('x'.repeat(250), 100)).toEqual([
      'x'.repeat(100),
      'x'.repeat(100),
      'x'.repeat(50),
    ]);
  });

  it('never splits a surrogate pair', () => {
    const chunks = chunkSectionText(`${'x'.repeat(99)}${'😀'.repeat(60)}`, 100);
    // A lone surrogate would not survive encodeURIComponent (nor UTF-8).
    for (const chunk of chunks) expect(() => encodeURIComponent(chunk)).not.toThrow();
  });

  it('loses no text and never exceeds the limit', () => {
    const piece = fc.constantFrom('word', 'Sentence.', ' ', '\n', 'x'.repeat(150), '😀', '. ');
    fc.assert(
      fc.property(
        fc.array(piece, { maxLength: 300 }),
        fc.integer({ min: 50, max: 400 }),
        (pieces, limit) => {
          const text = pieces.join('');
          const chunks = chunkSectionText(text, limit);
          const bound = Math.max(minSectionChars, limit);
          if (text.length > bound)
            for (const chunk of chunks) expect(chunk.length).toBeLessThanOrEqual(bound);
          expect(squeezed(chunks.join(''))).toBe(squeezed(text));
        },
      ),
    );
  });
});

describe('long sections in the engine', () => {
  let temp: TempEngine;
  beforeEach(() => {
    temp = openTempEngine();
  });
  afterEach(() => temp.close());

  it('stores a long section as several, each with the heading and metadata of the whole', () => {
    const filler = 'Plain filler sentence about nothing. '.repeat(400); // ~15 KB
    const [outcome] = temp.engine.indexDocuments(corpusA, [
      {
        documentId: 'long',
        title: 'Guide',
        metadata: {},
        sections: [
          {
            title: 'Setup',
            text: `Needle first. ${filler}Haystack last.`,
            metadata: { anchor: 'setup' },
          },
        ],
      },
    ]);
    expect(outcome?.sections).toBeGreaterThanOrEqual(Math.ceil(filler.length / maxSectionChars));
    for (const word of ['needle', 'haystack']) {
      const { hits } = temp.engine.search(request(word, [corpusA]));
      expect(hits).toHaveLength(1);
      expect(hits[0]?.metadata).toEqual({ anchor: 'setup', title: 'Setup' });
      expect(hits[0]?.text.length).toBeLessThanOrEqual(maxSectionChars);
    }
  });

  it('takes a smaller chunk size per document (Vectara max_chars_per_chunk)', () => {
    const [outcome] = temp.engine.indexDocuments(corpusA, [
      {
        documentId: 'd',
        metadata: {},
        maxCharsPerChunk: 200,
        sections: [{ text: 'One short sentence here. '.repeat(40), metadata: {} }],
      },
    ]);
    expect(outcome?.sections).toBe(5);
  });
});
