import type { StemProbe } from './stem-probe.ts';

/**
 * The tokens FTS5 stores for a text (`porter unicode61 remove_diacritics 2`), computed without
 * writing the text into FTS5: the in-memory index (memory-index.ts) needs each section's tokens.
 *
 * Exact by construction rather than by re-implementing unicode61 and porter: every ASCII
 * character other than a letter or digit is a separator for unicode61 (no `tokenchars` option),
 * so no token spans one, and the tokens of a text are the tokens of its runs between them. Each
 * distinct run ("Install", "café", "foo—bar") is asked of FTS5 once through the stem probe and
 * remembered; the rest is a Map lookup per run. Runs too long for porter to stem are lowered
 * directly (ASCII) or probed without being remembered, so the memo stays small.
 */

/** Porter leaves tokens shorter than 3 or longer than 64 bytes as they are (fts5_porter). */
const porterMinBytes = 3;
const porterMaxBytes = 64;
/** Runs remembered at most; past this the memo starts over (a few MB at most). */
const maxRememberedRuns = 100_000;

/** 1 for ASCII letters and digits: the only ASCII token characters. */
const asciiTokenCharacter = new Uint8Array(128);
for (let code = 0; code < 128; code += 1) {
  const digit = code >= 48 && code <= 57;
  const upper = code >= 65 && code <= 90;
  const lower = code >= 97 && code <= 122;
  asciiTokenCharacter[code] = digit || upper || lower ? 1 : 0;
}

/** A run's tokens: one string (nearly always), or a list (a run FTS5 splits, or drops). */
type RunTokens = string | readonly string[];

/** One token of a text: where it is (UTF-16 offsets) and the term FTS5 stores for it. */
export interface TokenSpan {
  start: number;
  end: number;
  term: string;
}

/** How unicode61 treats a character: it starts or continues a token, only continues one, or ends it. */
type CharacterClass = 'separator' | 'token' | 'diacritic';
/** Characters classified and remembered at most. */
const maxRememberedCharacters = 65_536;

export class FtsTokenizer {
  private readonly probe: StemProbe;
  private readonly runs = new Map<string, RunTokens>();
  private readonly characters = new Map<number, CharacterClass>();

  constructor(probe: StemProbe) {
    this.probe = probe;
  }

  /** The text's tokens in order, as FTS5 would store them. */
  tokenize(text: string): string[] {
    const pieces = splitRuns(text);
    const resolved: Array<RunTokens | undefined> = new Array(pieces.length);
    const unknown = new Set<string>();
    for (let i = 0; i < pieces.length; i += 1) {
      const piece = pieces[i] ?? '';
      const known = this.known(piece);
      if (known === undefined) unknown.add(piece);
      resolved[i] = known;
    }
    if (unknown.size > 0) {
      const learned = this.learn([...unknown]);
      for (let i = 0; i < pieces.length; i += 1) {
        if (resolved[i] === undefined) resolved[i] = learned.get(pieces[i] ?? '');
      }
    }
    const tokens: string[] = [];
    for (const found of resolved) {
      if (typeof found === 'string') tokens.push(found);
      else if (found) tokens.push(...found);
    }
    return tokens;
  }

  /**
   * Where FTS5's tokens are in the text, and their terms: what highlight() marks. unicode61
   * classifies each code point on its own (a token starts at a token character and runs through
   * token characters and diacritics), so each non-ASCII character is asked of FTS5 once.
   * `startsWanted`: for a token starting with an ASCII character, whether a term starting with
   * it (lower-cased: neither folding nor porter changes an ASCII first letter) is of interest;
   * the others' terms are not looked up ('' instead).
   */
  spans(text: string, startsWanted?: (asciiCode: number) => boolean): TokenSpan[] {
    const spans: Array<{ start: number; end: number }> = [];
    let start = -1;
    let end = -1;
    for (let i = 0; i < text.length; ) {
      const code = text.codePointAt(i) ?? 0;
      const width = code > 0xffff ? 2 : 1;
      const kind =
        code < 128
          ? asciiTokenCharacter[code] === 1
            ? 'token'
            : 'separator'
          : this.classOf(code, text.slice(i, i + width));
      if (kind === 'token' || (kind === 'diacritic' && start >= 0)) {
        if (start < 0) start = i;
        end = i + width;
      } else if (start >= 0) {
        spans.push({ start, end });
        start = -1;
      }
      i += width;
    }
    if (start >= 0) spans.push({ start, end });
    return spans.map(({ start, end }) => {
      const first = text.charCodeAt(start);
      const wanted = first >= 128 || startsWanted === undefined || startsWanted(first | 0x20);
      return { start, end, term: wanted ? this.termOf(text.slice(start, end)) : '' };
    });
  }

  /** The term of one token's text (as `spans` cuts it): one lookup when seen before. */
  private termOf(token: string): string {
    const known = this.known(token);
    const found = known ?? this.learn([token]).get(token);
    return typeof found === 'string' ? found : (found?.[0] ?? '');
  }

  private classOf(code: number, character: string): CharacterClass {
    const known = this.characters.get(code);
    if (known !== undefined) return known;
    // Between two letters: one token if it joins them (token character or diacritic); alone:
    // a token only if it can start one.
    const [between = [], alone = []] = this.probe.tokens([`a${character}a`, character]);
    const kind = between.length !== 1 ? 'separator' : alone.length === 1 ? 'token' : 'diacritic';
    if (this.characters.size >= maxRememberedCharacters) this.characters.clear();
    this.characters.set(code, kind);
    return kind;
  }

  private known(run: string): RunTokens | undefined {
    const short = run.length < porterMinBytes || run.length > porterMaxBytes;
    if (short && isAscii(run)) return run.toLowerCase();
    return this.runs.get(run);
  }

  private learn(unknown: string[]): Map<string, RunTokens> {
    const tokens = this.probe.tokens(unknown);
    const learned = new Map<string, RunTokens>();
    if (this.runs.size + unknown.length > maxRememberedRuns) this.runs.clear();
    unknown.forEach((run, index) => {
      const found = tokens[index] ?? [];
      const value: RunTokens = found.length === 1 ? (found[0] ?? '') : found;
      learned.set(run, value);
      // A long non-ASCII run would hold memory for a token seen once.
      if (run.length <= porterMaxBytes) this.runs.set(run, value);
    });
    return learned;
  }
}

/** The runs of the text between ASCII separators (non-ASCII characters stay in runs). */
export function splitRuns(text: string): string[] {
  const runs: string[] = [];
  let start = -1;
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    const inRun = code >= 128 || asciiTokenCharacter[code] === 1;
    if (inRun) {
      if (start < 0) start = i;
    } else if (start >= 0) {
      runs.push(text.slice(start, i));
      start = -1;
    }
  }
  if (start >= 0) runs.push(text.slice(start));
  return runs;
}

function isAscii(run: string): boolean {
  for (let i = 0; i < run.length; i += 1) if (run.charCodeAt(i) >= 128) return false;
  return true;
}
