/**
 * Marker characters the widget asks the server to wrap matches in. They are control characters
 * that never appear in indexed prose, so splitting on them cannot be confused by the content.
 */
export const MARK_START = '\u0002';
export const MARK_END = '\u0003';

const markers = new RegExp(`(${MARK_START}|${MARK_END})`);
const markersAndBackticks = new RegExp(`(${MARK_START}|${MARK_END}|\`)`);

/** The snippet's text without the markers. */
export const withoutMarkers = (snippet: string): string =>
  snippet
    .split(markers)
    .filter((piece) => piece !== MARK_START && piece !== MARK_END)
    .join('');

export interface TextPart {
  text: string;
  mark: boolean;
  /** Inline code: it was between backticks (shown in a monospace font). */
  code?: boolean;
}

/**
 * Splits a snippet into plain, highlighted and code runs. The result is rendered as text nodes
 * and `<mark>`/`<code>` elements, never as HTML, so markup in indexed content stays inert.
 * Backticks count only when they pair up: a snippet may cut a code span in two.
 */
export const splitHighlights = (snippet: string): TextPart[] => {
  const parts: TextPart[] = [];
  let mark = false;
  let code = false;
  const paired = snippet.split('`').length % 2 === 1;
  for (const piece of snippet.split(paired ? markersAndBackticks : markers)) {
    if (piece === MARK_START || piece === MARK_END) mark = piece === MARK_START;
    else if (piece === '`') code = !code;
    else if (piece) parts.push({ text: piece, mark, ...(code ? { code } : {}) });
  }
  return parts;
};
