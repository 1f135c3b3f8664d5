import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { demoDocuments } from '../../../server/demo/demo-content.ts';
import { projectPaths } from '../../../server/project-paths.ts';
import type { DocumentInput, Metadata } from '../../../server/search/search-types.ts';

/** One documentation page as every contender sees it: the same title, headings and text. */
export interface ComparePage {
  /** `/docs/<slug>/`: where the page is served, and what every result links to. */
  url: string;
  title: string;
  sections: Array<{ heading: string | undefined; anchor: string | undefined; text: string }>;
}

const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const slugOf = (documentId: string): string =>
  documentId
    .replace(/[^a-z0-9]+/gi, '-')
    .replace(/^-|-$/g, '')
    .toLowerCase();

/**
 * The corpus of the comparison: the demo's pages (the README of every package under
 * node_modules, and Searchgate's own), at most `limit` of them.
 */
export async function comparePages(limit: number): Promise<ComparePage[]> {
  const pages: ComparePage[] = [];
  for await (const doc of demoDocuments(projectPaths.root)) {
    if (pages.length >= limit) break;
    pages.push({
      url: `/docs/${slugOf(doc.documentId)}/`,
      title: doc.title ?? doc.documentId,
      sections: doc.sections.map((section) => ({
        heading: section.title,
        anchor: typeof section.metadata.anchor === 'string' ? section.metadata.anchor : undefined,
        text: section.text,
      })),
    });
  }
  return pages;
}

/** The page as HTML, the way a documentation site renders it (what Pagefind indexes). */
export function pageHtml(page: ComparePage): string {
  const sections = page.sections
    .map((section) => {
      const heading = section.heading
        ? `<h2${section.anchor ? ` id="${escapeHtml(section.anchor)}"` : ''}>${escapeHtml(section.heading)}</h2>`
        : '';
      return `${heading}\n<p>${escapeHtml(section.text)}</p>`;
    })
    .join('\n');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(page.title)}</title></head>
<body><main><h1>${escapeHtml(page.title)}</h1>
${sections}
</main></body></html>`;
}

/** Writes every page under `folder` at its URL's path. */
export async function writeSite(folder: string, pages: ComparePage[]): Promise<void> {
  for (const page of pages) {
    const dir = path.join(folder, ...page.url.split('/').filter(Boolean));
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, 'index.html'), pageHtml(page));
  }
}

/** The same pages as Searchgate documents: one section per heading, anchors as metadata. */
export const searchgateDocuments = (pages: ComparePage[]): DocumentInput[] =>
  pages.map((page) => ({
    documentId: page.url,
    title: page.title,
    metadata: { url: page.url, title: page.title },
    sections: page.sections.map((section) => ({
      ...(section.heading ? { title: section.heading } : {}),
      text: section.text,
      metadata: (section.anchor ? { anchor: section.anchor } : {}) as Metadata,
    })),
  }));
