import type { ContextConfig } from './search-types.ts';

/**
 * Cuts the snippet shown for a hit out of its section text. The engine asks FTS5's highlight()
 * to wrap matched tokens in two control characters, so matching here is exactly FTS5's:
 * stems, prefixes and diacritic folding included. We then choose the window and swap the
 * markers for the caller's tags. No HTML escaping: the tags are the caller's and the widget
 * renders text nodes.
 *
 * Work is bounded whatever the section: only the first `maxCandidates` matches are tried as
 * the window's anchor, the marked text is read only as far as a window around them can reach,
 * a snippet holds at most `maxSnippetChars` characters of text, and each window looks at a
 * bounded number of matches. So a 1 MB section of one repeated word costs what a page does.
 */

/** Marker characters; the engine strips them from indexed text so they cannot occur there. */
export const matchStartMarker = '\u0002';
export const matchEndMarker = '\u0003';

/** The snippet markers must not occur in stored text: the engine cleans text with this. */
export const withoutMarkers = (text: string): string =>
  text.replaceAll(matchStartMarker, ' ').replaceAll(matchEndMarker, ' ');

/** Longest snippet text (tags not counted): 2 000 chars either side of a match, the most asked. */
export const maxSnippetChars = 4_200;
/** Candidate windows compared when picking the best match; sections rarely have more. */
export const maxCandidates = 64;
/** Matches looked at inside one window when scoring it (a window holds at most this many). */
const maxMatchesPerWindow = maxSnippetChars / 2;

interface Window {
  start: number;
  end: number;
}

/** The plain text read so far and its matches, as parallel arrays of offsets into it. */
interface ParsedText {
  text: string;
  starts: number[];
  ends: number[];
}

const wordCharacter = /[\p{L}\p{N}\p{M}]/u;
const sentenceSegmenter = new Intl.Segmenter(undefined, { granularity: 'sentence' });

/** Counts what the last buildSnippet call did, for the tests that prove the work is bounded. */
export const snippetWork = { charactersRead: 0, matchesRead: 0, matchesScored: 0 };

export function buildSnippet(markedText: string, context: ContextConfig): string {
  const parsed = parseMarkers(markedText);
  snippetWork.charactersRead = parsed.readUpTo;
  snippetWork.matchesRead = parsed.starts.length;
  snippetWork.matchesScored = 0;
  const choose = windowChooser(parsed, context);
  const distinct = new DistinctWords(parsed);
  let best = choose(null);
  let bestScore = -1;
  let previous: Window | undefined;
  const anchors = Math.min(parsed.starts.length, maxCandidates);
  for (let i = 0; i < anchors; i += 1) {
    const window = choose({ start: parsed.starts[i] ?? 0, end: parsed.ends[i] ?? 0 });
    // Matches in one sentence share its window: score it once.
    if (window.start === previous?.start && window.end === previous.end) continue;
    previous = window;
    const score = distinct.inside(window);
    if (score > bestScore) {
      best = window;
      bestScore = score;
    }
  }
  return render(parsed, best, context);
}

/**
 * Strips the markers in one pass (slices joined once, never a string grown and re-sliced), and
 * stops once past the farthest point a window around the first `maxCandidates` matches can show.
 */
function parseMarkers(markedText: string): ParsedText & { readUpTo: number } {
  const pieces: string[] = [];
  const starts: number[] = [];
  const ends: number[] = [];
  let length = 0; // of the plain text so far
  let openAt = -1;
  let cursor = 0;
  let stopAt = markedText.length;
  while (cursor < stopAt) {
    const next = nextMarker(markedText, cursor, stopAt);
    pieces.push(markedText.slice(cursor, next));
    length += next - cursor;
    if (next >= stopAt) {
      cursor = stopAt;
      break;
    }
    if (markedText.charAt(next) === matchStartMarker) {
      openAt = length;
    } else {
      if (openAt >= 0 && openAt < length) {
        starts.push(openAt);
        ends.push(length);
        // Past the last anchor, a window reaches at most maxSnippetChars of plain text further;
        // markers are 2 per match, so the same distance in marked text is at least as far.
        if (starts.length === maxCandidates) {
          stopAt = Math.min(markedText.length, next + 1 + 3 * maxSnippetChars);
        }
      }
      openAt = -1;
    }
    cursor = next + 1;
  }
  return { text: pieces.join(''), starts, ends, readUpTo: cursor };
}

function nextMarker(text: string, from: number, stopAt: number): number {
  for (let i = from; i < stopAt; i += 1) {
    const code = text.charCodeAt(i);
    if (code === 2 || code === 3) return i;
  }
  return stopAt;
}

type WindowChooser = (match: Window | null) => Window;

/** Sentences win when either sentence count is set; else chars; else the matching sentence. */
function windowChooser(parsed: ParsedText, context: ContextConfig): WindowChooser {
  const { text } = parsed;
  const useSentences =
    context.sentencesBefore > 0 ||
    context.sentencesAfter > 0 ||
    (context.charsBefore <= 0 && context.charsAfter <= 0);
  let choose: WindowChooser;
  if (useSentences) {
    const boundaries = sentenceBoundaries(parsed);
    choose = (match) => sentenceWindow(boundaries, match, context);
  } else {
    choose = (match) => charWindow(text, match, context);
  }
  return (match) => trimWhitespace(text, capLength(text, choose(match), match));
}

