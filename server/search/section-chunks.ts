/**
 * Splits long section text into chunks, each indexed as its own section (same heading and
 * metadata), the way Vectara's `max_chars_chunking_strategy` packs sentences up to
 * `max_chars_per_chunk` and splits only a sentence longer than that. A chunk ends at the last
 * paragraph break that fits, else the last sentence end, else the last space, else (one giant
 * token) at the limit itself. Long sections rank poorly (one 500 KB section matches everything
 * once) and cost more to snippet, so the engine never stores a section longer than the limit.
 */

/** Stored sections hold at most this many characters: a long page section, as the CLI cuts. */
export const maxSectionChars = 4_000;
/** Vectara's minimum for `max_chars_per_chunk`. */
export const minSectionChars = 100;

const sentenceSegmenter = new Intl.Segmenter('en', { granularity: 'sentence' });
const whitespace = /\s/;

/** The chunks of `text`, trimmed, each at most `maxChars` long; cost linear in the text. */
export function chunkSectionText(text: string, maxChars = maxSectionChars): string[] {
  const limit = Math.max(minSectionChars, Math.floor(maxChars));
  if (text.length <= limit) return [text];
  const chunks: string[] = [];
  let start = skipWhitespace(text, 0);
  while (text.length - start > limit) {
    const end = chunkEnd(text, start, limit);
    const chunk = text.slice(start, end).trim();
    if (chunk !== '') chunks.push(chunk);
    start = skipWhitespace(text, end);
  }
  const rest = text.slice(start).trim();
  if (rest !== '') chunks.push(rest);
  return chunks;
}

/**
 * Where the chunk starting at `start` ends. Boundaries in the first half are not taken, so every
 * chunk but the last is at least half the limit and each character is looked at about twice.
 */
function chunkEnd(text: string, start: number, limit: number): number {
  const hardEnd = start + limit;
  const earliest = start + Math.floor(limit / 2);
  const paragraph = text.lastIndexOf('\n', hardEnd);
  if (paragraph >= earliest) return paragraph + 1;
  let sentenceEnd = -1;
  // The slice goes one past the limit, so a sentence ending exactly at the limit is seen whole.
  for (const { index } of sentenceSegmenter.segment(text.slice(start, hardEnd + 1))) {
    const at = start + index;
    if (at > hardEnd) break;
    if (at >= earliest) sentenceEnd = at;
  }
  if (sentenceEnd > 0) return sentenceEnd;
  for (let at = hardEnd; at >= earliest; at -= 1) {
    if (whitespace.test(text.charAt(at))) return at;
  }
  // Never split a surrogate pair: a lone half would not survive as UTF-8.
  const code = text.charCodeAt(hardEnd - 1);
  return code >= 0xd800 && code <= 0xdbff ? hardEnd - 1 : hardEnd;
}

function skipWhitespace(text: string, from: number): number {
  let at = from;
  while (at < text.length && whitespace.test(text.charAt(at))) at += 1;
  return at;
}
