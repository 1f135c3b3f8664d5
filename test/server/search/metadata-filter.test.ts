import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseMetadataFilter } from '../../../server/search/metadata-filter.ts';
import { FilterSyntaxError } from '../../../server/search/search-types.ts';
import { corpusA, corpusB, openTempEngine, request, type TempEngine } from './search-fixtures.ts';

let temp: TempEngine;

beforeAll(() => {
  temp = openTempEngine();
  const page = (
    id: string,
    docMeta: Record<string, string | number | boolean | null>,
    partMeta: Record<string, string | number | boolean | null> = {},
  ) => ({
    documentId: id,
    title: `Page ${id}`,
    metadata: docMeta,
    sections: [{ text: 'common searchable text', metadata: partMeta }],
  });
  temp.engine.indexDocuments(corpusA, [
    page('en2020', { lang: 'en', year: 2020, draft: false, 'a.b': 'dotted' }, { kind: 'intro' }),
    page('en2023', { lang: 'en', year: 2023, draft: true }, { kind: 'body' }),
    page('de2021', { lang: 'de', year: 2021, draft: false }, { kind: 'body' }),
    page('fr', { lang: "fr'x", year: null }),
  ]);
  temp.engine.indexDocuments(corpusB, [page('other', { lang: 'en', year: 1999 })]);
});
afterAll(() => temp.close());

const ids = (metadataFilter: string) =>
  temp.engine
    .search(request('common', [{ ...corpusA, metadataFilter }]))
    .hits.map((hit) => hit.documentId)
    .sort();

describe('metadata filters', () => {
  it.each([
    ["doc.lang = 'en'", ['en2020', 'en2023']],
    ["doc.lang != 'en'", ['de2021', 'fr']],
    ['doc.year < 2021', ['en2020']],
    ['doc.year <= 2021', ['de2021', 'en2020']],
    ['doc.year > 2021', ['en2023']],
    ['doc.year >= 2021', ['de2021', 'en2023']],
    ["doc.lang IN ('de', \"fr'x\")", ['de2021', 'fr']],
    ["doc.lang NOT IN ('de')", ['en2020', 'en2023', 'fr']],
    ['doc.year IS NULL', ['fr']],
    ['doc.missing IS NULL', ['de2021', 'en2020', 'en2023', 'fr']],
    ['doc.year IS NOT NULL', ['de2021', 'en2020', 'en2023']],
    ["doc.lang = 'fr''x'", ['fr']],
    ['doc.draft = true', ['en2023']],
    ['doc.draft = false', ['de2021', 'en2020']],
    ["part.kind = 'body'", ['de2021', 'en2023']],
    ["doc.a.b = 'dotted'", ['en2020']],
    ["doc.lang = 'en' and doc.year > 2020", ['en2023']],
    ["doc.lang = 'de' or doc.year = 2020", ['de2021', 'en2020']],
    ["not doc.lang = 'en'", ['de2021', 'fr']],
    // and binds tighter than or
    ["doc.lang = 'de' or doc.lang = 'en' and doc.year = 2023", ['de2021', 'en2023']],
    ["(doc.lang = 'de' or doc.lang = 'en') and doc.year >= 2021", ['de2021', 'en2023']],
    ["NOT (doc.lang = 'en' OR part.kind = 'body')", ['fr']],
    ['doc.year = -5', []],
    ["doc.title = 'Page fr'", ['fr']],
    ['   ', ['de2021', 'en2020', 'en2023', 'fr']],
  ])('%s', (filter, expected) => {
    expect(ids(filter)).toEqual(expected);
  });

  it('applies each corpus its own filter', () => {
    const result = temp.engine.search(
      request('common', [
        { ...corpusA, metadataFilter: "doc.lang = 'de'" },
        { ...corpusB, metadataFilter: 'doc.year < 2000' },
      ]),
    );
    expect(result.hits.map((hit) => hit.documentId).sort()).toEqual(['de2021', 'other']);
  });

  it('treats quotes and SQL in values as data', () => {
    expect(ids("doc.lang = 'x'' OR 1=1 --'")).toEqual([]);
  });
});

describe('filter syntax errors', () => {
  it.each([
    ['doc.lang = ', 11, "expected a value after '='"],
    ["doc.lang = 'en' and", 19, 'expected an attribute'],
    ["lang = 'en'", 0, 'expected an attribute like doc.name or part.name'],
    ["doc.lang 'en'", 9, 'expected a comparison operator'],
    ["doc.lang = 'en", 11, 'unterminated string'],
    ["(doc.lang = 'en'", 16, "expected ')'"],
    ["doc.lang = 'en')", 15, 'expected and, or or the end'],
    ['doc.x IN (1, )', 13, "expected a value after ','"],
    ['doc.x IS NOT 5', 13, 'expected NULL'],
    ['doc.x = 1 # 2', 10, 'unexpected character'],
    ['doc.x = 1e999', 8, 'number out of range'],
  ])('%s → position %i', (filter, position, message) => {
    try {
      parseMetadataFilter(filter);
      expect.unreachable('should have thrown');
    } catch (error) {
      expect(error).toBeInstanceOf(FilterSyntaxError);
      expect((error as FilterSyntaxError).position).toBe(position);
      expect((error as FilterSyntaxError).message).toContain(message);
      expect((error as FilterSyntaxError).message).toContain(`at position ${position}`);
    }
  });

  it('throws FilterSyntaxError from search, before searching', () => {
    expect(() =>
      temp.engine.search(request('common', [{ ...corpusA, metadataFilter: 'doc.x = ' }])),
    ).toThrow(FilterSyntaxError);
  });

  it('bounds nesting and size', () => {
    expect(() => parseMetadataFilter(`${'('.repeat(5000)}doc.x = 1${')'.repeat(5000)}`)).toThrow(
      FilterSyntaxError,
    );
    expect(() => parseMetadataFilter(Array(500).fill('doc.x = 1').join(' or '))).toThrow(
      FilterSyntaxError,
    );
  });
});
