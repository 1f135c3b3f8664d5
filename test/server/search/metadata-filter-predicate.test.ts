import Database from 'better-sqlite3';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import type { FilterNode, FilterValue } from '../../../server/search/metadata-filter.ts';
import { parseMetadataFilter } from '../../../server/search/metadata-filter.ts';
import { compileMetadataPredicate } from '../../../server/search/metadata-filter-predicate.ts';
import { compileMetadataFilter } from '../../../server/search/metadata-filter-sql.ts';

/** The SQL meaning of a filter, evaluated by SQLite on two metadata JSON texts. */
const sqlite = new Database(':memory:');
afterAll(() => sqlite.close());

function sqlVerdict(node: FilterNode, doc: string, part: string): boolean {
  const { sql, params } = compileMetadataFilter(node, { doc: 'm.doc', part: 'm.part' });
  const row = sqlite
    .prepare<unknown[], { ok: number }>(`SELECT (${sql}) AS ok FROM (SELECT ? AS doc, ? AS part) m`)
    .get(...params, doc, part);
  return row?.ok === 1;
}

function jsVerdict(node: FilterNode, doc: string, part: string): boolean {
  return compileMetadataPredicate(node).test({
    doc: () => JSON.parse(doc),
    part: () => JSON.parse(part),
  });
}

const names = ['lang', 'year', 'draft', 'a.b'];
const scalar = fc.oneof(
  fc.constantFrom('en', 'de', 'EN', '', 'é', 'e\u0301', '\u{1F642}', '\uFFFD', 'z', '10', 'true'),
  fc.string({ maxLength: 4 }),
  fc.integer({ min: -3, max: 3 }),
  fc.constantFrom(0, 1, 2.5, -0.5, 1e20, 2020),
  fc.boolean(),
);
const metadata = fc
  .dictionary(fc.constantFrom(...names), fc.oneof(scalar, fc.constant(null)), { maxKeys: 4 })
  .map((record) => JSON.stringify(record));
const value: fc.Arbitrary<FilterValue> = scalar;
const attribute = fc.record({
  level: fc.constantFrom('doc' as const, 'part' as const),
  name: fc.constantFrom(...names, 'missing'),
});
const { node } = fc.letrec<{ node: FilterNode }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.record({
      kind: fc.constant('compare' as const),
      attribute,
      operator: fc.constantFrom(
        '=' as const,
        '!=' as const,
        '<' as const,
        '<=' as const,
        '>' as const,
        '>=' as const,
      ),
      value,
    }),
    fc.record({
      kind: fc.constant('in' as const),
      attribute,
      values: fc.array(value, { minLength: 1, maxLength: 3 }),
      negated: fc.boolean(),
    }),
    fc.record({ kind: fc.constant('isNull' as const), attribute, negated: fc.boolean() }),
    fc.record({ kind: fc.constant('not' as const), operand: tie('node') }),
    fc.record({
      kind: fc.constantFrom('and' as const, 'or' as const),
      left: tie('node'),
      right: tie('node'),
    }),
  ),
}));

describe('metadata filters in JavaScript', () => {
  it('agree with their SQL form on any filter and metadata', () => {
    fc.assert(
      fc.property(node, metadata, metadata, (filter, doc, part) => {
        expect(jsVerdict(filter, doc, part)).toBe(sqlVerdict(filter, doc, part));
      }),
      { numRuns: 2_000 },
    );
  });

  it.each([
    ["doc.lang = 'en'", '{"lang":"en"}', true],
    ["doc.lang = 'en'", '{"lang":"EN"}', false],
    ['doc.year > 10', '{"year":"9"}', true], // text sorts after every number
    ['doc.draft = true', '{"draft":1}', true], // JSON true is 1
    ['not doc.lang = 1', '{}', true], // a missing attribute compares false, not NULL
    ["doc.lang NOT IN ('de')", '{"lang":null}', false],
    ["doc.lang < '\u{1F642}'", '{"lang":"\uFFFD"}', true], // code point order, not UTF-16
  ])('%s on %s is %s', (filter, doc, expected) => {
    const parsed = parseMetadataFilter(filter);
    if (!parsed) throw new Error('no filter');
    expect(jsVerdict(parsed, doc, '{}')).toBe(expected);
    expect(sqlVerdict(parsed, doc, '{}')).toBe(expected);
  });

  it('says whether it reads section metadata', () => {
    const parts = (filter: string) => {
      const parsed = parseMetadataFilter(filter);
      return parsed ? compileMetadataPredicate(parsed).readsParts : undefined;
    };
    expect(parts("doc.lang = 'en'")).toBe(false);
    expect(parts("doc.lang = 'en' or part.kind IS NULL")).toBe(true);
  });
});
