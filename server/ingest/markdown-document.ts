import { Lexer, type Token, type Tokens } from 'marked';
import { parse, TextNode } from 'node-html-parser';
import type { DocumentInput, Metadata } from '../search/search-types.ts';
import type { DocumentSource } from './document-source.ts';
import { readFrontMatter } from './front-matter.ts';
import { createSlugger } from './github-slug.ts';
import { SectionBuilder } from './section-builder.ts';
import { collapseWhitespace } from './text-chunks.ts';

/** The lexer leaves named entities (`&copy;`) as written; a text node decodes them without parsing tags. */
const decodeEntities = (text: string): string =>
  text.includes('&') ? new TextNode(text).text : text;

/** Text of an HTML block inside Markdown, without its tags, scripts or styles. */
function htmlBlockText(html: string): string {
  const root = parse(html, { comment: false, blockTextElements: { script: true, style: true } });
  for (const element of root.querySelectorAll('script, style, template, noscript')) {
    element.remove();
  }
  return root.text;
}

/** Plain text of inline tokens: links keep their text, images and inline HTML tags vanish. */
function inlineText(tokens: Token[]): string {
  let text = '';
  let insideRawElement = false;
  for (const token of tokens) {
    switch (token.type) {
      case 'html': {
        // `<script>…</script>` inline: the lexer hands us the tags and the code between them.
        const tag = (token as Tokens.HTML).text.trim().toLowerCase();
        if (/^<(script|style)\b/.test(tag)) insideRawElement = !/<\/(script|style)>$/.test(tag);
        else if (/^<\/(script|style)>/.test(tag)) insideRawElement = false;
        break;
      }
      case 'image':
        break;
      case 'br':
        text += ' ';
        break;
      case 'codespan':
      case 'escape':
        if (!insideRawElement)
          text += decodeEntities((token as Tokens.Codespan | Tokens.Escape).text);
        break;
      default:
        if (insideRawElement) break;
        if ('tokens' in token && Array.isArray(token.tokens)) text += inlineText(token.tokens);
        else if ('text' in token && typeof token.text === 'string') {
          text += decodeEntities(token.text);
        }
    }
  }
  return text;
}

/** Turns Markdown into a document, one section per heading; `undefined` when it has no text. */
export function markdownToDocument(
  markdown: string,
  source: DocumentSource,
): DocumentInput | undefined {
  const { fields, body } = readFrontMatter(markdown);
  const builder = new SectionBuilder();
  const slug = createSlugger();
  let firstH1: string | undefined;
  let firstHeading: string | undefined;

  const addBlocks = (tokens: Token[]) => {
    for (const token of tokens) {
      switch (token.type) {
        case 'heading': {
          const heading = token as Tokens.Heading;
          const title = collapseWhitespace(inlineText(heading.tokens));
          if (title !== '') {
            firstHeading ??= title;
            if (heading.depth === 1) firstH1 ??= title;
          }
          builder.startSection(title, title === '' ? undefined : slug(title));
          break;
        }
        case 'paragraph':
          builder.addParagraph(inlineText((token as Tokens.Paragraph).tokens));
          break;
        case 'text': {
          const text = token as Tokens.Text;
          builder.addParagraph(text.tokens ? inlineText(text.tokens) : decodeEntities(text.text));
          break;
        }
        case 'code':
          // Code is kept: people search for the function names and flags it shows.
          builder.addParagraph((token as Tokens.Code).text);
          break;
        case 'html':
          builder.addParagraph(htmlBlockText((token as Tokens.HTML).text));
          break;
        case 'blockquote':
          addBlocks((token as Tokens.Blockquote).tokens);
          break;
        case 'list':
          for (const item of (token as Tokens.List).items) addBlocks(item.tokens);
          break;
        case 'table': {
          const table = token as Tokens.Table;
          for (const row of [table.header, ...table.rows]) {
            builder.addParagraph(row.map((cell) => inlineText(cell.tokens)).join(' '));
          }
          break;
        }
        default:
          // space, hr, def, checkbox: nothing a reader searches for.
          break;
      }
    }
  };
  addBlocks(Lexer.lex(body, { gfm: true }));

  const sections = builder.build();
  if (sections.length === 0) return undefined;

  const metadata: Metadata = {};
  if (source.url !== undefined) metadata.url = source.url;
  if (fields.lang) metadata.lang = fields.lang;
  return {
    documentId: source.documentId,
    title: fields.title ?? firstH1 ?? firstHeading ?? source.fileName,
    ...(fields.description ? { description: fields.description } : {}),
    metadata,
    sections,
  };
}
