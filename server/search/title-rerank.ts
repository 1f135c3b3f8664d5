import type { Statement } from 'better-sqlite3';
import type { SqliteDatabase } from '../db/open-database.ts';
import type { RankedRow } from './candidate-ranking.ts';
import { foldedWords, type QueryTerms } from './query-text.ts';

/**
 * The second stage of ranking, on the top BM25 candidates only: how well the query names the
 * page and the section. Docs pages are named by what they document ("pickle — Python object
 * serialization", "CREATE INDEX", "5.1.3. List Comprehensions"), and a visitor types that name;
 * BM25 alone lets a page that merely mentions it often (a changelog, a neighbour page) win.
 *
 * For the document title and the section heading we take the name part (before the first
 * " — ", " – ", " | " or ": ", without leading section numbers) and score its overlap with the
 * query words: an exact (unstemmed) word counts 1, a word equal by stem 0.8, and the overlap is
 * a Jaccard share, so "pickle" names "pickle — …" fully but "pickletools — …" not at all, and
 * "subprocess run" names "subprocess — …" by half. The final score adds these to the BM25 score
 * normalised by the best candidate's.
 */

/** BM25 candidates reranked: past these, the BM25 order stands. */
export const rerankedCandidates = 50;
/** Weights of the name overlaps, against a normalised BM25 of at most 1. */
const documentNameWeight = 0.6;
const headingNameWeight = 0.4;
const stemOnlyMatch = 0.8;
const nameSeparator = /\s[—–|]\s|:\s|\s-\s/u;
const numbering = /^\p{N}+$/u;
const nonAscii = /[^\p{ASCII}]/u;
const asciiWord = /[a-z0-9]+/g;

/** Titles analysed and kept (then forgotten all at once): a page's title repeats in each section. */
const cachedNames = 50_000;

interface NameWords {
  /** The name's words, and their stems at the same positions (a few words: arrays beat sets). */
  words: string[];
  stems: string[];
}

/** A section's document title and heading, as the title stage reads them. */
export interface SectionTitles {
  doc_title: string;
  section_title: string;
}

export type TitleReader = (row: RankedRow) => SectionTitles | undefined;

export interface RerankedRow {
  id: number;
  /** 0..1, higher better. */
  relevance: number;
}

export class TitleRerank {
  private readonly readTitles: Statement<[bigint], { doc_title: string; section_title: string }>;
  private readonly stemOf: (word: string) => string | null;
  // A pure function of the title text and the tokenizer: never stale. A plain map emptied when
  // full costs a lookup per title; an LRU's bookkeeping on 100 lookups a query cost more.
  private readonly names = new Map<string, NameWords>();

  constructor(db: SqliteDatabase, stemOf: (word: string) => string | null) {
    this.readTitles = db.prepare('SELECT doc_title, section_title FROM search_fts WHERE rowid = ?');
    this.stemOf = stemOf;
  }

  /**
   * `rows`: BM25 best first. Returns every row, the first `rerankedCandidates` reordered.
   * `titlesOf` reads titles from memory when the caller has them; by default, from FTS5.
   */
  rerank(rows: RankedRow[], query: QueryTerms, titlesOf?: TitleReader): RerankedRow[] {
    const read = titlesOf ?? ((row: RankedRow) => this.readTitles.get(BigInt(row.id)));
    const best = Math.max(1e-9, -(rows[0]?.rank ?? 0));
    const bm25 = (row: RankedRow) => Math.min(1, Math.max(0, -row.rank / best));
    const total = 1 + documentNameWeight + headingNameWeight;
    const words = query.terms.map((word) => ({ word, stem: this.stemOf(word) ?? word }));
    const typed = query.lastIsPrefix ? query.terms.at(-1) : undefined;
    const head = rows.slice(0, rerankedCandidates).map((row) => {
      const titles = read(row);
      const score =
        bm25(row) +
        documentNameWeight * this.nameOverlap(titles?.doc_title ?? '', words, typed) +
        headingNameWeight * this.nameOverlap(titles?.section_title ?? '', words, typed);
      return { id: row.id, relevance: score / total };
    });
    head.sort((a, b) => b.relevance - a.relevance || a.id - b.id);
    // The rest keep BM25 order, below the reranked head.
    const floor = head.at(-1)?.relevance ?? 1;
    const tail = rows.slice(rerankedCandidates).map((row) => ({
      id: row.id,
      relevance: Math.min(floor, bm25(row) / total),
    }));
    return [...head, ...tail];
  }

  private nameOverlap(
    title: string,
    query: Array<{ word: string; stem: string }>,
    typed: string | undefined,
  ): number {
    const { words: name, stems } = this.nameOf(title);
    if (name.length === 0 || query.length === 0) return 0;
    let matched = 0;
    for (const { word, stem } of query) {
      if (name.includes(word)) matched += 1;
      else if (stems.includes(stem)) matched += stemOnlyMatch;
      // The word being typed names the page when a name word starts with it.
      else if (word === typed && name.some((n) => n.startsWith(word))) matched += stemOnlyMatch;
    }
    const union = name.length + query.length - matched;
    return union <= 0 ? 0 : matched / union;
  }

  private nameOf(title: string): NameWords {
    let found = this.names.get(title);
    if (!found) {
      const words = nameWords(title);
      found = { words, stems: words.map((w) => this.stemOf(w) ?? w) };
      if (this.names.size >= cachedNames) this.names.clear();
      this.names.set(title, found);
    }
    return found;
  }
}

/** The folded words naming a title: before its first separator, without leading numbers. */
export function nameWords(title: string): string[] {
  const name = title.split(nameSeparator)[0] ?? '';
  // ASCII (most titles): folding is lower-casing, words are letters and digits.
  const words = nonAscii.test(name)
    ? foldedWords(name)
    : (name.toLowerCase().match(asciiWord) ?? []);
  let first = 0;
  while (first < words.length && numbering.test(words[first] ?? '')) first += 1;
  return [...new Set(words.slice(first))];
}
