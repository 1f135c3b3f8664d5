/**
 * Turns untrusted query text into plain words, and plain words into FTS5 syntax.
 * User text never reaches FTS5 as syntax: we split it into words ourselves and every word is
 * emitted as a double-quoted string, so `"`, `*`, `^`, `:`, `-`, NEAR, AND/OR/NOT and
 * parentheses are all just characters that fall between words.
 */

/** More words than this add nothing to a site search and only cost time. */
export const maxQueryTerms = 32;
/** Longer "words" are noise (base64, hashes); cut so one term cannot be 10 000 chars. */
export const maxTermLength = 64;
/** A last word shorter than this is matched exactly: a 1-letter prefix matches nearly everything. */
export const minPrefixLength = 2;

/**
 * The same folding as `unicode61 remove_diacritics 2`: decompose, drop combining marks,
 * lower-case. NFKD also folds ligatures and full-width forms the way a visitor expects.
 */
export function foldText(text: string): string {
  return text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
}

// unicode61's default token characters: letters, numbers and private-use code points.
const wordPattern = /[\p{L}\p{N}\p{Co}]+/gu;
const endsInWordCharacter = /[\p{L}\p{N}\p{Co}\p{M}]$/u;

/** The folded words of a text, in order, with duplicates; used for the prefix vocabulary too. */
export function foldedWords(text: string): string[] {
  return foldText(text).match(wordPattern) ?? [];
}

export interface QueryTerms {
  /** Distinct folded words in query order, at most `maxQueryTerms`. */
  terms: string[];
  /** Whether the last term is still being typed and should also match as a prefix. */
  lastIsPrefix: boolean;
}

export function parseQueryText(text: string): QueryTerms {
  const terms: string[] = [];
  const seen = new Set<string>();
  // Scan a bounded slice: 32 words never need more, and a 1 MB string must stay cheap.
  const scanned = text.slice(0, maxQueryTerms * (maxTermLength + 8));
  for (const word of foldedWords(scanned)) {
    const term = [...word].slice(0, maxTermLength).join('');
    if (seen.has(term)) continue;
    seen.add(term);
    terms.push(term);
    if (terms.length === maxQueryTerms) break;
  }
  const last = terms.at(-1);
  // A trailing space or punctuation means the visitor finished the word.
  const lastIsPrefix =
    last !== undefined &&
    [...last].length >= minPrefixLength &&
    endsInWordCharacter.test(scanned) &&
    terms.length < maxQueryTerms;
  return { terms, lastIsPrefix };
}

/** An FTS5 string literal: the only way user text enters a MATCH expression. */
export function quoteFtsString(text: string): string {
  return `"${text.replaceAll('"', '""')}"`;
}

export type TermJoin = 'AND' | 'OR';

export interface MatchExpressionInput extends QueryTerms {
  /** Whole words from the corpus that start with the last term (see prefix-vocabulary.ts). */
  prefixExpansions: string[];
  /** Near words that stand in for a query word the corpus lacks (see typo-correction.ts). */
  corrections?: ReadonlyMap<string, string[]>;
  join: TermJoin;
}

/**
 * The term part of a MATCH expression. The last word, when still being typed, matches as
 * itself (stemmed), as a prefix of stems, and as any listed whole word starting with it:
 * the stemmed index stores "run" for "running", so the prefix "runni" alone would miss it.
 */
export function termsExpression(input: MatchExpressionInput): string {
  return termGroups(input).join(` ${input.join} `);
}

/**
 * MATCH expressions for sections with a query word in the document title, then in the section
 * heading: the columns with the highest bm25 weights. With `anchor` (the rarest whole query word)
 * only that word is looked for: its doclist is short, where a column filter over every word (or
 * an AND with the whole query) decodes the positions of every common-word row. The sections found
 * may not match the whole query; the ranking query drops those.
 */
export function titleColumnsExpressions(input: MatchExpressionInput, anchor?: string): string[] {
  const titled = anchor === undefined ? termGroups(input).join(' OR ') : quoteFtsString(anchor);
  return ['doc_title', 'section_title'].map((column) => `{${column}} : (${titled})`);
}

function termGroups(input: MatchExpressionInput): string[] {
  const lastIndex = input.terms.length - 1;
  return input.terms.map((term, index) => {
    const alternatives = [quoteFtsString(term)];
    if (input.lastIsPrefix && index === lastIndex) {
      alternatives.push(`${quoteFtsString(term)}*`);
      for (const word of input.prefixExpansions) alternatives.push(quoteFtsString(word));
    }
    for (const word of input.corrections?.get(term) ?? []) alternatives.push(quoteFtsString(word));
    return alternatives.length === 1 ? (alternatives[0] ?? '') : `(${alternatives.join(' OR ')})`;
  });
}
