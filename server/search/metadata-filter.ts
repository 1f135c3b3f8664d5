import { FilterSyntaxError } from './search-types.ts';

/**
 * Parses the subset of Vectara's metadata filter language we support into an AST:
 *   doc.lang = 'en' and (part.year >= 2020 or not doc.draft = true) and doc.tag IN ('a', "b")
 * Keywords are case-insensitive; strings are 'single' ('' escapes a quote) or "double" quoted.
 * Recursive descent with precedence not > and > or. Errors name the 0-based position.
 */

export type FilterValue = string | number | boolean;
export type ComparisonOperator = '=' | '!=' | '<' | '<=' | '>' | '>=';

export interface AttributeRef {
  level: 'doc' | 'part';
  /** The metadata key: letters, digits, `_` and dots. */
  name: string;
}

export type FilterNode =
  | { kind: 'and' | 'or'; left: FilterNode; right: FilterNode }
  | { kind: 'not'; operand: FilterNode }
  | { kind: 'compare'; attribute: AttributeRef; operator: ComparisonOperator; value: FilterValue }
  | { kind: 'in'; attribute: AttributeRef; values: FilterValue[]; negated: boolean }
  | { kind: 'isNull'; attribute: AttributeRef; negated: boolean };

// Bounds keep the generated SQL far below SQLite's expression-depth limit (1000) and the
// parser's recursion far below the JS stack: a filter is a few conditions, not a program.
export const maxFilterDepth = 32;
export const maxFilterConditions = 64;
export const maxInValues = 256;

type TokenKind = 'word' | 'string' | 'number' | 'operator' | '(' | ')' | ',' | 'end';

interface Token {
  kind: TokenKind;
  /** Source text for words/operators, the unquoted value for strings. */
  text: string;
  position: number;
}

const operators = ['<=', '>=', '!=', '<>', '=', '<', '>'] as const;
const wordStart = /[A-Za-z_]/;
const wordPart = /[A-Za-z0-9_.]/;
const numberPattern = /-?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?/y;

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const char = source.charAt(i);
    if (/\s/.test(char)) {
      i += 1;
      continue;
    }
    if (char === '(' || char === ')' || char === ',') {
      tokens.push({ kind: char, text: char, position: i });
      i += 1;
      continue;
    }
    if (char === "'" || char === '"') {
      const [text, next] = readString(source, i, char);
      tokens.push({ kind: 'string', text, position: i });
      i = next;
      continue;
    }
    numberPattern.lastIndex = i;
    const number = numberPattern.exec(source);
    if (number && (char === '-' || char === '.' || /\d/.test(char))) {
      tokens.push({ kind: 'number', text: number[0], position: i });
      i += number[0].length;
      continue;
    }
    const operator = operators.find((op) => source.startsWith(op, i));
    if (operator) {
      tokens.push({ kind: 'operator', text: operator === '<>' ? '!=' : operator, position: i });
      i += operator.length;
      continue;
    }
    if (wordStart.test(char)) {
      let end = i + 1;
      while (end < source.length && wordPart.test(source.charAt(end))) end += 1;
      tokens.push({ kind: 'word', text: source.slice(i, end), position: i });
      i = end;
      continue;
    }
    throw new FilterSyntaxError(`unexpected character ${JSON.stringify(char)}`, i);
  }
  tokens.push({ kind: 'end', text: '', position: source.length });
  return tokens;
}

/** Reads a quoted string starting at `start`; a doubled quote stands for one quote. */
function readString(source: string, start: number, quote: string): [string, number] {
  let text = '';
  let i = start + 1;
  while (i < source.length) {
    const char = source.charAt(i);
    if (char === quote) {
      if (source.charAt(i + 1) === quote) {
        text += quote;
        i += 2;
        continue;
      }
      return [text, i + 1];
    }
    text += char;
    i += 1;
  }
  throw new FilterSyntaxError('unterminated string starting', start);
}

class FilterParser {
  private readonly tokens: Token[];
  private index = 0;
  private depth = 0;
  private conditions = 0;

  constructor(source: string) {
    this.tokens = tokenize(source);
  }

  parse(): FilterNode {
    const node = this.parseOr();
    const token = this.peek();
    if (token.kind !== 'end') throw this.unexpected(token, 'expected and, or or the end');
    return node;
  }

  private parseOr(): FilterNode {
    let left = this.parseAnd();
    while (this.isKeyword(this.peek(), 'or')) {
      this.index += 1;
      left = { kind: 'or', left, right: this.parseAnd() };
    }
    return left;
  }

  private parseAnd(): FilterNode {
    let left = this.parseNot();
    while (this.isKeyword(this.peek(), 'and')) {
      this.index += 1;
      left = { kind: 'and', left, right: this.parseNot() };
    }
    return left;
  }

