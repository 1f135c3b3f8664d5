/** Turning extracted text into section-sized chunks. */

/** Sections longer than this are split: long sections rank and snippet poorly. */
export const MAX_SECTION_CHARS = 4000;

const sentenceSegmenter = new Intl.Segmenter('en', { granularity: 'sentence' });

/** Collapses runs of whitespace (including non-breaking spaces) to one space and trims. */
export const collapseWhitespace = (text: string): string => text.replace(/\s+/g, ' ').trim();

/**
 * Groups paragraphs into chunks of at most `maxChars`, joined by a newline. A paragraph that is
 * too long on its own is cut at sentence ends, and a sentence that is still too long at spaces.
 */
export function chunkParagraphs(paragraphs: string[], maxChars = MAX_SECTION_CHARS): string[] {
  const chunks: string[] = [];
  let current = '';
  const push = (piece: string, separator: string) => {
    if (current === '') current = piece;
    else if (current.length + separator.length + piece.length <= maxChars) {
      current += separator + piece;
    } else {
      chunks.push(current);
      current = piece;
    }
  };
  for (const paragraph of paragraphs) {
    if (paragraph === '') continue;
    if (paragraph.length <= maxChars) {
      push(paragraph, '\n');
      continue;
    }
    let separator = '\n';
    for (const piece of splitLongParagraph(paragraph, maxChars)) {
      push(piece, separator);
      separator = ' ';
    }
  }
  if (current !== '') chunks.push(current);
  return chunks;
}

function splitLongParagraph(paragraph: string, maxChars: number): string[] {
  const pieces: string[] = [];
  for (const { segment } of sentenceSegmenter.segment(paragraph)) {
    const sentence = segment.trim();
    if (sentence === '') continue;
    if (sentence.length <= maxChars) pieces.push(sentence);
    else pieces.push(...splitAtSpaces(sentence, maxChars));
  }
  return pieces;
}

function splitAtSpaces(text: string, maxChars: number): string[] {
  const pieces: string[] = [];
  let rest = text;
  while (rest.length > maxChars) {
    const space = rest.lastIndexOf(' ', maxChars);
    // No space at all (a giant token): cut hard rather than produce an oversize section.
    const cut = space > 0 ? space : maxChars;
    pieces.push(rest.slice(0, cut).trim());
    rest = rest.slice(cut).trim();
  }
  if (rest !== '') pieces.push(rest);
  return pieces;
}
