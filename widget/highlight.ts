/**
 * Marker characters the widget asks the server to wrap matches in. They are control characters
 * that never appear in indexed prose, so splitting on them cannot be confused by the content.
 */
export const MARK_START = '\u0002';
export const MARK_END = '\u0003';

const markers = new RegExp(`(${MARK_START}|${MARK_END})`);

export interface TextPart {
  text: string;
  mark: boolean;
}

/**
 * Splits a snippet into plain and highlighted runs. The result is rendered as text nodes and
 * `<mark>` elements, never as HTML, so markup in indexed content stays inert.
 */
export const splitHighlights = (snippet: string): TextPart[] => {
  const parts: TextPart[] = [];
  let mark = false;
  for (const piece of snippet.split(markers)) {
    if (piece === MARK_START || piece === MARK_END) mark = piece === MARK_START;
    else if (piece) parts.push({ text: piece, mark });
  }
  return parts;
};
