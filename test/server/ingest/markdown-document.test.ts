import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { markdownToDocument } from '../../../server/ingest/markdown-document.ts';

const readme = (path: string) => readFileSync(new URL(`../../../${path}`, import.meta.url), 'utf8');
const source = { documentId: 'README.md', fileName: 'README.md' };

describe('markdownToDocument on real READMEs', () => {
  it('splits the Express README at its headings with GitHub anchors', () => {
    const document = markdownToDocument(readme('node_modules/express/Readme.md'), source);
    const sections = document?.sections ?? [];
    const install = sections.find((section) => section.title === 'Installation');
    expect(install?.metadata).toEqual({ anchor: 'installation' });
    // GitHub drops the "&" and keeps both spaces as hyphens.
    const community = sections.find((section) => section.title === 'Docs & Community');
    expect(community?.metadata).toEqual({ anchor: 'docs--community' });
    expect(install?.text).toContain('npm install express');
    // The README opens with a logo in raw HTML and a bold tagline: no tags, no asterisks.
    expect(sections[0]?.title).toBeUndefined();
    expect(sections[0]?.text).toBe('Fast, unopinionated, minimalist web framework for Node.js.');
  });

  it('keeps code blocks as text and strips Markdown syntax from the Lit README', () => {
    const document = markdownToDocument(readme('node_modules/lit/README.md'), source);
    expect(document?.title).toBe('Simple. Fast. Web Components.');
    const all = document?.sections.map((section) => section.text).join('\n') ?? '';
    expect(all).toContain("import {LitElement, html, css} from 'lit';");
    expect(all).toContain('See the full documentation for Lit at lit.dev');
    expect(all).not.toContain('](');
    expect(all).not.toContain('![');
    expect(all).not.toContain('badge.svg');
    expect(all).not.toContain('<picture');
    const overview = document?.sections.find((section) => section.title === 'Overview');
    expect(overview?.text).toContain(
      'A fast declarative HTML template system\nReactive property declarations',
    );
    expect(overview?.metadata).toEqual({ anchor: 'overview' });
  });
});

describe('markdownToDocument', () => {
  it('prefers a front-matter title and description', () => {
    const document = markdownToDocument(
      '---\ntitle: "Getting started"\ndescription: First steps # a comment\nlayout: page\n---\n# Welcome\n\nHello.\n',
      source,
    );
    expect(document).toMatchObject({
      title: 'Getting started',
      description: 'First steps',
      sections: [{ title: 'Welcome', text: 'Hello.', metadata: { anchor: 'welcome' } }],
    });
  });

  it('uses the first # heading as the title, else the file name', () => {
    expect(markdownToDocument('Intro\n\n## Sub\n\ntext\n\n# Main\n\nmore', source)?.title).toBe(
      'Main',
    );
    expect(markdownToDocument('just text', source)?.title).toBe('README.md');
  });

  it('turns inline syntax into plain text and decodes entities', () => {
    const document = markdownToDocument(
      'Some **bold**, _em_, `a && b`, [a link](https://x.test "t"), ![logo](logo.png) and ~~old~~ text &copy; 2024 \\*not em\\*.\n\nLine one  \nline two',
      source,
    );
    expect(document?.sections[0]?.text).toBe(
      'Some bold, em, a && b, a link, and old text © 2024 *not em*.\nLine one line two',
    );
  });

  it('numbers repeated heading anchors like GitHub', () => {
    const document = markdownToDocument('## Usage\n\na\n\n## Usage\n\nb\n\n## Usage!\n\nc', source);
    expect(document?.sections.map((section) => section.metadata.anchor)).toEqual([
      'usage',
      'usage-1',
      'usage-2',
    ]);
  });

  it('keeps HTML and script-looking content only as inert text', () => {
    const document = markdownToDocument(
      '# XSS\n\nInline <script>alert(1)</script> gone, <b>bold</b> kept, \\<img onerror=x\\> literal.\n\n<div>\n<script>\nalert(2)\n</script>\n<p>block &amp; text</p>\n</div>\n\n```html\n<script>alert(3)</script>\n```\n',
      source,
    );
    expect(document?.sections.map((section) => section.text)).toEqual([
      'Inline gone, bold kept, <img onerror=x> literal.\nblock & text\n<script>alert(3)</script>',
    ]);
  });

  it('reads lists, quotes and tables as text', () => {
    const document = markdownToDocument(
      '- [x] done item\n- nested\n  - inner **item**\n\n> quoted *words*\n\n| Flag | Meaning |\n|---|---|\n| `--url` | server |\n',
      source,
    );
    expect(document?.sections[0]?.text).toBe(
      'done item\nnested\ninner item\nquoted words\nFlag Meaning\n--url server',
    );
  });

  it('yields no document when there is no text', () => {
    expect(
      markdownToDocument('---\ntitle: x\n---\n\n![only](image.png)\n\n---\n', source),
    ).toBeUndefined();
  });
});