  private parseNot(): FilterNode {
    const token = this.peek();
    if (this.isKeyword(token, 'not')) {
      this.index += 1;
      return this.nested(token, () => ({ kind: 'not', operand: this.parseNot() }));
    }
    if (token.kind === '(') {
      this.index += 1;
      const node = this.nested(token, () => this.parseOr());
      this.expect(')', "expected ')'");
      return node;
    }
    return this.parseCondition();
  }

  private nested(token: Token, parse: () => FilterNode): FilterNode {
    this.depth += 1;
    if (this.depth > maxFilterDepth) {
      throw new FilterSyntaxError(
        `filter nested deeper than ${maxFilterDepth} levels`,
        token.position,
      );
    }
    const node = parse();
    this.depth -= 1;
    return node;
  }

  private parseCondition(): FilterNode {
    const token = this.peek();
    const attribute = this.parseAttribute(token);
    this.conditions += 1;
    if (this.conditions > maxFilterConditions) {
      throw new FilterSyntaxError(`more than ${maxFilterConditions} conditions`, token.position);
    }
    const next = this.peek();
    if (next.kind === 'operator') {
      this.index += 1;
      const value = this.parseValue(`expected a value after '${next.text}'`);
      return { kind: 'compare', attribute, operator: next.text as ComparisonOperator, value };
    }
    if (this.isKeyword(next, 'is')) {
      this.index += 1;
      const negated = this.isKeyword(this.peek(), 'not');
      if (negated) this.index += 1;
      const nullToken = this.peek();
      if (!this.isKeyword(nullToken, 'null')) {
        throw this.unexpected(nullToken, `expected NULL after '${negated ? 'IS NOT' : 'IS'}'`);
      }
      this.index += 1;
      return { kind: 'isNull', attribute, negated };
    }
    const negated = this.isKeyword(next, 'not');
    if (negated) this.index += 1;
    const inToken = this.peek();
    if (this.isKeyword(inToken, 'in')) {
      this.index += 1;
      return { kind: 'in', attribute, values: this.parseValueList(), negated };
    }
    if (negated) throw this.unexpected(inToken, "expected IN after 'NOT'");
    throw this.unexpected(next, `expected a comparison operator after '${token.text}'`);
  }

  private parseAttribute(token: Token): AttributeRef {
    const match = token.kind === 'word' ? /^(doc|part)\.([A-Za-z0-9_.]+)$/i.exec(token.text) : null;
    const level = match?.[1]?.toLowerCase();
    const name = match?.[2];
    if ((level !== 'doc' && level !== 'part') || name === undefined) {
      throw this.unexpected(token, 'expected an attribute like doc.name or part.name');
    }
    this.index += 1;
    return { level, name };
  }

  private parseValueList(): FilterValue[] {
    this.expect('(', "expected '(' after IN");
    const values = [this.parseValue('expected a value in the IN list')];
    while (this.peek().kind === ',') {
      this.index += 1;
      if (values.length === maxInValues) {
        throw new FilterSyntaxError(`more than ${maxInValues} IN values`, this.peek().position);
      }
      values.push(this.parseValue("expected a value after ','"));
    }
    this.expect(')', "expected ',' or ')' in the IN list");
    return values;
  }

  private parseValue(expectation: string): FilterValue {
    const token = this.peek();
    if (token.kind === 'string') {
      this.index += 1;
      return token.text;
    }
    if (token.kind === 'number') {
      const value = Number(token.text);
      if (!Number.isFinite(value)) {
        throw new FilterSyntaxError('number out of range', token.position);
      }
      this.index += 1;
      return value;
    }
    if (this.isKeyword(token, 'true') || this.isKeyword(token, 'false')) {
      this.index += 1;
      return token.text.toLowerCase() === 'true';
    }
    throw this.unexpected(token, expectation);
  }

  private expect(kind: TokenKind, expectation: string): void {
    const token = this.peek();
    if (token.kind !== kind) throw this.unexpected(token, expectation);
    this.index += 1;
  }

  private peek(): Token {
    // The token list always ends with an 'end' token and the parser never moves past it.
    return this.tokens[Math.min(this.index, this.tokens.length - 1)] as Token;
  }

  private isKeyword(token: Token, keyword: string): boolean {
    return token.kind === 'word' && token.text.toLowerCase() === keyword;
  }

  private unexpected(token: Token, expectation: string): FilterSyntaxError {
    const found = token.kind === 'end' ? 'the end of the filter' : `'${token.text}'`;
    return new FilterSyntaxError(`${expectation}, found ${found}`, token.position);
  }
}

/** Parses a filter; a blank filter means "no filter" (Vectara sends `""`) and yields null. */
export function parseMetadataFilter(source: string): FilterNode | null {
  if (source.trim() === '') return null;
  return new FilterParser(source).parse();
}
