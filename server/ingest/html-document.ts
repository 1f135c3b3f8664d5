import { type HTMLElement, type Node, NodeType, parse } from 'node-html-parser';
import type { DocumentInput, Metadata } from '../search/search-types.ts';
import type { DocumentSource } from './document-source.ts';
import { SectionBuilder } from './section-builder.ts';
import { collapseWhitespace } from './text-chunks.ts';

/** Elements whose content is never page text a visitor reads. */
const SKIPPED_TAGS = new Set([
  'script',
  'style',
  'nav',
  'template',
  'noscript',
  'svg',
  'math',
  'iframe',
  'object',
  'canvas',
  'head',
  'title',
  'select',
  'textarea',
  'button',
]);

/** Elements that end a paragraph, so words on either side do not run together. */
const BLOCK_TAGS = new Set([
  'address',
  'article',
  'aside',
  'blockquote',
  'br',
  'caption',
  'dd',
  'details',
  'div',
  'dl',
  'dt',
  'fieldset',
  'figcaption',
  'figure',
  'footer',
  'form',
  'header',
  'hr',
  'li',
  'main',
  'ol',
  'p',
  'pre',
  'section',
  'summary',
  'table',
  'td',
  'th',
  'tr',
  'ul',
]);

const HEADING_TAGS = new Set(['h1', 'h2', 'h3', 'h4', 'h5', 'h6']);

const isElement = (node: Node): node is HTMLElement => node.nodeType === NodeType.ELEMENT_NODE;

const isSkipped = (element: HTMLElement): boolean =>
  SKIPPED_TAGS.has(element.tagName.toLowerCase()) ||
  element.hasAttribute('hidden') ||
  element.getAttribute('aria-hidden') === 'true';

/** Visible text of an element, skipping what the section walk skips. */
function visibleText(element: HTMLElement): string {
  let text = '';
  for (const child of element.childNodes) {
    if (child.nodeType === NodeType.TEXT_NODE) text += child.text;
    else if (isElement(child) && !isSkipped(child)) {
      const block = BLOCK_TAGS.has(child.tagName.toLowerCase());
      text += block ? ` ${visibleText(child)} ` : visibleText(child);
    }
  }
  return text;
}

/** The fragment a link to this heading uses: its own id, an inner anchor's, or its section's. */
function headingAnchor(heading: HTMLElement): string | undefined {
  if (heading.id) return heading.id;
  const inner = heading.querySelector('[id], a[name]');
  const innerId = inner?.id || inner?.getAttribute('name');
  if (innerId) return innerId;
  const parent = heading.parentNode;
  if (parent?.id && parent.firstElementChild === heading) return parent.id;
  return undefined;
}

/** Where the page's own content is: its single `<main>` when it has one, so the site chrome repeated on every page is not indexed. */
function contentRoot(root: HTMLElement): HTMLElement {
  const mains = root.querySelectorAll('main, [role=main]');
  if (mains.length === 1 && mains[0]) return mains[0];
  return root.querySelector('body') ?? root;
}

/** Turns an HTML page into a document, one section per heading; `undefined` when it has no text. */
export function htmlToDocument(html: string, source: DocumentSource): DocumentInput | undefined {
  // `<pre>` is parsed as elements (the library's default keeps it raw), so highlighted code
  // loses its `<span>`s; script and style stay raw so their contents never become elements.
  const root = parse(html, { comment: false, blockTextElements: { script: true, style: true } });
  const builder = new SectionBuilder();
  let paragraph = '';
  const flush = () => {
    builder.addParagraph(paragraph);
    paragraph = '';
  };
  let firstH1: string | undefined;

  const walk = (element: HTMLElement) => {
    for (const child of element.childNodes) {
      if (child.nodeType === NodeType.TEXT_NODE) {
        paragraph += child.text;
        continue;
      }
      if (!isElement(child) || isSkipped(child)) continue;
      const tag = child.tagName.toLowerCase();
      if (HEADING_TAGS.has(tag)) {
        flush();
        const title = collapseWhitespace(visibleText(child));
        if (tag === 'h1' && firstH1 === undefined && title !== '') firstH1 = title;
        builder.startSection(title, headingAnchor(child));
      } else if (BLOCK_TAGS.has(tag)) {
        flush();
        walk(child);
        flush();
      } else {
        walk(child);
      }
    }
  };
  walk(contentRoot(root));
  flush();

  const sections = builder.build();
  if (sections.length === 0) return undefined;

  const metadata: Metadata = {};
  if (source.url !== undefined) metadata.url = source.url;
  const lang = root.querySelector('html')?.getAttribute('lang')?.trim();
  if (lang) metadata.lang = lang;

  const titleElement = root.querySelector('title');
  const title =
    (titleElement && collapseWhitespace(titleElement.text)) || firstH1 || source.fileName;
  const description = collapseWhitespace(
    root.querySelector('meta[name=description]')?.getAttribute('content') ?? '',
  );
  return {
    documentId: source.documentId,
    title,
    ...(description === '' ? {} : { description }),
    metadata,
    sections,
  };
}
