import type { TextPart } from './highlight.ts';

/**
 * The matched words, highlighted on the page a result leads to: the followed link carries a URL
 * text fragment (`#anchor:~:text=…`), so the browser itself scrolls to the snippet and marks it,
 * on any site, with or without the widget there, and without changing the page. Where it does
 * not match (the page changed), the browser falls back to the anchor.
 */

/** Text directives treat `-`, `,` and `&` as syntax. */
const directive = (text: string): string => encodeURIComponent(text).replace(/-/g, '%2D');

/** Up to three words next to the match, from the snippet (the "…" added where it was cut aside). */
const context = (parts: TextPart[], last: boolean): string => {
  const words = parts
    .filter((part) => part.text.trim() !== '…')
    .map((part) => part.text)
    .join('')
    .trim()
    .split(/\s+/);
  return (last ? words.slice(-3) : words.slice(0, 3)).join(' ');
};

/**
 * `url` with a text fragment for the first marked run, with the words around it so that the
 * browser finds this occurrence rather than the first one on the page.
 */
export const withTextFragment = (url: string, parts: TextPart[]): string => {
  const at = parts.findIndex((part) => part.mark);
  const match = parts[at]?.text.trim();
  if (!match) return url;
  const before = context(parts.slice(0, at), true);
  const after = context(parts.slice(at + 1), false);
  return `${url.includes('#') ? url : `${url}#`}:~:text=${before ? `${directive(before)}-,` : ''}${directive(match)}${after ? `,-${directive(after)}` : ''}`;
};
