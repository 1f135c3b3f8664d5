import type { AttributeRef, FilterNode, FilterValue } from './metadata-filter.ts';

/**
 * Compiles a parsed metadata filter to a JavaScript test with exactly the meaning of its SQL
 * form (metadata-filter-sql.ts), for the in-memory index, which tests candidates without a
 * query per row. The SQL reads `json_extract(metadata, '$."name"')` and compares it with a bound
 * value, so this follows SQLite's rules: JSON true/false are 1/0, a missing or null attribute is
 * NULL and makes a comparison false (the SQL coalesces to 0), numbers sort before text, and text
 * compares by code point (UTF-8 byte order). A property test runs both on random filters.
 */

/** A SQL value as json_extract and the bound parameters give it. */
type SqlValue = number | string | null;

/** The metadata objects of a candidate, read only when the filter needs them. */
export interface FilterSubject {
  doc(): Readonly<Record<string, unknown>>;
  part(): Readonly<Record<string, unknown>>;
}

export type MetadataPredicate = (subject: FilterSubject) => boolean;

export interface CompiledPredicate {
  test: MetadataPredicate;
  /** Whether the filter reads section (`part.`) metadata at all. */
  readsParts: boolean;
  /** Equal for equal filters (however they were written): a key to remember verdicts by. */
  key: string;
}

export function compileMetadataPredicate(node: FilterNode): CompiledPredicate {
  let readsParts = false;
  const compile = (current: FilterNode): MetadataPredicate => {
    switch (current.kind) {
      case 'and': {
        const left = compile(current.left);
        const right = compile(current.right);
        return (subject) => left(subject) && right(subject);
      }
      case 'or': {
        const left = compile(current.left);
        const right = compile(current.right);
        return (subject) => left(subject) || right(subject);
      }
      case 'not': {
        const operand = compile(current.operand);
        return (subject) => !operand(subject);
      }
      case 'compare': {
        readsParts ||= current.attribute.level === 'part';
        const read = attributeReader(current.attribute);
        const value = sqlValue(current.value);
        const { operator } = current;
        return (subject) => {
          const order = compareSql(read(subject), value);
          if (order === null) return false;
          switch (operator) {
            case '=':
              return order === 0;
            case '!=':
              return order !== 0;
            case '<':
              return order < 0;
            case '<=':
              return order <= 0;
            case '>':
              return order > 0;
            case '>=':
              return order >= 0;
          }
        };
      }
      case 'in': {
        readsParts ||= current.attribute.level === 'part';
        const read = attributeReader(current.attribute);
        const values = current.values.map(sqlValue);
        const { negated } = current;
        return (subject) => {
          const found = read(subject);
          if (found === null) return false;
          const member = values.some((value) => compareSql(found, value) === 0);
          return negated ? !member : member;
        };
      }
      case 'isNull': {
        readsParts ||= current.attribute.level === 'part';
        const read = attributeReader(current.attribute);
        const { negated } = current;
        return (subject) => (read(subject) === null) !== negated;
      }
    }
  };
  const test = compile(node);
  return { test, readsParts, key: JSON.stringify(node) };
}

function attributeReader(attribute: AttributeRef): (subject: FilterSubject) => SqlValue {
  const { name } = attribute;
  const level = attribute.level;
  return (subject) => {
    const metadata = level === 'doc' ? subject.doc() : subject.part();
    return Object.hasOwn(metadata, name) ? jsonToSql(metadata[name]) : null;
  };
}

/** What json_extract returns for a JSON value. */
function jsonToSql(value: unknown): SqlValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'number' || typeof value === 'string') return value;
  return JSON.stringify(value);
}

/** The filter value as the SQL binds it (booleans as 1/0; strings as SQLite stores UTF-8). */
function sqlValue(value: FilterValue): SqlValue {
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'string') return value.replace(loneSurrogate, '\uFFFD');
  return value;
}

/** better-sqlite3 binds a lone surrogate as U+FFFD, as UTF-8 cannot hold it. */
const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** SQLite's comparison of two values without affinity: null when either is NULL. */
function compareSql(left: SqlValue, right: SqlValue): number | null {
  if (left === null || right === null) return null;
  if (typeof left === 'number') {
    if (typeof right !== 'number') return -1;
    return left < right ? -1 : left > right ? 1 : 0;
  }
  if (typeof right === 'number') return 1;
  return compareCodePoints(left, right);
}

/** Code point order (UTF-8 byte order), which UTF-16 code unit order is not above U+FFFF. */
function compareCodePoints(left: string, right: string): number {
  if (left === right) return 0;
  const length = Math.min(left.length, right.length);
  for (let i = 0; i < length; i += 1) {
    const a = left.charCodeAt(i);
    const b = right.charCodeAt(i);
    if (a !== b) return codePointRank(a) - codePointRank(b);
  }
  return left.length - right.length;
}

/** Moves surrogates (U+D800–DFFF) above U+E000–FFFF, so unit order becomes code point order. */
function codePointRank(unit: number): number {
  if (unit >= 0xd800 && unit <= 0xdfff) return unit + 0x2000;
  if (unit >= 0xe000) return unit - 0x800;
  return unit;
}