/**
 * Sentence starts (and the text end) near the section start and the candidate matches: only
 * `maxSnippetChars` either side of them is segmented, since a window never shows more, so a long
 * section with few matches costs no more than a short one. Offsets in text order.
 */
function sentenceBoundaries(parsed: ParsedText): number[] {
  const { text } = parsed;
  const boundaries: number[] = [];
  let from = 0;
  let to = Math.min(text.length, maxSnippetChars);
  const segmentRegion = () => {
    for (const { index } of sentenceSegmenter.segment(text.slice(from, to))) {
      boundaries.push(from + index);
    }
    boundaries.push(to);
  };
  const anchors = Math.min(parsed.starts.length, maxCandidates);
  for (let i = 0; i < anchors; i += 1) {
    const start = Math.max(0, (parsed.starts[i] ?? 0) - maxSnippetChars);
    const end = Math.min(text.length, (parsed.ends[i] ?? 0) + maxSnippetChars);
    if (start <= to) {
      to = Math.max(to, end);
    } else {
      segmentRegion();
      from = start;
      to = end;
    }
  }
  segmentRegion();
  return boundaries;
}

/** Whole sentences around the match (or from the section start when nothing matched). */
function sentenceWindow(
  boundaries: number[],
  match: Window | null,
  context: ContextConfig,
): Window {
  const before = Math.max(0, context.sentencesBefore);
  const after = Math.max(0, context.sentencesAfter);
  const lastSentence = boundaries.length - 2;
  if (lastSentence < 0) return { start: 0, end: 0 };
  // The sentence holding the match: the last boundary at or before its start.
  let low = 0;
  let high = lastSentence;
  const at = match?.start ?? 0;
  while (low < high) {
    const middle = (low + high + 1) >>> 1;
    if ((boundaries[middle] ?? 0) <= at) low = middle;
    else high = middle - 1;
  }
  const first = match ? Math.max(0, low - before) : 0;
  const last = Math.min(lastSentence, match ? low + after : before + after);
  return { start: boundaries[first] ?? 0, end: boundaries[last + 1] ?? 0 };
}

function charWindow(text: string, match: Window | null, context: ContextConfig): Window {
  const before = Math.max(0, context.charsBefore);
  const after = Math.max(0, context.charsAfter);
  if (!match) return { start: 0, end: snapEnd(text, before + after, 0) };
  const start = snapStart(text, Math.max(0, match.start - before), match.start);
  const end = snapEnd(text, Math.min(text.length, match.end + after), match.end);
  return { start, end };
}

/** A window longer than `maxSnippetChars` is cut around its match, at word boundaries. */
function capLength(text: string, window: Window, match: Window | null): Window {
  if (window.end - window.start <= maxSnippetChars) return window;
  const anchor = match ?? { start: window.start, end: window.start };
  const room = Math.max(0, maxSnippetChars - (anchor.end - anchor.start));
  const start = Math.max(window.start, anchor.start - Math.floor(room / 2));
  const end = Math.min(window.end, start + maxSnippetChars);
  return {
    start: snapStart(text, start, anchor.start),
    end: snapEnd(text, end, Math.max(anchor.end, start)),
  };
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

/** Index of the first match starting at or after `offset` (matches are in text order). */
function firstMatchFrom(parsed: ParsedText, offset: number): number {
  let low = 0;
  let high = parsed.starts.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((parsed.starts[middle] ?? 0) < offset) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** Counts the distinct matched words inside windows, by small integer ids given once per match. */
class DistinctWords {
  private readonly parsed: ParsedText;
  private readonly wordIds: number[] = [];
  private readonly ids = new Map<string, number>();
  private readonly seenIn: number[] = [];
  private round = 0;

  constructor(parsed: ParsedText) {
    this.parsed = parsed;
  }

  inside(window: Window): number {
    const { starts, ends } = this.parsed;
    this.round += 1;
    let count = 0;
    const first = firstMatchFrom(this.parsed, window.start);
    const last = Math.min(starts.length, first + maxMatchesPerWindow);
    for (let i = first; i < last; i += 1) {
      if ((starts[i] ?? 0) >= window.end) break;
      snippetWork.matchesScored += 1;
      if ((ends[i] ?? 0) > window.end) continue;
      const id = this.wordId(i);
      if (this.seenIn[id] !== this.round) {
        this.seenIn[id] = this.round;
        count += 1;
      }
    }
    return count;
  }

  private wordId(match: number): number {
    const known = this.wordIds[match];
    if (known !== undefined) return known;
    const { text, starts, ends } = this.parsed;
    const word = text.slice(starts[match], ends[match]).toLowerCase();
    let id = this.ids.get(word);
    if (id === undefined) {
      id = this.ids.size;
      this.ids.set(word, id);
    }
    this.wordIds[match] = id;
    return id;
  }
}

function render(parsed: ParsedText, window: Window, context: ContextConfig): string {
  const { text } = parsed;
  const pieces: string[] = [];
  let cursor = window.start;
  for (let i = firstMatchFrom(parsed, window.start); i < parsed.starts.length; i += 1) {
    const start = parsed.starts[i] ?? 0;
    const end = parsed.ends[i] ?? 0;
    if (start >= window.end) break;
    if (end > window.end) continue;
    pieces.push(text.slice(cursor, start), context.startTag, text.slice(start, end));
    pieces.push(context.endTag);
    cursor = end;
  }
  pieces.push(text.slice(cursor, window.end));
  return pieces.join('');
}
