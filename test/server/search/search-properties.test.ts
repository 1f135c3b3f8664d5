import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseMetadataFilter } from '../../../server/search/metadata-filter.ts';
import { FilterSyntaxError } from '../../../server/search/search-types.ts';
import { corpusA, openTempEngine, request, type TempEngine } from './search-fixtures.ts';

let temp: TempEngine;
beforeAll(() => {
  temp = openTempEngine();
  temp.engine.indexDocuments(corpusA, [
    {
      documentId: 'p',
      title: 'Property page',
      metadata: { lang: 'en', year: 2024 },
      sections: [{ text: 'Quotes " and stars * and NEAR(a b) and café', metadata: { n: 1 } }],
    },
  ]);
});
afterAll(() => temp.close());

const hostileQueries = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 80 }),
  fc.string({ unit: 'binary', maxLength: 80 }),
  fc
    .array(
      fc.constantFrom(
        '"',
        '*',
        '^',
        ':',
        '-',
        'NEAR',
        'AND',
        'OR',
        'NOT',
        '(',
        ')',
        '🙂',
        'café',
        '{',
        '}',
        ' ',
      ),
    )
    .map((parts) => parts.join('')),
);

describe('properties', () => {
  it('any query text searches without throwing', () => {
    fc.assert(
      fc.property(hostileQueries, (query) => {
        const result = temp.engine.search(request(query, [corpusA]));
        expect(Array.isArray(result.hits)).toBe(true);
      }),
      { numRuns: 400 },
    );
  });

  it('a 10 000-character query is just words', () => {
    expect(() => temp.engine.search(request('a"b*'.repeat(2500), [corpusA]))).not.toThrow();
    expect(() => temp.engine.search(request('x'.repeat(10_000), [corpusA]))).not.toThrow();
  });

  const filterTokens = fc.constantFrom(
    'doc.lang',
    'part.n',
    'doc.year',
    'doc.x.y',
    '=',
    '!=',
    '<',
    '<=',
    '>',
    '>=',
    'IN',
    'is',
    'not',
    'NULL',
    'and',
    'OR',
    '(',
    ')',
    ',',
    "'en'",
    '"de"',
    "'it''s'",
    '42',
    '-1.5',
    'true',
    'false',
    "'",
    '#',
    'lang',
    ' ',
  );
  const filters = fc.oneof(
    fc.string({ maxLength: 40 }),
    fc.array(filterTokens, { maxLength: 14 }).map((tokens) => tokens.join(' ')),
  );

  it('any filter parses or throws FilterSyntaxError, and parsed filters run in SQLite', () => {
    let parsed = 0;
    fc.assert(
      fc.property(filters, (metadataFilter) => {
        try {
          parseMetadataFilter(metadataFilter);
        } catch (error) {
          expect(error).toBeInstanceOf(FilterSyntaxError);
          return;
        }
        parsed += 1;
        temp.engine.search(request('page', [{ ...corpusA, metadataFilter }]));
      }),
      { numRuns: 600 },
    );
    // The generator must actually exercise the SQL path.
    expect(parsed).toBeGreaterThan(10);
  });
});
