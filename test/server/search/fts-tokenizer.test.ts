import { readFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { ftsTokenizer } from '../../../server/search/fts-layout.ts';
import { FtsTokenizer, splitRuns } from '../../../server/search/fts-tokenizer.ts';
import { StemProbe } from '../../../server/search/stem-probe.ts';
import { TokenHighlighter } from '../../../server/search/token-highlighter.ts';
import { nodeModules, readmePackages } from './search-fixtures.ts';

/** What FTS5 itself stores for a text: a real FTS5 table read back through fts5vocab. */
const reference = new Database(':memory:');
reference.exec(`
  CREATE VIRTUAL TABLE texts USING fts5(body, tokenize = '${ftsTokenizer}');
  CREATE VIRTUAL TABLE text_tokens USING fts5vocab(texts, 'instance');
`);
const insert = reference.prepare('INSERT INTO texts (rowid, body) VALUES (1, ?)');
const read = reference.prepare<[], { term: string; offset: number }>(
  'SELECT term, offset FROM text_tokens',
);
const clear = reference.prepare('DELETE FROM texts');
afterAll(() => reference.close());

function fts5Tokens(text: string): string[] {
  clear.run();
  insert.run(text);
  return read
    .all()
    .sort((a, b) => a.offset - b.offset)
    .map((row) => row.term);
}

const tokenizer = new FtsTokenizer(new StemProbe());

describe('FTS5 tokens computed outside FTS5', () => {
  it('splits runs at ASCII separators only', () => {
    expect(splitRuns('json.dumps(obj) — café_au-lait 42%')).toEqual([
      'json',
      'dumps',
      'obj',
      '—',
      'café',
      'au',
      'lait',
      '42',
    ]);
  });

  it.each([
    ['Running runners ran', ['run', 'runner', 'ran']],
    ['CRÈME brûlée', ['creme', 'brule']],
    ['foo—bar', ['foo', 'bar']],
    ['AB x', ['ab', 'x']],
    ['', []],
  ])('%j gives %j', (text, tokens) => {
    expect(tokenizer.tokenize(text)).toEqual(tokens);
    expect(fts5Tokens(text)).toEqual(tokens);
  });

  it('agrees with FTS5 on real READMEs', () => {
    for (const name of readmePackages.slice(0, 8)) {
      const folder = `${nodeModules}${name}/`;
      const file = ['README.md', 'Readme.md', 'readme.md']
        .map((n) => folder + n)
        .find((path) => {
          try {
            readFileSync(path);
            return true;
          } catch {
            return false;
          }
        });
      if (!file) continue;
      const text = readFileSync(file, 'utf8');
      expect(tokenizer.tokenize(text)).toEqual(fts5Tokens(text));
    }
  });

  it('agrees with FTS5 on any text: scripts, marks, emoji, long runs, lone surrogates', () => {
    const pieces = fc.constantFrom(
      'a',
      'Z',
      '9',
      ' ',
      '.',
      '_',
      '-',
      '\u0000',
      'é',
      'e\u0301',
      '\u0301',
      'ß',
      'İ',
      'ﬁ',
      '²',
      '\u00a0',
      '—',
      '字',
      'ひら',
      'ا',
      '🙂',
      '\ud800',
      'ing',
      'ation',
      'running',
      'x'.repeat(70),
      'é'.repeat(40),
    );
    const texts = fc.oneof(
      fc.array(pieces, { maxLength: 30 }).map((parts) => parts.join('')),
      fc.string({ unit: 'binary', maxLength: 60 }),
      fc.string({ unit: 'grapheme', maxLength: 60 }),
    );
    fc.assert(
      fc.property(texts, (text) => {
        expect(tokenizer.tokenize(text)).toEqual(fts5Tokens(text));
      }),
      { numRuns: 600 },
    );
  });
});

describe('highlighting without FTS5', () => {
  const marker = new TokenHighlighter(tokenizer);
  const highlightTable = new Database(':memory:');
  highlightTable.exec(`CREATE VIRTUAL TABLE page USING fts5(body, tokenize = '${ftsTokenizer}')`);
  const put = highlightTable.prepare('INSERT INTO page (rowid, body) VALUES (1, ?)');
  const mark = highlightTable.prepare<[string], string>(
    "SELECT highlight(page, 0, '[', ']') FROM page WHERE page MATCH ?",
  );
  const empty = highlightTable.prepare('DELETE FROM page');
  afterAll(() => highlightTable.close());

  /** FTS5's highlight() of `text` for single-token words and prefixes. */
  function fts5Highlight(text: string, words: string[], prefixes: string[]): string {
    empty.run();
    put.run(text);
    const phrases = [
      ...words.map((w) => `"${w.replaceAll('"', '""')}"`),
      ...prefixes.map((p) => `"${p.replaceAll('"', '""')}"*`),
    ];
    return mark.pluck().get(phrases.join(' OR ')) ?? text;
  }

  function jsHighlight(text: string, words: string[], prefixes: string[]): string {
    const terms = new Set(words.map((word) => tokenizer.tokenize(word)[0] ?? word));
    const stems = prefixes.map((prefix) => tokenizer.tokenize(prefix)[0] ?? prefix);
    return marker
      .mark(text, { terms, prefixes: stems })
      .replaceAll('\u0002', '[')
      .replaceAll('\u0003', ']');
  }

  it('marks what highlight() marks, stems, folding and prefixes included', () => {
    const text = 'Running runners ran: the Café’s crème brûlée, e\u0301te\u0301 — 字字 run-time';
    for (const [words, prefixes] of [
      [['run'], []],
      [['cafe', 'brulee'], []],
      [[], ['ru']],
      [['ete'], ['cr']],
    ] as Array<[string[], string[]]>) {
      expect(jsHighlight(text, words, prefixes)).toBe(fts5Highlight(text, words, prefixes));
    }
  });

  it('marks what highlight() marks on any text', () => {
    const pieces = fc.constantFrom(
      'run',
      'Runs',
      ' ',
      '.',
      'é',
      'e\u0301',
      '\u0301',
      '—',
      '字',
      'ß',
      '🙂',
      'ing',
      '\u00a0',
      'İ',
    );
    fc.assert(
      fc.property(
        fc.array(pieces, { maxLength: 20 }).map((parts) => parts.join('')),
        fc.subarray(['run', 'e', 'ss', 'ing']),
        fc.subarray(['ru', 'ss']),
        (text, words, prefixes) => {
          fc.pre(words.length + prefixes.length > 0);
          expect(jsHighlight(text, words, prefixes)).toBe(fts5Highlight(text, words, prefixes));
        },
      ),
      { numRuns: 400 },
    );
  });
});
