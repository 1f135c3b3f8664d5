import type { ContextConfig } from './search-types.ts';

/**
 * Cuts the snippet shown for a hit out of its section text. The engine asks FTS5's highlight()
 * to wrap matched tokens in two control characters, so matching here is exactly FTS5's:
 * stems, prefixes and diacritic folding included. We then choose the window and swap the
 * markers for the caller's tags. No HTML escaping: the tags are the caller's and the widget
 * renders text nodes.
 */

/** Marker characters; the engine strips them from indexed text so they cannot occur there. */
export const matchStartMarker = '\u0002';
export const matchEndMarker = '\u0003';

/** The snippet markers must not occur in stored text: the engine cleans text with this. */
export const withoutMarkers = (text: string): string =>
  text.replaceAll(matchStartMarker, ' ').replaceAll(matchEndMarker, ' ');

interface MatchRange {
  start: number;
  end: number;
  /** Folded matched text, to count distinct terms in a window. */
  word: string;
}

interface Window {
  start: number;
  end: number;
}

const wordCharacter = /[\p{L}\p{N}\p{M}]/u;
const sentenceSegmenter = new Intl.Segmenter(undefined, { granularity: 'sentence' });
/** Candidate windows compared when picking the best match; sections rarely have more. */
const maxCandidates = 64;

export function buildSnippet(markedText: string, context: ContextConfig): string {
  const { text, matches } = parseMarkers(markedText);
  const choose = windowChooser(text, context);
  let best: Window = choose(null);
  let bestScore = -1;
  for (const match of matches.slice(0, maxCandidates)) {
    const window = choose(match);
    const score = distinctWordsInside(matches, window);
    if (score > bestScore) {
      best = window;
      bestScore = score;
    }
  }
  return render(text, matches, best, context);
}

function parseMarkers(markedText: string): { text: string; matches: MatchRange[] } {
  const matches: MatchRange[] = [];
  let text = '';
  let openAt = -1;
  let cursor = 0;
  while (cursor < markedText.length) {
    const startAt = markedText.indexOf(matchStartMarker, cursor);
    const endAt = markedText.indexOf(matchEndMarker, cursor);
    const next = Math.min(...[startAt, endAt].map((at) => (at < 0 ? markedText.length : at)));
    text += markedText.slice(cursor, next);
    if (next === startAt) {
      openAt = text.length;
    } else if (next === endAt) {
      if (openAt >= 0 && openAt < text.length) {
        matches.push({ start: openAt, end: text.length, word: text.slice(openAt).toLowerCase() });
      }
      openAt = -1;
    }
    cursor = next + 1;
  }
  return { text, matches };
}

type WindowChooser = (match: MatchRange | null) => Window;

/** Sentences win when either sentence count is set; else chars; else the matching sentence. */
function windowChooser(text: string, context: ContextConfig): WindowChooser {
  const useSentences =
    context.sentencesBefore > 0 ||
    context.sentencesAfter > 0 ||
    (context.charsBefore <= 0 && context.charsAfter <= 0);
  if (useSentences) {
    const sentences = [...sentenceSegmenter.segment(text)].map((segment) => ({
      start: segment.index,
      end: segment.index + segment.segment.length,
    }));
    return (match) => sentenceWindow(text, sentences, match, context);
  }
  return (match) => charWindow(text, match, context);
}

function sentenceWindow(
  text: string,
  sentences: Window[],
  match: MatchRange | null,
  context: ContextConfig,
): Window {
  const before = Math.max(0, context.sentencesBefore);
  const after = Math.max(0, context.sentencesAfter);
  const found = match ? sentences.findIndex((sentence) => sentence.end > match.start) : 0;
  const anchor = Math.max(0, found);
  // Without a match we start at the section start and show as many sentences as the window holds.
  const first = match ? Math.max(0, anchor - before) : 0;
  const last = Math.min(sentences.length - 1, match ? anchor + after : before + after);
  const start = sentences[first]?.start ?? 0;
  const end = sentences[last]?.end ?? text.length;
  return trimWhitespace(text, { start, end });
}

function charWindow(text: string, match: MatchRange | null, context: ContextConfig): Window {
  const before = Math.max(0, context.charsBefore);
  const after = Math.max(0, context.charsAfter);
  if (!match) {
    return trimWhitespace(text, { start: 0, end: snapEnd(text, before + after, 0) });
  }
  const start = snapStart(text, Math.max(0, match.start - before), match.start);
  const end = snapEnd(text, Math.min(text.length, match.end + after), match.end);
  return trimWhitespace(text, { start, end });
}

const isWordAt = (text: string, index: number): boolean =>
  index >= 0 && index < text.length && wordCharacter.test(text.charAt(index));

/** Moves a start that falls inside a word forward to the next word, never past `limit`. */
function snapStart(text: string, start: number, limit: number): number {
  let index = start;
  if (index > 0 && isWordAt(text, index - 1)) {
    while (index < limit && isWordAt(text, index)) index += 1;
  }
  return index;
}

/** Moves an end that falls inside a word back to that word's start, never before `limit`. */
function snapEnd(text: string, end: number, limit: number): number {
  let index = Math.min(end, text.length);
  if (index < text.length && isWordAt(text, index)) {
    while (index > limit && isWordAt(text, index - 1)) index -= 1;
  }
  return index;
}

function trimWhitespace(text: string, window: Window): Window {
  let { start, end } = window;
  while (start < end && /\s/.test(text.charAt(start))) start += 1;
  while (end > start && /\s/.test(text.charAt(end - 1))) end -= 1;
  return { start, end };
}

function distinctWordsInside(matches: MatchRange[], window: Window): number {
  const words = new Set<string>();
  for (const match of matches) {
    if (match.start >= window.start && match.end <= window.end) words.add(match.word);
  }
  return words.size;
}

function render(text: string, matches: MatchRange[], window: Window, context: ContextConfig) {
  let output = '';
  let cursor = window.start;
  for (const match of matches) {
    if (match.start < window.start || match.end > window.end) continue;
    output += text.slice(cursor, match.start) + context.startTag;
    output += text.slice(match.start, match.end) + context.endTag;
    cursor = match.end;
  }
  return output + text.slice(cursor, window.end);
}
