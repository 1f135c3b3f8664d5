import type { TextPart } from './highlight.ts';

/**
 * The matched words, highlighted on the page a result leads to. Two ways, both optional:
 * - a URL text fragment (`#anchor:~:text=…`) on the link: the browser itself scrolls to the
 *   snippet and marks it, on any site, with or without the widget;
 * - when the landing page has the widget too (same origin), every occurrence of the matched
 *   words in its main content, with the CSS Custom Highlight API (no change to the page's DOM).
 * The words travel in localStorage for a few seconds, never in the URL the visitor shares.
 */
const HAND_OVER = 'search-gate:highlight';
const HAND_OVER_MS = 30_000;
/** Bounds on the work done in the landing page, whatever its size. */
const MAX_NODES = 5_000;
const MAX_RANGES = 500;

export const withoutHash = (url: string): string => url.split('#')[0] ?? '';

/** The words a result matched: its marked runs, lower-cased, each once. */
export const matchedWords = (parts: TextPart[]): string[] => [
  ...new Set(parts.filter((part) => part.mark).map((part) => part.text.trim().toLowerCase())),
];

/** Text directives treat `-`, `,` and `&` as syntax. */
const directive = (text: string): string => encodeURIComponent(text).replace(/-/g, '%2D');

/**
 * `url` with a text fragment for the first marked run, with up to three words on each side from
 * the snippet so that the browser finds this occurrence rather than the first on the page.
 */
export const withTextFragment = (url: string, parts: TextPart[]): string => {
  const at = parts.findIndex((part) => part.mark);
  const match = parts[at]?.text.trim();
  if (!match) return url;
  const words = (list: TextPart[]) =>
    list
      .map((part) => part.text)
      .join('')
      .split(/\s+/);
  const before = words(parts.slice(0, at).filter((part) => part.text.trim() !== '…'))
    .slice(-4)
    .join(' ')
    .trim();
  const after = words(parts.slice(at + 1).filter((part) => part.text.trim() !== '…'))
    .slice(0, 4)
    .join(' ')
    .trim();
  const prefix = before ? `${directive(before)}-,` : '';
  const suffix = after ? `,-${directive(after)}` : '';
  return `${url.includes('#') ? url : `${url}#`}:~:text=${prefix}${directive(match)}${suffix}`;
};

/** Before leaving for `url`: the words to highlight there, if the widget is on that page. */
export const handOver = (url: string, words: string[]): void => {
  try {
    localStorage.setItem(
      HAND_OVER,
      JSON.stringify({ url: withoutHash(url), words, at: Date.now() }),
    );
  } catch {
    // Storage blocked: the text fragment still works.
  }
};

/** On arrival: the words handed over for this page, if any (each hand-over is used once). */
export const takeHandOver = (): string[] => {
  try {
    const stored = JSON.parse(localStorage.getItem(HAND_OVER) ?? 'null') as {
      url?: unknown;
      words?: unknown;
      at?: unknown;
    } | null;
    localStorage.removeItem(HAND_OVER);
    const fresh = typeof stored?.at === 'number' && Date.now() - stored.at < HAND_OVER_MS;
    return fresh && stored?.url === withoutHash(location.href) && Array.isArray(stored.words)
      ? stored.words.filter((word): word is string => typeof word === 'string' && word !== '')
      : [];
  } catch {
    return [];
  }
};

let styled = false;

/**
 * Highlights every occurrence of `words` (as whole words or word starts) in the page's main
 * content, as the `search-gate` highlight; styled with the widget's mark colours.
 */
export const highlightWords = (words: string[]): number => {
  if (!words.length || typeof Highlight === 'undefined') return 0;
  const escaped = words.map((word) => word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  const pattern = new RegExp(`(?<![\\p{L}\\p{N}])(?:${escaped.join('|')})[\\p{L}\\p{N}]*`, 'giu');
  const root = document.querySelector('main, [role=main], article') ?? document.body;
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT, {
    acceptNode: (node) =>
      node.parentElement?.closest('script, style, noscript, textarea, search-gate')
        ? NodeFilter.FILTER_REJECT
        : NodeFilter.FILTER_ACCEPT,
  });
  const ranges: Range[] = [];
  let node = walker.nextNode();
  for (let n = 0; node && n < MAX_NODES && ranges.length < MAX_RANGES; n++) {
    for (const found of (node.nodeValue ?? '').matchAll(pattern)) {
      const range = new Range();
      range.setStart(node, found.index);
      range.setEnd(node, found.index + found[0].length);
      if (ranges.push(range) >= MAX_RANGES) break;
    }
    node = walker.nextNode();
  }
  CSS.highlights.set('search-gate', new Highlight(...ranges));
  if (!styled) {
    styled = true;
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(
      '::highlight(search-gate){color:var(--search-gate-mark-color,#1b1b1f);background:var(--search-gate-mark-background,#fde68a)}',
    );
    document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
  }
  return ranges.length;
};
