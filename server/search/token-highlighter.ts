import type { FtsTokenizer } from './fts-tokenizer.ts';
import { matchEndMarker, matchStartMarker } from './snippet.ts';

/**
 * Marks the query's matches in section bodies for the snippets, in JavaScript, exactly where
 * FTS5's highlight() would put them: around each token whose term is a query term or starts
 * with a query prefix, token by token. The token spans come from FtsTokenizer, which cuts text
 * as unicode61 does. Reading the page's bodies and marking them costs the bodies, nothing more.
 */

export interface HighlightTerms {
  /** Terms (stems) marked where they occur. */
  terms: ReadonlySet<string>;
  /** Term prefixes: any term starting with one is marked. */
  prefixes: readonly string[];
}

export class TokenHighlighter {
  private readonly tokenizer: FtsTokenizer;

  constructor(tokenizer: FtsTokenizer) {
    this.tokenizer = tokenizer;
  }

  /** The text with every matching token wrapped in the snippet markers. */
  mark(text: string, query: HighlightTerms): string {
    // A token whose (ASCII) first letter starts no query term cannot match: its term is not read.
    const firsts = new Set<number>();
    for (const term of query.terms) firsts.add(term.charCodeAt(0));
    for (const prefix of query.prefixes) firsts.add(prefix.charCodeAt(0));
    const pieces: string[] = [];
    let cursor = 0;
    for (const span of this.tokenizer.spans(text, (code) => firsts.has(code))) {
      if (!matches(span.term, query)) continue;
      pieces.push(text.slice(cursor, span.start), matchStartMarker);
      pieces.push(text.slice(span.start, span.end), matchEndMarker);
      cursor = span.end;
    }
    pieces.push(text.slice(cursor));
    return pieces.join('');
  }
}

function matches(term: string, query: HighlightTerms): boolean {
  if (query.terms.has(term)) return true;
  for (const prefix of query.prefixes) if (term.startsWith(prefix)) return true;
  return false;
}
